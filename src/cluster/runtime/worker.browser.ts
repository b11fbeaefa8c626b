// Entry point of a node's Web Worker: exposes a NodeWorkerApi on the worker's port.

import { expose } from 'comlink';
import { createNodeWorkerApi } from './nodeWorker';

expose(createNodeWorkerApi());

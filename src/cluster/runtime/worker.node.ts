// Entry point of a node's worker_thread (Node): exposes a NodeWorkerApi on the
// parent port through comlink's Node adapter.

import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createNodeWorkerApi } from './nodeWorker';

if (parentPort === null) throw new Error('worker.node.ts must run in a worker_thread');
expose(createNodeWorkerApi(), nodeEndpoint(parentPort));

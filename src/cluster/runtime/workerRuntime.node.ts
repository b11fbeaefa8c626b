// RuntimeFactory for Node: one worker_thread per node, talked to through comlink's
// Node adapter. Threads are pooled like the browser's workers (processPool.ts): a
// crash drops the host inside its thread; a thread that fails is terminated.
//
// Loading TypeScript in the worker: Node 20 cannot run .ts by itself, and starting the
// worker with `execArgv: ['--import', 'tsx']` does not help — Node 20 resolves a
// worker's entry module before loader hooks registered by --import apply to it
// (ERR_UNKNOWN_FILE_EXTENSION). So the worker starts from a few lines of plain JS
// that register tsx's ESM hooks through its API and then import worker.node.ts: the
// worker runs the same sources as the main thread, with no build step. The price is
// a slower first start (tsx transpiles each file once per worker, ~0.2 s); bundling
// the worker with Vite at startup would be the alternative if that ever matters.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { releaseProxy, wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { NodeWorkerApi } from './nodeWorker';
import { ProcessPool, type HostProcess } from './processPool';

const workerUrl = new URL('./worker.node.ts', import.meta.url).href;
// Absolute URL of the ESM build of tsx's API, so the worker finds it whatever the
// process's cwd (require.resolve yields the CommonJS build; its ESM twin sits beside it).
const tsxApi = pathToFileURL(
  createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs'),
).href;

const bootstrap = `
const { workerData } = require('node:worker_threads');
import(workerData.tsxApi)
  .then((api) => { api.register(); return import(workerData.entry); })
  .catch((e) => { setImmediate(() => { throw e; }); });
`;

function workerProcess(nodeId: number): HostProcess {
  const worker = new Worker(bootstrap, {
    eval: true,
    workerData: { tsxApi, entry: workerUrl },
    name: `raft-node-${nodeId}`,
  });
  const api = wrap<NodeWorkerApi>(nodeEndpoint(worker));
  let broken = false;
  let killed = false;
  // A worker that dies on its own (its entry failed to load) fails the pending call.
  const died = new Promise<never>((_, reject) => {
    worker.once('error', (e) => {
      broken = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      broken = true;
      reject(new Error(`node ${nodeId}: worker exited (code ${code})`));
    });
  });
  died.catch(() => {});
  const call = <T>(p: Promise<T>): Promise<T> => Promise.race([p, died]);
  return {
    boot: (boot) => call(api.boot(boot)),
    bootFrom: (payload) => call(api.bootFrom(payload)),
    restore: (payload) => call(api.restore(payload)),
    run: (commands) => call(api.run(commands)),
    checkpoint: (tableId, knownShapes) => call(api.checkpoint(tableId, knownShapes)),
    learn: (tableId, eids) => void api.learn(tableId, eids).catch(() => undefined),
    reset: () => void api.reset().catch(() => undefined),
    kill: async () => {
      if (killed) return;
      killed = true;
      api[releaseProxy]();
      await worker.terminate();
    },
    get broken() {
      return broken;
    },
    // An idle worker does not keep Node running.
    inUse: (used) => {
      if (used) worker.ref();
      else worker.unref();
    },
  };
}

/** The pool of worker threads (drain() ends the idle ones, e.g. to time cold starts). */
export const nodeWorkerPool = new ProcessPool(workerProcess);

export const nodeWorkerRuntime = nodeWorkerPool.factory();

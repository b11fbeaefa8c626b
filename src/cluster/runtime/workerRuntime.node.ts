// RuntimeFactory for Node: one worker_thread per node, talked to through comlink's
// Node adapter. Terminating the thread is a crash.
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
import type { BootInfo, HostCommand, HostResult, NodeRuntime, RuntimeFactory } from '../protocol';
import type { NodeWorkerApi } from './nodeWorker';

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

export const nodeWorkerRuntime: RuntimeFactory = async (boot: BootInfo): Promise<NodeRuntime> => {
  const worker = new Worker(bootstrap, {
    eval: true,
    workerData: { tsxApi, entry: workerUrl },
    name: `raft-node-${boot.config?.id}`,
  });
  const api = wrap<NodeWorkerApi>(nodeEndpoint(worker));
  let alive = true;
  const kill = async (): Promise<void> => {
    if (!alive) return;
    alive = false;
    api[releaseProxy]();
    await worker.terminate();
  };
  // A worker that dies on its own (its entry failed to load) fails the pending call.
  const died = new Promise<never>((_, reject) => {
    worker.once('error', (e) => reject(e));
    worker.once('exit', (code) => reject(new Error(`node ${boot.config?.id}: worker exited (code ${code})`)));
  });
  died.catch(() => {});
  try {
    await Promise.race([api.boot(boot), died]);
  } catch (e) {
    await kill();
    throw e;
  }
  return {
    id: boot.config.id,
    async run(commands: HostCommand[]): Promise<HostResult[]> {
      if (!alive) throw new Error(`node ${boot.config.id}: runtime terminated`);
      return Promise.race([api.run(commands), died]);
    },
    terminate: kill,
  };
};

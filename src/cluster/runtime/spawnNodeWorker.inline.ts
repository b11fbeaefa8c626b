// The single-file build's spawnNodeWorker (see spawnNodeWorker.ts): Vite bundles
// worker.browser.ts into this module as a string, and each call starts a new worker
// from a fresh blob: URL of it. Still one real Web Worker per node. The single build
// makes it a classic worker (worker.format 'iife'): Chromium refuses module workers
// from blob: URLs on a file:// page.

import NodeWorker from './worker.browser.ts?worker&inline';

/** A new module worker running worker.browser.ts: one per node. */
export function spawnNodeWorker(): Worker {
  return new NodeWorker();
}

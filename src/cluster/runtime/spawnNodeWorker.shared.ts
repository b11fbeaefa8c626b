// The production build's spawnNodeWorker (see spawnNodeWorker.ts; vite.config.ts
// aliases it in for `vite build`). The node worker is built as a second entry of the
// app's own bundle (assets/node-worker.js), not as a separate worker bundle, so the
// code both sides run (the raft library, the node host, comlink) sits in chunks the
// page and the workers share: the browser downloads it once, and the app's size
// counts it once. Still one module Web Worker per node.

/** Where the build writes the worker entry, relative to this chunk (vite.config.ts: entryFileNames). */
const workerFile = './node-worker.js';

/** A new module worker running worker.browser.ts: one per node. */
export function spawnNodeWorker(): Worker {
  // A variable, not a literal: Vite must not bundle this worker separately.
  return new Worker(new URL(workerFile, import.meta.url), { type: 'module' });
}

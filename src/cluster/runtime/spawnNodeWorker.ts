// Starts one node's Web Worker from its own script file (the normal, multi-file build
// and the dev server). The single-file build (`npm run build:single`) replaces this
// module with spawnNodeWorker.inline.ts (an alias in vite.config.ts), which starts the
// same script from a blob: URL, because a page opened from file:// may load no file.

/** A new module worker running worker.browser.ts: one per node. */
export function spawnNodeWorker(): Worker {
  // Vite bundles the worker from this exact pattern; its options must stay static.
  return new Worker(new URL('./worker.browser.ts', import.meta.url), { type: 'module' });
}

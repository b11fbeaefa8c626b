// What the browser benchmarks (bench:ui, bench:seek) share: command-line flags, the
// headless Chromium's switches, a nearest-rank quantile, and waiting for vite preview.

/** Debian's Chromium, headless, quiet on a closed network. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The value after `--name` on the command line, if any. */
export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The nearest-rank q-quantile of an ascending array (NaN when empty). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** Whether `url` answers with a success status now. */
export async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** Resolves once `url` answers with a success status; throws if the server exited or `ms` passed. */
export async function waitForServer(url: string, ms: number, exited: () => boolean): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    if (exited()) throw new Error('vite preview exited (is the port taken?)');
    if (await answers(url)) return;
    if (Date.now() - t0 > ms) throw new Error(`vite preview did not answer at ${url} within ${ms / 1000} s`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

// The Content-Security-Policy of the built app, written into its HTML as a
// <meta http-equiv="Content-Security-Policy"> by the Vite plugins in htmlPlugins.ts.
// (The dev server gets none: Vite's dev client injects inline scripts and talks to
// the server over a WebSocket.)
//
// What it allows, and why:
// - scripts only from the app itself ('self'; the single file: the SHA-256 of its one
//   inline script); never eval or new Function (no 'unsafe-eval'), never inline
//   scripts (no 'unsafe-inline');
// - workers (one per node) from the app's own files or blob: URLs (the single file
//   starts them from blob: URLs of the inlined worker script);
// - no connection anywhere but the app's own origin (the single file: none at all);
// - images from the app, data: (the single file's favicon) and blob: (the PNG export
//   draws the exported SVG through a blob: URL into a canvas);
// - styles, fonts and the manifest only from the app (default-src; the single file:
//   the SHA-256 of its one <style>). React sets the `style` props through the CSSOM
//   (element.style), which CSP does not govern, so no 'unsafe-inline' is needed for
//   styles either;
// - no plugins, no <base>, no form submissions.

export type Directives = Record<string, readonly string[]>;

/** The policy of the normal (multi-file) build, served over http(s). */
export const servedPolicy: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'connect-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

/** The policy of the single file (file://): nothing outside the file but blob: workers and images. */
export function singleFilePolicy(scriptHash: string, styleHash: string): Directives {
  return {
    'default-src': ["'none'"],
    'script-src': [`'sha256-${scriptHash}'`],
    'worker-src': ['blob:'],
    'connect-src': ["'none'"],
    'img-src': ['data:', 'blob:'],
    'style-src': [`'sha256-${styleHash}'`],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  };
}

/** The policy as the text of a CSP header or meta tag. */
export function policyText(d: Directives): string {
  return Object.entries(d)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}

/** The <meta> element carrying the policy. */
export function policyMeta(d: Directives): string {
  return `<meta http-equiv="Content-Security-Policy" content="${policyText(d)}" />`;
}

// Vite plugins that finish the built index.html (used by vite.config.ts, build only).
//
// - servedCsp: the normal build gets the Content-Security-Policy of csp.ts as a meta tag.
// - singleFile: `vite build --mode single` (npm run build:single) turns the build into
//   one dist-single/raftlab.html that opens from file:// with no server and no network:
//   the entry script (with the node worker inlined as a string, see
//   src/cluster/runtime/spawnNodeWorker.inline.ts) and the stylesheet go inline, the
//   favicon becomes a data: URI, the web manifest link goes (a file:// page cannot load
//   it), and the policy pins the inline script and style by their SHA-256. Anything else
//   left in the bundle would be a file the page needs but cannot load, so it fails the build.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { policyMeta, servedPolicy, singleFilePolicy } from './csp.js';

/** Where the policy goes: right after <meta charset>, before any script or style. */
function insertAfterCharset(html: string, tag: string): string {
  const m = /<meta charset="[^"]*"\s*\/?>/i.exec(html);
  if (m === null) throw new Error('index.html has no <meta charset>');
  const at = m.index + m[0].length;
  return `${html.slice(0, at)}\n    ${tag}${html.slice(at)}`;
}

export function servedCsp(): Plugin {
  return {
    name: 'raftlab:served-csp',
    apply: 'build',
    transformIndexHtml: (html) => insertAfterCharset(html, policyMeta(servedPolicy)),
  };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/**
 * Script text that cannot end its <script> element early: `</script` and `<!--` only
 * occur inside string literals of minified code, where `<\/` and `<\!` mean the same.
 */
export function inlineScriptText(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export function singleFile(opts: { favicon: string; fileName: string }): Plugin {
  return {
    name: 'raftlab:single-file',
    apply: 'build',
    enforce: 'post',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const page = bundle['index.html'];
        if (page?.type !== 'asset') throw new Error('single file: the build made no index.html');
        let html = String(page.source);
        delete bundle['index.html'];
        const take = (file: string): string => {
          const out = bundle[file];
          if (out === undefined) throw new Error(`single file: index.html names ${file}, which is not in the build`);
          delete bundle[file];
          return out.type === 'chunk' ? out.code : String(out.source);
        };
        let script = '';
        let style = '';
        html = html.replace(
          /<script type="module" crossorigin src="\.\/([^"]+)"><\/script>\s*/g,
          (_m, file: string) => {
            if (script !== '') throw new Error('single file: more than one entry script');
            script = inlineScriptText(take(file));
            return '';
          },
        );
        html = html.replace(/<link rel="stylesheet" crossorigin href="\.\/([^"]+)">\s*/g, (_m, file: string) => {
          if (style !== '') throw new Error('single file: more than one stylesheet');
          style = take(file);
          if (/<\/style/i.test(style)) throw new Error('single file: the stylesheet contains </style');
          return '';
        });
        if (script === '' || style === '')
          throw new Error('single file: no entry script or no stylesheet in index.html');
        const left = Object.keys(bundle);
        if (left.length > 0)
          throw new Error(`single file: files the page would need but cannot load: ${left.join(', ')}`);
        const icon = `data:image/svg+xml,${encodeURIComponent(readFileSync(opts.favicon, 'utf8').trim())}`;
        html = html
          .replace(/<link rel="icon"[^>]*>/, `<link rel="icon" href="${icon}" />`)
          .replace(/\s*<link rel="manifest"[^>]*>/, '');
        if (/\s(src|href)="(?!data:)/.test(html)) throw new Error('single file: the page still refers to a file');
        html = insertAfterCharset(html, policyMeta(singleFilePolicy(sha256(script), sha256(style))));
        // Module scripts run after the document is parsed, so the script may stay in <head>.
        // (A replacer function: the code is full of `$`, which a replacement string would expand.)
        html = html.replace(
          '</head>',
          () => `  <style>${style}</style>\n    <script type="module">${script}</script>\n  </head>`,
        );
        this.emitFile({ type: 'asset', fileName: opts.fileName, source: html });
      },
    },
  };
}

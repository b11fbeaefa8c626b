import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';

// The built app's size budget: every script, style sheet and page of dist/ (the build
// Playwright's web server made for this run), gzipped at level 9, at most 250 KB in all.
// Source maps, the favicon and the sample runs are not part of what a browser must load.

const budgetKB = 250;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

test('the built app stays within its gzip budget', () => {
  const shipped = files('dist').filter((f) => /\.(js|css|html)$/.test(f));
  expect(shipped.some((f) => f.endsWith('index.html'))).toBe(true);
  const kb = shipped.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0) / 1024;
  console.log(`built app: ${shipped.length} files, ${kb.toFixed(1)} KB gzip (budget ${budgetKB} KB)`);
  expect(kb).toBeLessThanOrEqual(budgetKB);
});

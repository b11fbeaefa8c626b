// Raftlab's own data-driven scripts (test/scripts/*.txt): behaviour etcd's
// conformance files leave out (ReadIndex in both modes, leadership transfer to a
// lagging or unreachable target, the uncommitted-size limit, proposal forwarding).
// Same format and harness as etcd's files; one test per file.

import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { diffCase, runFile } from '../src/interaction/runner';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), 'scripts');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort();

describe('Raftlab data-driven scripts', () => {
  test('the scripts folder is not empty', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of files) {
    test(file, () => {
      const res = runFile(join(dir, file));
      const bad = res.cases.find((c) => !c.ok);
      const why = [
        res.error ? `error: ${res.error}` : '',
        bad ? `${bad.td.pos}: ${bad.td.directive}\n${diffCase(bad.td.expected, bad.actual)}` : '',
      ]
        .filter((s) => s !== '')
        .join('\n');
      expect(res.ok, why).toBe(true);
      expect(res.cases.length).toBeGreaterThan(0);
    });
  }
});

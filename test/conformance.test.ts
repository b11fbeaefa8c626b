// etcd's own data-driven test files as Raftlab's conformance suite: one test per file.
// The files are read in place from ../shared/anchors/etcd-raft-testdata (relative to the
// repository root) and never copied into the project. Files in the expected-failures
// list must fail; all others must pass. Without ../shared the suite is skipped, and
// says so, on a developer's machine; under CI (CI=true, as .ci/run runs) it fails.

import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { collectFiles, diffCase, runFile, type FileResult } from '../src/interaction/runner';
import { expectedFailures } from './conformance.expectedFailures';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const anchors = resolve(repoRoot, '../shared/anchors/etcd-raft-testdata');
const listFile = 'test/conformance.expectedFailures.ts';

/** A short account of why a file failed: the error, then the diff of its first failing case. */
function explain(res: FileResult): string {
  const lines: string[] = [];
  if (res.error) lines.push(`error: ${res.error}`);
  const bad = res.cases.find((c) => !c.ok);
  if (bad) {
    lines.push(`first failing case: ${bad.td.pos}: ${bad.td.directive}`);
    const diff = diffCase(bad.td.expected, bad.actual).split('\n');
    lines.push(...diff.slice(0, 80));
    if (diff.length > 80) lines.push(`... (${diff.length - 80} more diff lines)`);
  }
  return lines.join('\n');
}

/** CI sets CI=true: there the suite must run, so a missing ../shared is a failure. */
const ci = process.env.CI;
const onCI = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';

if (!existsSync(anchors) && onCI) {
  test('etcd conformance: the test files are present', () => {
    throw new Error(
      `${anchors} not found: under CI (CI=${ci}) the conformance suite must run, not be skipped ` +
        "(etcd's test files live outside the repository, in ../shared).",
    );
  });
} else if (!existsSync(anchors)) {
  console.log(`conformance suite skipped: ${anchors} not found (etcd's test files live outside the repository).`);
  test.skip('etcd conformance (../shared/anchors/etcd-raft-testdata not found)', () => {});
} else {
  const files = collectFiles([anchors]).map((p) => relative(anchors, p).split(sep).join('/'));
  const expected = new Set(expectedFailures);
  console.log(`conformance: ${files.length} etcd files, ${expected.size} listed as expected failures in ${listFile}`);

  describe('etcd conformance', () => {
    test('the expected-failures list names existing files, once each', () => {
      const known = new Set(files);
      expect(files.length).toBeGreaterThan(0);
      expect(expectedFailures.filter((f) => !known.has(f))).toEqual([]);
      expect(expected.size).toBe(expectedFailures.length);
    });

    for (const file of files) {
      const mustFail = expected.has(file);
      test(`${file}${mustFail ? ' (expected failure)' : ''}`, () => {
        const res = runFile(join(anchors, file));
        if (mustFail) {
          if (res.ok) {
            throw new Error(`${file} passes now: remove it from the list in ${listFile}`);
          }
          return;
        }
        if (!res.ok) throw new Error(`${file} does not match etcd's output\n${explain(res)}`);
        expect(res.cases.length).toBeGreaterThan(0);
      });
    }
  });
}

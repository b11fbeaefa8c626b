// etcd's interaction files, recorded as events and narrated: the recording changes
// no output, and the narration knows every event (no "unknown event" line).
// The files are read in place from ../shared/anchors/etcd-raft-testdata/testdata; without
// them the test is skipped, except under CI=true, where their absence is a failure.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { harnessRun } from './harness';
import { narrateAll } from './narrate';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = resolve(repoRoot, '../shared/anchors/etcd-raft-testdata/testdata');
const present = existsSync(dir);
const files = present
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .sort()
  : [];

describe('narration over etcd interaction files', () => {
  it('finds the files (a CI run must have them)', () => {
    if (process.env.CI === 'true') expect(present, `${dir} is missing`).toBe(true);
    if (present) expect(files.length).toBeGreaterThanOrEqual(28);
  });

  for (const f of files) {
    it(f, () => {
      const run = harnessRun(readFileSync(join(dir, f), 'utf8'), f);
      // Recording is invisible: every directive prints what etcd expects.
      const wrong = run.cases.filter((c) => c.actual !== c.expected).map((c) => c.pos);
      expect(wrong).toEqual([]);
      const lines = narrateAll(run.events);
      expect(lines.filter((l) => l.unknown === true).map((l) => l.text)).toEqual([]);
      // Something is said, and about the steps that happened.
      expect(lines.length).toBeGreaterThanOrEqual(Math.min(20, run.cases.length));
      expect(lines.some((l) => l.level === 'major')).toBe(true);
      for (const l of lines) {
        expect(l.step).toBeGreaterThanOrEqual(0);
        expect(l.step).toBeLessThanOrEqual(run.cases.length);
        expect(l.text.length).toBeGreaterThan(0);
      }
    });
  }
});

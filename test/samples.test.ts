import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../src/cluster/cluster';
import { inProcessRuntime } from '../src/cluster/runtime/inProcess';

// Every sample run in public/samples/ (written by scripts/make-samples.ts with the
// app's own export) is a valid run file that replays to its recorded trace hash.

const dir = 'public/samples';
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('sample runs', () => {
  it('there are some', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  for (const f of files) {
    it(`${f} imports and reproduces its trace hash`, async () => {
      const text = readFileSync(`${dir}/${f}`, 'utf8');
      const run = JSON.parse(text) as { actions: unknown[]; summary: { traceHash: string; time: number } };
      const c = await Cluster.create({ nodes: 3, seed: 0, runtime: inProcessRuntime });
      try {
        await c.importRun(text);
        expect(c.traceHash()).toBe(run.summary.traceHash);
        expect(c.currentStep).toBe(run.actions.length);
        expect(c.time).toBe(run.summary.time);
        // A file that says another hash is refused.
        const forged = text.replace(run.summary.traceHash, '0000000000000000');
        await expect(c.importRun(forged)).rejects.toThrow(/diverged/);
        expect(c.traceHash()).toBe(run.summary.traceHash);
      } finally {
        await c.dispose();
      }
    });
  }
});

// Golden runs: the trace hashes of a few recorded runs, and the links that share them,
// pinned. A change to a PRNG, to the trace text, to what an action does or to how
// actions are recorded or linked changes one of these, and with it every run people
// have already shared: such a change needs a new run or link format version (with the
// old one still read), not new numbers here.

import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster';
import { inProcessRuntime } from '../../src/cluster/runtime/inProcess';
import { encodeRunLink } from '../../src/cluster/runLink';
import { goldenRuns } from './goldenRuns';

const pinned: Record<string, { hash: string; steps: number; link: string }> = {
  'election, writes, crash and restart': {
    hash: '485b4cd730e7a112',
    steps: 9,
    link: '1.N4IgxiBcoHYPYBMCmBnKBmANCFSkKgHYBfbAQygG1KQyEA3MmMJETAJgAYBdTGgBwCuAFzYgAHmICMIXgJFiAnmPZsYggDYbsYVXNoMmLNgDZ9YAE5kUACzbp9dRs1YcArPouphZC6MwOfCAA5kj+Emqa2qAaAJYwSL6xAF5kAEYarJDCFoJIxI6GLmxSPLw4UACc2HaQIAAsABxuafVgCITonEiEZFJSqsRAA',
  },
  'partition, lossy links and healing with five nodes': {
    hash: '0ee3e06143cd0634',
    steps: 13,
    link: '1.N4IgxiBcoHYPYBMCmBnKBWANCFSkKgEYAmAZgBZsYkAXAdzgCcBrKUAGwEMakYwBPItgBWASxo9GQkOzgo0kAAwA6RegC+67JygBtXSE4IAbpz5IQmYugC6mAwAdOjGuNFwYl-YSt3dpTEpbGz8QBwBXGktDaMJLQlCIqOwAI2jiS1JQo1NzTMVQ3BoAGVEYZgAxTnD2GjRMAMpQBHCHdlEwbndPJWUNUIALJE52EGyTMzALKwL7HFpS8qqaussYGvZMdfZN4HVQsEj4q0xQDyQAdU5BSBpGcKR9uZzJ6cJbOcPkn2JTkFaoHcHk8DC88phCAU7DgiAEQAMoCBFHhSEhFAA2QjkUhgBAYiggdRAA',
  },
  'manual mode: stages, chosen messages, membership': {
    hash: '0957c7bc8a94669d',
    steps: 14,
    link: '1.N4IgxiBcoHYPYBMCmBnKBmANCFSkKgE5DsBbRJKEUgQxgFcaAbEAX2xqgG0vwbSADjQCWAcxghMARgC6mXgCd6MAMIBPME0rS5i5es3aATLpBLVGrZPSncAFwCyFSSAFMaakKZoIAbnTBjAAZvBAQAGSQaBRgkBUkAFkxgVlD-GEDJIxD5VwU4cjttJJS0gODTOwU6FAAzOMifOJQAC2EBRLKMitywAqEwO2tME1yfdMzMAFYZORwoKSSQFqogwimAdjANgCMwAA4aQgSANhPCAlYgA',
  },
};

describe('golden runs', () => {
  for (const g of goldenRuns) {
    const pin = pinned[g.name]!;
    it(`${g.name}: the recorded run, its export and its link reproduce the pinned trace hash`, async () => {
      const c = await Cluster.create({ ...g.config, runtime: inProcessRuntime });
      await g.play(c);
      expect(c.recorder.actions).toHaveLength(pin.steps);
      expect(c.traceHash()).toBe(pin.hash);
      expect(encodeRunLink(c.linkedRun())).toBe(pin.link);

      // The pinned link, opened by a cluster that was built differently.
      const d = await Cluster.create({ nodes: 1, seed: 0, runtime: inProcessRuntime });
      await d.openLink(pin.link);
      expect(d.traceHash()).toBe(pin.hash);
      expect(d.currentStep).toBe(pin.steps);

      // The run file.
      const e = await Cluster.create({ nodes: 2, seed: 5, runtime: inProcessRuntime });
      await e.importRun(c.exportRunJson());
      expect(e.traceHash()).toBe(pin.hash);
      await Promise.all([c.dispose(), d.dispose(), e.dispose()]);
    });
  }
});

// The fuzzer finds nothing in a clean slice, catches every mutant, and is deterministic.

import { describe, expect, it } from 'vitest';
import { mutantNames, mutation, type MutantName } from '../../raft/mutation';
import type { ClientOp } from '../client';
import { checkReads, reproCommand, runSeed } from './fuzz';

/** For every mutant: a seed and event budget whose run catches it, and the check that fires first. */
const catches: Record<MutantName, { seed: number; events: number; check: string }> = {
  'old-term-commit': { seed: 5, events: 1000, check: 'leader-commit-term' },
  'vote-not-persisted': { seed: 66, events: 10000, check: 'election-safety' },
  'double-vote': { seed: 3, events: 1000, check: 'election-safety' },
  'no-log-check': { seed: 8, events: 2000, check: 'committed-agreement' },
  'apply-before-commit': { seed: 1, events: 1000, check: 'applied-committed' },
  'keep-conflicting-suffix': { seed: 4, events: 1000, check: 'committed-agreement' },
  'prevote-raises-term': { seed: 3, events: 1000, check: 'term-witness' },
  'stale-local-read': { seed: 14, events: 1000, check: 'linearizability' },
};

describe('dst fuzzer', () => {
  it('finds no violation in a clean slice (100 seeds x 10,000 events)', async () => {
    const failing: string[] = [];
    for (let s = 1; s <= 100; s++) {
      const r = await runSeed(s, 10_000);
      if (r.violations.length > 0) failing.push(`seed ${s}: ${JSON.stringify(r.violations[0])}`);
      // Runs do work: the workload completes operations.
      expect(r.opsOk).toBeGreaterThan(0);
    }
    expect(failing).toEqual([]);
  }, 120_000);

  it('is deterministic: same seed and events, same trace', async () => {
    const a = await runSeed(7, 3000);
    const b = await runSeed(7, 3000);
    const c = await runSeed(8, 3000);
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.traceHash).not.toBe(c.traceHash);
    expect(a.actions).toBe(b.actions);
  });

  it('covers every mutant', () => {
    expect(Object.keys(catches).sort()).toEqual([...mutantNames].sort());
  });

  for (const name of mutantNames) {
    const { seed, events, check } = catches[name];
    it(`catches mutant ${name} (seed ${seed}, ${events} events), and the same run is clean without it`, async () => {
      const bad = await runSeed(seed, events, { mutant: name });
      expect(bad.violations.length).toBeGreaterThan(0);
      expect(bad.violations[0]!.check).toBe(check);
      // The mutant is switched off again after the run.
      expect(Object.values(mutation).every((v) => !v)).toBe(true);
      const good = await runSeed(seed, events);
      expect(good.violations).toEqual([]);
    }, 30_000);
  }

  it('runs src/check/properties over a recorded model when asked', async () => {
    const clean = await runSeed(2, 3000, { properties: 1 });
    expect(clean.violations).toEqual([]);
    const bad = await runSeed(3, 3000, { mutant: 'double-vote', properties: 1 });
    const props = new Set(bad.violations.filter((v) => v.check.startsWith('properties/')).map((v) => v.check));
    expect(props.has('properties/election-safety')).toBe(true);
  }, 30_000);

  it('prints a reproducing command', () => {
    expect(reproCommand(12, 5000)).toBe('npm run fuzz -- --seed 12 --events 5000');
    expect(reproCommand(3, 100, 'double-vote')).toBe('npm run fuzz -- --seed 3 --events 100 --mutant double-vote');
  });
});

describe('checkReads', () => {
  const op = (o: Partial<ClientOp> & Pick<ClientOp, 'id' | 'kind'>): ClientOp => ({
    client: 'c1',
    node: 1,
    invokeTime: 0,
    status: 'ok',
    requestId: `r${o.id}`,
    ...o,
  });
  const put1 = op({ id: 1, kind: 'put', key: 'k', value: 'a', invokeTime: 0, completeTime: 2 });
  const put2 = op({ id: 2, kind: 'put', key: 'k', value: 'b', invokeTime: 3, completeTime: 5 });
  const index = new Map([
    ['r1', 10],
    ['r2', 11],
  ]);
  const get = (id: number, value: string | undefined, invoke: number, complete: number): ClientOp =>
    op({
      id,
      kind: 'get',
      key: 'k',
      consistency: 'linearizable',
      invokeTime: invoke,
      completeTime: complete,
      found: value !== undefined,
      result: value ?? '',
    });

  it('accepts reads that follow the write order', () => {
    expect(checkReads([put1, put2, get(3, 'a', 1, 4), get(4, 'b', 6, 7)], index)).toEqual([]);
  });

  it('flags a read of an overwritten value after the overwrite completed', () => {
    const v = checkReads([put1, put2, get(3, 'a', 6, 7)], index);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatch(/op3 get k .* but op2 wrote b at index 11/);
  });

  it('flags a missing key after a completed write, a value nobody wrote, and reads going back', () => {
    expect(checkReads([put1, get(3, undefined, 3, 4)], index)[0]).toMatch(/read nothing/);
    expect(checkReads([put1, get(3, 'zz', 3, 4)], index)[0]).toMatch(/nobody wrote/);
    const back = checkReads([put1, put2, get(3, 'b', 3, 4), get(4, 'a', 4.5, 4.8)], index);
    expect(back.some((m) => /op4 get k read index 10 after op3 had read index 11/.test(m))).toBe(true);
  });

  it('ignores local (stale-possible) reads', () => {
    const g = { ...get(3, 'a', 6, 7), consistency: 'stale-possible' as const };
    expect(checkReads([put1, put2, g], index)).toEqual([]);
  });
});

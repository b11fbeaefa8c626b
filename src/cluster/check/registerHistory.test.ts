import { describe, expect, it } from 'vitest';
import { checkRegister, type LinOp } from '../../check/linearizable/index';
import { generateRegisterHistory } from './registerHistory';

describe('the linearizability checker on simulated register histories', () => {
  it('answers unknown when the budget runs out, and ok with enough budget', () => {
    const ops = generateRegisterHistory({ seed: 3, ops: 300, clients: 20, keys: 2 });
    expect(checkRegister(ops, { budget: 10 }).status).toBe('unknown');
    const r = checkRegister(ops);
    expect(r.status).toBe('ok');
    expect(r.steps).toBeGreaterThan(10);
  });

  it('generated valid histories pass; corrupting one read makes them fail', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const ops = generateRegisterHistory({ seed, ops: 400, clients: 12, keys: 3 });
      const r = checkRegister(ops);
      expect(r.status).toBe('ok');
      // every completed op got a point within its interval
      for (const o of ops) {
        if (o.complete === Infinity) continue;
        const p = r.points.get(o.id)!;
        expect(p).toBeGreaterThanOrEqual(o.invoke);
        expect(p).toBeLessThanOrEqual(o.complete);
      }
      const bad: LinOp[] = ops.map((o) => ({ ...o }));
      const g = bad.find((o) => o.kind === 'get' && o.invoke > 100)!;
      g.value = 'never-written';
      const rb = checkRegister(bad);
      expect(rb.status).toBe('violated');
      expect(rb.fail?.op).toBe(g.id);
    }
  });

  it('is a function of its options', () => {
    const o = { seed: 9, ops: 200, clients: 8, keys: 2 };
    expect(generateRegisterHistory(o)).toEqual(generateRegisterHistory(o));
    expect(generateRegisterHistory({ ...o, seed: 10 })).not.toEqual(generateRegisterHistory(o));
  });
});

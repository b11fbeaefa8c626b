import { describe, expect, it } from 'vitest';
import { Cluster, type ClusterConfig } from './cluster';
import { RunImportError, parseRun, stringifyRun } from './recorder';
import { inProcessRuntime } from './runtime/inProcess';

function config(over: Partial<ClusterConfig> = {}): ClusterConfig {
  return { nodes: 3, seed: 31, runtime: inProcessRuntime, ...over };
}

/** A short scripted session with faults, client ops and manual message actions. */
async function session(c: Cluster): Promise<void> {
  await c.advance(15);
  await c.put('a', '1');
  await c.advance(3);
  await c.setLinkFaults(1, 2, { loss: 0.3 });
  await c.put('b', '2', { node: 2 });
  await c.advance(4);
  const env = c.inFlight()[0];
  if (env !== undefined) await c.duplicate(env.id);
  await c.partition([[1], [2, 3]]);
  await c.advance(15);
  await c.get('a', { node: 3, linearizable: true });
  await c.heal();
  await c.crash(3);
  await c.advance(5);
  await c.restart(3);
  await c.advance(10);
}

describe('recorder', () => {
  it('records actions with checkpoints', async () => {
    const c = await Cluster.create(config());
    await session(c);
    const r = c.recorder;
    expect(r.actions.length).toBeGreaterThanOrEqual(14);
    expect(r.cursor).toBe(r.actions.length);
    expect(r.checkpoints).toHaveLength(r.actions.length);
    r.checkpoints.forEach((cp, i) => {
      expect(cp.actionIndex).toBe(i + 1);
      if (i > 0) expect(cp.time).toBeGreaterThanOrEqual(r.checkpoints[i - 1]!.time);
    });
    expect(r.checkpoints[r.checkpoints.length - 1]!.traceHash).toBe(c.traceHash());
    await c.dispose();
  });

  it('seek replays deterministically, backwards and forwards', async () => {
    const c = await Cluster.create(config());
    await session(c);
    const end = c.recorder.actions.length;
    const finalHash = c.traceHash();
    const mid = 6;
    const midCp = c.recorder.checkpoints[mid - 1]!;
    await c.seek(mid);
    expect(c.currentStep).toBe(mid);
    expect(c.time).toBe(midCp.time);
    expect(c.traceHash()).toBe(midCp.traceHash);
    await c.seek(end);
    expect(c.traceHash()).toBe(finalHash);
    await c.seek(0);
    expect(c.time).toBe(0);
    expect(c.history).toHaveLength(0);
    await c.dispose();
  });

  it('fork starts a new branch from a past step', async () => {
    const c = await Cluster.create(config());
    await session(c);
    const old = c.recorder.actions.length;
    const cpHash = c.recorder.checkpoints[3]!.traceHash;
    const branch = await c.fork(4);
    expect(branch).toBe(0);
    expect(c.recorder.actions).toHaveLength(4);
    expect(c.recorder.branches[0]!.actions).toHaveLength(old - 4);
    expect(c.traceHash()).toBe(cpHash);
    await c.put('fork', 'yes');
    await c.advance(10);
    expect(c.recorder.actions).toHaveLength(6);
    // the new branch replays to itself
    const h = c.traceHash();
    await c.seek(0);
    await c.seek(6);
    expect(c.traceHash()).toBe(h);
    // an action after seeking back forks implicitly
    await c.seek(5);
    await c.advance(1);
    expect(c.recorder.actions).toHaveLength(6);
    expect(c.recorder.branches).toHaveLength(2);
    await c.dispose();
  });

  it('export then import reproduces the run', async () => {
    const c = await Cluster.create(config({ raft: { maxSizePerMsg: Infinity } }));
    await session(c);
    const json = c.exportRunJson();
    const parsed = parseRun(json);
    expect(parsed.config.raft?.maxSizePerMsg).toBe(Infinity);
    const d = await Cluster.create(config({ seed: 99, nodes: 5 }));
    await d.importRun(json);
    expect(d.traceHash()).toBe(c.traceHash());
    expect(d.nodeIds()).toEqual([1, 2, 3]);
    expect(d.recorder.actions).toHaveLength(c.recorder.actions.length);
    await c.dispose();
    await d.dispose();
  });

  it('malformed imports fail with a clear message and change nothing', async () => {
    const c = await Cluster.create(config());
    await c.advance(20);
    await c.put('k', 'v');
    await c.advance(5);
    const hash = c.traceHash();
    const steps = c.recorder.actions.length;
    const good = c.exportRun();
    const bad: [unknown, RegExp][] = [
      ['{not json', /not valid JSON/],
      [{ ...good, format: 'other' }, /format/],
      [{ ...good, version: 2 }, /version/],
      [{ ...good, actions: [{ index: 0, time: 0, kind: 'explode', args: [], result: 'ok' }] }, /actions\.0\.kind/],
      [{ ...good, config: { ...good.config, nodes: -1 } }, /config\.nodes/],
      [{ ...good, summary: { ...good.summary, traceHash: 'zz' } }, /traceHash/],
      [{ ...good, actions: good.actions.map((a, i) => ({ ...a, index: i + 1 })) }, /expected index/],
      [
        { ...good, actions: [{ index: 0, time: 0, kind: 'put', args: [1, 'v'], result: 'ok' }] },
        /actions\.0 \(put\): argument 1: expected a string/,
      ],
      [
        { ...good, actions: [{ index: 0, time: 0, kind: 'partition', args: [[[1, 'x']]], result: 'ok' }] },
        /actions\.0 \(partition\): argument 1\.0\.1: expected a number/,
      ],
      [{ ...good, extra: 1 }, /unknown field extra/],
      [
        { ...good, config: { ...good.config, raft: { electionTick: 0 } } },
        /config\.raft\.electionTick: must be positive/,
      ],
      [{ ...good, seed: good.seed + 1 }, /seed differs from config\.seed/],
      // well-formed but the replay goes elsewhere
      [{ ...good, summary: { ...good.summary, traceHash: '0123456789abcdef' } }, /diverged/],
      // well-formed but an action cannot run
      [{ ...good, actions: [{ index: 0, time: 0, kind: 'crash', args: [42], result: 'ok' }] }, /replay failed/],
    ];
    for (const [input, re] of bad) {
      const text = typeof input === 'string' ? input : stringifyRun(input as never);
      await expect(c.importRun(text)).rejects.toThrow(RunImportError);
      await expect(c.importRun(text)).rejects.toThrow(re);
      expect(c.traceHash()).toBe(hash);
      expect(c.recorder.actions).toHaveLength(steps);
    }
    // still usable afterwards
    await c.advance(1);
    expect(c.recorder.actions).toHaveLength(steps + 1);
    await c.dispose();
  });
});

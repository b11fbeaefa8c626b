import { compressToEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { Cluster, type ClusterConfig } from './cluster';
import { RunImportError } from './runFile';
import { decodeRunLink, encodeRunLink, maxLinkChars, runLinkUrl, runParamOf, type LinkedRun } from './runLink';
import { inProcessRuntime } from './runtime/inProcess';

function config(over: Partial<ClusterConfig> = {}): ClusterConfig {
  return { nodes: 3, seed: 11, runtime: inProcessRuntime, ...over };
}

/** A run with crashes, a partition, puts and a refused action. */
async function scenario(c: Cluster): Promise<void> {
  await c.advance(15);
  await c.put('x', '1');
  await c.advance(3);
  await c.partition([[1], [2, 3]]);
  await c.advance(15);
  await c.put('y', '2', { node: 2 });
  await c.crash(3);
  await expect(c.crash(3)).rejects.toThrow(/not running/);
  await c.advance(5);
  await c.heal();
  await c.restart(3);
  await c.advance(12);
  await c.get('x', { node: 3, linearizable: true });
  await c.advance(4);
}

/** What a person compares: step, hash, and each node's term, commit and applied. */
async function state(c: Cluster) {
  const o = await c.observe();
  return {
    step: o.step,
    hash: o.traceHash,
    time: o.time,
    nodes: o.nodes.map((n) => ({
      id: n.id,
      status: n.status,
      term: n.observation?.term ?? n.disk.term,
      commit: n.observation?.commit ?? n.disk.commit,
      applied: n.observation?.applied,
    })),
  };
}

describe('run links', () => {
  it('round-trip a run: same trace hash, step and node states, and the link fits', async () => {
    const a = await Cluster.create(config());
    await scenario(a);
    const link = a.linkedRun({ panel: 'client', node: 2 });
    expect(link.actions.some((x) => x.failed === true)).toBe(true);
    const { url, tooLong } = runLinkUrl('http://127.0.0.1/raftlab/?x=1#old', link);
    expect(tooLong).toBe(false);
    expect(url.startsWith('http://127.0.0.1/raftlab/?x=1#run=1.')).toBe(true);

    const b = await Cluster.create(config({ seed: 999, nodes: 5 }));
    const view = await b.openLink(runParamOf(new URL(url).hash)!);
    expect(view).toEqual({ panel: 'client', node: 2 });
    expect(await state(b)).toEqual(await state(a));
    expect(b.recorder.actions.map((x) => [x.kind, x.args, x.result, x.time])).toEqual(
      a.recorder.actions.map((x) => [x.kind, x.args, x.result, x.time]),
    );
    await a.dispose();
    await b.dispose();
  });

  it('a link made after a seek back opens at that step, and seeking forward replays the rest', async () => {
    const a = await Cluster.create(config());
    await scenario(a);
    const end = await state(a);
    const total = a.recorder.actions.length;
    await a.seek(6);
    const mid = await state(a);
    const b = await Cluster.create(config());
    await b.openLink(encodeRunLink(a.linkedRun()));
    expect(await state(b)).toEqual(mid);
    expect(b.recorder.actions).toHaveLength(total);
    await b.seek(total);
    expect(await state(b)).toEqual(end);
    await a.dispose();
    await b.dispose();
  });

  it('a link past the size limit says so', async () => {
    const c = await Cluster.create(config());
    const run = c.linkedRun();
    // Incompressible keys make a long link quickly.
    let seed = 1;
    const rnd = () => ((seed = (seed * 48271) % 2147483647), seed.toString(36));
    run.actions = Array.from({ length: 600 }, () => ({
      kind: 'put' as const,
      args: [rnd(), rnd()] as [string, string],
    }));
    const r = runLinkUrl('http://h/', run);
    expect(r.tooLong).toBe(true);
    expect(r.chars).toBeGreaterThan(maxLinkChars);
    await c.dispose();
  });

  it('malformed links are refused with a sentence saying what is wrong, and change nothing', async () => {
    const c = await Cluster.create(config());
    await c.advance(12);
    await c.put('k', 'v');
    const good = c.linkedRun();
    const before = await state(c);
    const steps = c.recorder.actions.length;
    const enc = (payload: unknown) => `1.${compressToEncodedURIComponent(JSON.stringify(payload))}`;
    const payload = JSON.parse(
      JSON.stringify({
        c: good.config,
        a: good.actions.map((a) => [a.kind, ...a.args]),
        s: good.step,
        h: good.traceHash,
      }),
    ) as { c: { nodes: number }; a: unknown[][]; s: number; h: string };
    const goodLink = encodeRunLink(good);
    const bad: [string, RegExp][] = [
      ['', /no format number/],
      ['abc', /no format number/],
      ['2.xyz', /newer Raftlab \(link format 2\)/],
      ['0.xyz', /link format 0 does not exist/],
      ['1.', /carries no run data/],
      [goodLink.slice(0, Math.floor(goodLink.length / 2)), /damaged|invalid run/],
      [`1.${compressToEncodedURIComponent('{"c":')}`, /not valid JSON/],
      ['1.!!!!', /damaged/],
      [enc({ ...payload, c: { ...payload.c, nodes: 0 } }), /invalid run: c\.nodes: must be at least 1/],
      [enc({ ...payload, h: 'nothex' }), /invalid run: h: has the wrong format/],
      [enc({ ...payload, a: [['explode', 1]] }), /action 0: unknown action "explode"/],
      [enc({ ...payload, a: [['put', 1, 'v']] }), /action 0: put: argument 1: expected a string/],
      [enc({ ...payload, a: [['crash']] }), /action 0: crash: too few arguments \(at least 1\)/],
      [enc({ ...payload, a: [[7]] }), /action 0: expected its kind first/],
      [enc({ ...payload, s: 99 }), /opens at step 99, but the run has only \d+ actions/],
      [enc({ ...payload, extra: true }), /unknown field extra/],
      [enc({ ...payload, h: '0123456789abcdef' }), /replay differs from the run that was shared/],
      [enc({ ...payload, a: [['crash', 42]], s: 1 }), /replay failed: action 0 \(crash\) failed/],
    ];
    for (const [link, re] of bad) {
      const err = await c.openLink(link).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, link).toBeInstanceOf(RunImportError);
      expect((err as Error).message, link).toMatch(re);
      expect(await state(c)).toEqual(before);
      expect(c.recorder.actions).toHaveLength(steps);
    }
    // The good one still opens.
    await c.openLink(goodLink);
    expect(await state(c)).toEqual(before);
    await c.dispose();
  });

  it('finds the run parameter in a fragment', () => {
    expect(runParamOf('#run=1.abc')).toBe('1.abc');
    expect(runParamOf('#x=2&run=1.abc')).toBe('1.abc');
    expect(runParamOf('run=1.a=b')).toBe('1.a=b');
    expect(runParamOf('#lesson=x')).toBeUndefined();
    expect(runParamOf('')).toBeUndefined();
  });

  it('decodes what it encodes, failed actions and view included', () => {
    const run: LinkedRun = {
      config: { nodes: 3, seed: 5, raft: { maxSizePerMsg: Infinity } },
      actions: [
        { kind: 'advance', args: [3] },
        { kind: 'put', args: ['k', 'v', null, 'c2'] },
        { kind: 'crash', args: [9], failed: true },
        { kind: 'setLinkFaults', args: [null, null] },
      ],
      step: 2,
      traceHash: '0123456789abcdef',
      view: { panel: 'node', node: 3 },
    };
    expect(decodeRunLink(encodeRunLink(run))).toEqual(run);
  });
});

import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../cluster/cluster';
import { settled } from '../../../cluster/clusterTestSupport';
import { inProcessRuntime } from '../../../cluster/runtime/inProcess';
import { narrateAll } from '../../../explain';
import { Feed } from './feed';

const texts = (lines: readonly { seq: number; text: string }[]) => lines.map((l) => `${l.seq} ${l.text}`);

describe('narration feed', () => {
  it('narrates the cluster as it runs, the same lines as narrating its kept events at once', async () => {
    const c = await Cluster.create({ nodes: 3, seed: 3, runtime: inProcessRuntime });
    const feed = new Feed(
      () => c,
      () => () => undefined,
    );
    let calls = 0;
    const stop = feed.subscribe(() => calls++);
    await settled(c);
    await c.put('x', '1');
    await c.advance(3);
    expect(calls).toBeGreaterThan(0);
    expect(feed.lines.length).toBeGreaterThan(3);
    expect(texts(feed.lines)).toEqual(texts(narrateAll(c.clusterEvents())));
    expect(feed.lines.some((l) => l.kind === 'role' && l.nodes.includes(c.leader()))).toBe(true);

    // Seek back and act: a new branch; the lines of the discarded steps go.
    const back = Math.floor(c.currentStep / 2);
    await c.seek(back);
    await c.advance(1);
    expect(Math.max(...feed.lines.map((l) => l.step))).toBeLessThanOrEqual(back + 1);
    expect(texts(feed.lines)).toEqual(texts(narrateAll(c.clusterEvents())));

    // Nobody watching: detached, nothing kept.
    stop();
    expect(feed.lines).toEqual([]);
    await c.dispose();
  });

  it('follows its source to a new cluster', async () => {
    const a = await Cluster.create({ nodes: 3, seed: 4, runtime: inProcessRuntime });
    await settled(a);
    const b = await Cluster.create({ nodes: 3, seed: 5, runtime: inProcessRuntime });
    let current = a;
    let poke = () => undefined as void;
    const feed = new Feed(
      () => current,
      (p) => {
        poke = p;
        return () => undefined;
      },
    );
    const stop = feed.subscribe(() => undefined);
    expect(texts(feed.lines)).toEqual(texts(narrateAll(a.clusterEvents())));
    current = b;
    poke();
    expect(texts(feed.lines)).toEqual(texts(narrateAll(b.clusterEvents())));
    await b.advance(30);
    expect(texts(feed.lines)).toEqual(texts(narrateAll(b.clusterEvents())));
    stop();
    await a.dispose();
    await b.dispose();
  });
});

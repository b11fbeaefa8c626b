import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyObservation,
  controller,
  getState,
  pushNotice,
  raftStore,
  resetStore,
  selectLeader,
  selectNode,
  selectNodeId,
  updateSettings,
} from './index';
import type { Envelope } from '../../cluster/bus';
import type { Cluster } from '../../cluster/cluster';
import { backOfLinkDue } from './controller';

describe('ui store', () => {
  beforeEach(() => resetStore());
  afterEach(async () => {
    await controller.dispose();
  });

  it('clamps settings to the ranges the UI supports', () => {
    updateSettings({ nodes: 42, electionTick: 1, heartbeatTick: 5, loss: 3 });
    const s = getState().settings.settings;
    expect(s.nodes).toBe(9);
    expect(s.electionTick).toBe(2);
    expect(s.heartbeatTick).toBe(1);
    expect(s.loss).toBe(1);
  });

  it('the controller builds an in-process cluster, elects a leader and feeds the view model', async () => {
    await controller.start({ runtime: 'in-process', autoplay: false, settings: { nodes: 3, seed: 7 } });
    expect(getState().cluster.runtime).toBe('in-process');
    await controller.advance(60);
    await controller.idle();
    const s = getState();
    expect(s.cluster.nodeIds).toEqual([1, 2, 3]);
    const leader = selectLeader(s);
    expect(leader).toBeGreaterThan(0);
    expect(selectNode(leader)(s)?.state).toBe('StateLeader');
    expect(s.cluster.step).toBeGreaterThan(0);
    expect(s.cluster.actions.length).toBe(s.cluster.step);

    // Node views are reused by identity when nothing in them changed.
    const before = getState().cluster.nodesById.get(1);
    const o = getState().cluster.observation!;
    applyObservation(o, getState().cluster.actions);
    expect(getState().cluster.nodesById.get(1)).toBe(before);

    // A failing action becomes an error notice, not an exception.
    await controller.restart(leader); // restarting a running node is refused by the cluster
    await controller.deliver(999_999);
    expect(getState().ui.notices.some((n) => n.kind === 'error' && n.text.includes('deliver message 999999'))).toBe(
      true,
    );

    // Crash the leader: another is elected and the crashed node shows its disk state.
    await controller.crash(leader);
    await controller.advance(80);
    await controller.idle();
    const s2 = getState();
    expect(s2.cluster.nodesById.get(leader)?.alive).toBe(false);
    expect(s2.cluster.leader).not.toBe(leader);
    expect(s2.cluster.leader).toBeGreaterThan(0);
  });

  it('Delay sends a message to the back of its link, as a recorded reorder', async () => {
    const env = (id: number, from: number, to: number, dueTime: number) => ({ id, from, to, dueTime }) as Envelope;
    const wire = [env(1, 1, 2, 5), env(2, 1, 2, 6.5), env(3, 1, 3, 9), env(4, 2, 1, 8)];
    // Behind the latest on the same link (1→2), not behind other links' messages.
    expect(backOfLinkDue(1, wire)).toBe(7.5);
    // Alone (or already last) on its link: one tick later.
    expect(backOfLinkDue(3, wire)).toBe(10);
    expect(() => backOfLinkDue(99, wire)).toThrow('no longer on the wire');

    await controller.start({ runtime: 'in-process', autoplay: false, settings: { nodes: 3, seed: 7 } });
    await controller.advance(60);
    await controller.idle();
    const leader = selectLeader(getState());
    await controller.setMode('manual');
    // The façade is on window in the browser; here, read it from the controller.
    const c = (controller as unknown as { cluster: Cluster }).cluster;
    await c.put('a', '1', { node: leader });
    await c.runCycle(leader);
    await c.put('b', '2', { node: leader });
    await c.runCycle(leader);
    const follower = [1, 2, 3].find((n) => n !== leader)!;
    const onLink = () =>
      c
        .inFlight()
        .filter((e) => e.from === leader && e.to === follower)
        .sort((x, y) => x.dueTime - y.dueTime)
        .map((e) => e.id);
    const [first, ...rest] = onLink();
    expect(rest.length).toBeGreaterThan(0);
    await controller.delay(first!);
    await controller.idle();
    // Every other message on the link now comes first.
    expect(onLink()).toEqual([...rest, first]);
    expect(getState().cluster.actions.at(-1)?.kind).toBe('reorder');
  });

  it('selection is pruned when the selected node disappears', async () => {
    await controller.start({ runtime: 'in-process', autoplay: false, settings: { nodes: 3, seed: 1 } });
    selectNodeId(2);
    expect(getState().selection.selectedNode).toBe(2);
    await controller.reset({ nodes: 1 });
    await controller.idle();
    expect(getState().selection.selectedNode).toBe(0);
    expect(raftStore.getState().cluster.nodeIds).toEqual([1]);
  });

  it('notices: errors are sticky, info fades', () => {
    pushNotice('error', 'boom');
    pushNotice('info', 'hello', { ttlMs: 10 });
    const ns = getState().ui.notices;
    expect(ns.map((n) => [n.kind, n.sticky])).toEqual([
      ['error', true],
      ['info', false],
    ]);
  });
});

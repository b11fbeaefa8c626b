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
    expect(getState().ui.notices.some((n) => n.kind === 'error' && n.text.includes('deliver message 999999'))).toBe(true);

    // Crash the leader: another is elected and the crashed node shows its disk state.
    await controller.crash(leader);
    await controller.advance(80);
    await controller.idle();
    const s2 = getState();
    expect(s2.cluster.nodesById.get(leader)?.alive).toBe(false);
    expect(s2.cluster.leader).not.toBe(leader);
    expect(s2.cluster.leader).toBeGreaterThan(0);
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

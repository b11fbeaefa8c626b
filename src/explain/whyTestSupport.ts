// Helpers for driving a Cluster by hand in tests (manual mode): run Ready cycles,
// deliver chosen messages, elect a chosen leader. Not used by the product code.

import type { Envelope } from '../cluster/bus';
import { Cluster, type ClusterConfig, type RaftSettings } from '../cluster/cluster';
import { inProcessRuntime } from '../cluster/runtime/inProcess';
import { messageTypeNames } from '../raft/raftpb/types';
import { observeWhyState } from './whyState';
import type { WhyState } from './types';

/**
 * A manual-mode cluster (nothing moves unless a test says so) whose nodes have run
 * their first Ready (the bootstrap configuration is applied: they may campaign).
 */
export async function manualCluster(
  raft: Partial<RaftSettings> = {},
  over: Partial<ClusterConfig> = {},
): Promise<Cluster> {
  const c = await Cluster.create({
    nodes: 3,
    seed: 1,
    runtime: inProcessRuntime,
    mode: 'manual',
    raft: { preVote: false, checkQuorum: false, ...raft },
    ...over,
  });
  await cycleAll(c);
  return c;
}

/** Runs every running node's Ready cycles until none has one. */
export async function cycleAll(c: Cluster): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const o = await c.observe();
    const ready = o.nodes.filter((n) => n.status === 'alive' && !n.paused && n.observation?.hasReady === true);
    if (ready.length === 0) return;
    for (const n of ready) await c.runCycle(n.id);
  }
}

/** Messages in flight that match. */
export function inFlight(c: Cluster, pred: (e: Envelope) => boolean = () => true): Envelope[] {
  return c.inFlight().filter(pred);
}

/**
 * Cycles and delivers messages that match pred until no more move (messages that do
 * not match stay on the wire). Returns how many were delivered.
 */
export async function pump(c: Cluster, pred: (e: Envelope) => boolean = () => true, maxRounds = 50): Promise<number> {
  let n = 0;
  for (let r = 0; r < maxRounds; r++) {
    await cycleAll(c);
    const due = inFlight(c, pred);
    if (due.length === 0) return n;
    for (const e of due) {
      await c.deliver(e.id);
      n++;
    }
  }
  return n;
}

/** Node id campaigns and the cluster runs until it has (delivering what pred allows). */
export async function elect(c: Cluster, id: number, pred: (e: Envelope) => boolean = () => true): Promise<void> {
  await c.campaign(id);
  await pump(c, pred);
}

/** Drops every message in flight that matches. */
export async function dropWhere(c: Cluster, pred: (e: Envelope) => boolean): Promise<void> {
  for (const e of inFlight(c, pred)) await c.drop(e.id);
}

/** The why state of the cluster now. */
export function why(c: Cluster): Promise<WhyState> {
  return observeWhyState(c);
}

export const typeIs =
  (...types: string[]) =>
  (e: Envelope): boolean =>
    types.includes(messageTypeName(e));

export function messageTypeName(e: Envelope): string {
  return messageTypeNames[e.msg.type] ?? String(e.msg.type);
}

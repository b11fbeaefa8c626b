// The bridge between the safety panel and the checkers.
//
// PROVISIONAL: src/check (the pure invariant and linearizability checkers) is being
// written at the same time as this panel. Until it lands, the properties that can be
// judged from what the UI already observes at every step (roles and terms, applied
// index and KV contents, the durable HardState, the actions) are checked here in the
// simplest possible way; the ones that need every node's log (append-only, log
// matching, leader completeness) and linearizability report 'unavailable'. When
// src/check lands, `runCheckers` calls it instead and this file shrinks to a mapping.

import { StateLeader } from '../../../raft/types';
import type { InvariantId, InvariantRow, LinearizabilityView, SafetyInput } from './engine';
import { invariantInfo } from './engine';

type Outcome = Omit<InvariantRow, 'id' | 'title' | 'explain'>;

const ok: Outcome = { status: 'ok' };

function electionSafety(inp: SafetyInput): Outcome {
  const leaderOf = new Map<number, number>();
  for (const o of inp.observations) {
    for (const n of o.nodes) {
      const ob = n.observation;
      if (n.status !== 'alive' || ob === undefined || ob.role !== StateLeader) continue;
      const prev = leaderOf.get(ob.term);
      if (prev !== undefined && prev !== n.id)
        return {
          status: 'violated',
          step: o.step,
          time: o.time,
          detail: `nodes ${prev} and ${n.id} were both leader in term ${ob.term}`,
        };
      leaderOf.set(ob.term, n.id);
    }
  }
  return ok;
}

function stateMachineSafety(inp: SafetyInput): Outcome {
  // Nodes that applied the same prefix of the log must hold the same KV map.
  for (const o of inp.observations) {
    const byApplied = new Map<number, { id: number; kv: string }>();
    for (const n of o.nodes) {
      const ob = n.observation;
      if (n.status !== 'alive' || ob === undefined) continue;
      const kv = JSON.stringify(Object.entries(ob.kv).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      const other = byApplied.get(ob.applied);
      if (other !== undefined && other.kv !== kv)
        return {
          status: 'violated',
          step: o.step,
          time: o.time,
          detail: `nodes ${other.id} and ${n.id} applied up to index ${ob.applied} but hold different data`,
        };
      byApplied.set(ob.applied, { id: n.id, kv });
    }
  }
  return ok;
}

function durability(inp: SafetyInput): Outcome {
  const last = new Map<number, { term: number; commit: number; lastIndex: number }>();
  for (const o of inp.observations) {
    for (const n of o.nodes) {
      const d = n.disk;
      const p = last.get(n.id);
      if (p !== undefined && (d.term < p.term || d.commit < p.commit))
        return {
          status: 'violated',
          step: o.step,
          time: o.time,
          detail: `node ${n.id}'s durable state went back (term ${p.term} → ${d.term}, commit ${p.commit} → ${d.commit})`,
        };
      last.set(n.id, { term: d.term, commit: d.commit, lastIndex: d.lastIndex });
    }
  }
  return ok;
}

function liveness(inp: SafetyInput): Outcome {
  const o = inp.observation;
  const voters = o.nodes.length;
  const alive = o.nodes.filter((n) => n.status === 'alive' && !n.paused).length;
  const cut = o.links.some((l) => !l.up);
  if (cut || alive <= voters / 2) return { status: 'waiting', detail: 'the network is split or a majority is down' };
  // Since when has the cluster been whole? The last fault-repairing action, or the start.
  let since = 0;
  for (let i = Math.min(o.step, inp.actions.length) - 1; i >= 0; i--) {
    const a = inp.actions[i]!;
    if (['heal', 'restart', 'resume', 'cut', 'partition', 'crash', 'pause'].includes(a.kind)) {
      since = a.time;
      break;
    }
  }
  const leader = o.nodes.some((n) => n.status === 'alive' && n.observation?.role === StateLeader);
  if (leader) return ok;
  // etcd's default election timeout is 10 ticks, randomized up to 20; allow generous slack.
  const bound = 100;
  if (o.time - since > bound)
    return {
      status: 'violated',
      step: o.step,
      time: o.time,
      detail: `no leader ${Math.round(o.time - since)} ticks after the cluster became whole at t=${since}`,
    };
  return { status: 'waiting', detail: 'electing a leader' };
}

const provisional: Partial<Record<InvariantId, (inp: SafetyInput) => Outcome>> = {
  'election-safety': electionSafety,
  'state-machine-safety': stateMachineSafety,
  durability,
  liveness,
};

export function runCheckers(inp: SafetyInput): { invariants: InvariantRow[]; linearizability: LinearizabilityView } {
  const invariants = invariantInfo.map((info) => {
    const f = provisional[info.id];
    const r: Outcome =
      f === undefined ? { status: 'unavailable', detail: 'needs the log checker (src/check)' } : f(inp);
    return { ...info, ...r };
  });
  return {
    invariants,
    linearizability: {
      status: 'unavailable',
      points: new Map(),
      detail: 'needs the linearizability checker (src/check)',
    },
  };
}

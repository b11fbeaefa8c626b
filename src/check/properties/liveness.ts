// Liveness after healing: once no fault is active, the cluster has a leader, and that
// leader commits an entry of its own term, within `livenessBound` ticks (measured from
// the later of the healing and the last time it had a committing leader).

import { StateLeader } from '../../raft/types';
import { logLastIndex, termAt, type Model, type ModelNode } from '../model';
import { Collector, type PropertyOptions, type PropertyResult } from './types';

export function checkLiveness(model: Model, opts: PropertyOptions = {}): PropertyResult {
  const c = new Collector('liveness', opts);
  const bound = opts.livenessBound ?? 200;
  let healedAt: number | undefined;
  let lastGood: number | undefined;
  let wasGood = false;
  let waiting: string | undefined = 'no step observed yet';
  for (const s of model.steps) {
    if (s.faulty) {
      healedAt = undefined;
      waiting = 'no majority is up and connected';
      continue;
    }
    if (healedAt === undefined) {
      healedAt = s.time;
      wasGood = false;
    }
    const leaders = s.nodes.filter((n) => n.alive && !n.removed && n.role === StateLeader);
    const top = leaders.reduce<ModelNode | undefined>(
      (a, n) => (a === undefined || n.term > a.term ? n : a),
      undefined,
    );
    const committing =
      top !== undefined && (top.commit > logLastIndex(top.log) || termAt(top.log, top.commit) === top.term);
    if (top !== undefined && committing) {
      lastGood = s.time;
      wasGood = true;
      waiting = undefined;
      continue;
    }
    const since = Math.max(healedAt, wasGood ? (lastGood ?? healedAt) : healedAt);
    const waited = s.time - since;
    const what = top === undefined ? 'no leader' : `leader ${top.id} has not committed an entry of term ${top.term}`;
    if (waited > bound) {
      c.add(s.step, s.time, `${what} ${Math.round(waited)} ticks after the cluster was whole (t=${since})`);
      waiting = undefined;
    } else waiting = top === undefined ? 'electing a leader' : 'waiting for the new leader to commit';
  }
  const r = c.result();
  if (r.status === 'holds' && waiting !== undefined) {
    r.status = 'waiting';
    r.detail = waiting;
  }
  return r;
}

// Hand-made models for the property tests.

import { StateFollower, StateLeader, type StateType } from '../../raft/types';
import { makeLog, type Model, type ModelEvent, type ModelLog, type ModelNode, type ModelStep } from '../model';

export interface NodeSpec {
  id: number;
  alive?: boolean;
  role?: StateType;
  term?: number;
  vote?: number;
  commit?: number;
  applied?: number;
  kv?: string;
  incarnation?: number;
  /** Entries from index 1 as [term, hash?]; or a ready ModelLog. */
  log?: readonly (readonly [number, string?])[] | ModelLog;
  disk?: { term?: number; vote?: number; commit?: number };
}

const logCache = new Map<string, ModelLog>();

export function node(s: NodeSpec): ModelNode {
  const alive = s.alive ?? true;
  const term = s.term ?? 1;
  let log: ModelLog;
  if (s.log === undefined || Array.isArray(s.log)) {
    const ents = (s.log ?? []) as readonly (readonly [number, string?])[];
    // Equal specs share one log value, as the live adapter shares unchanged logs.
    const k = JSON.stringify(ents);
    log = logCache.get(k) ?? makeLog(1, ents);
    logCache.set(k, log);
  } else log = s.log as ModelLog;
  const commit = s.commit ?? 0;
  return {
    id: s.id,
    alive,
    paused: false,
    removed: false,
    incarnation: s.incarnation ?? 0,
    term,
    vote: s.vote ?? 0,
    role: alive ? (s.role ?? StateFollower) : undefined,
    lead: 0,
    commit,
    applied: s.applied ?? 0,
    kvHash: alive ? (s.kv ?? `kv${s.applied ?? 0}`) : undefined,
    disk: { term: s.disk?.term ?? term, vote: s.disk?.vote ?? s.vote ?? 0, commit: s.disk?.commit ?? commit },
    log,
  };
}

export function step(
  i: number,
  nodes: NodeSpec[],
  o: { time?: number; faulty?: boolean; events?: ModelEvent[] } = {},
): ModelStep {
  return { step: i, time: o.time ?? i * 10, nodes: nodes.map(node), events: o.events ?? [], faulty: o.faulty ?? false };
}

export function model(...steps: ModelStep[]): Model {
  return { steps };
}

export { StateFollower, StateLeader };

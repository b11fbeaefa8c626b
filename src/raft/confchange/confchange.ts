// Computes new membership configurations from conf changes, checking that each
// step keeps the configuration's invariants.

import { RaftError } from '../errors';
import { MajorityConfig } from '../quorum/majority';
import {
  ConfChangeAddLearnerNode,
  ConfChangeAddNode,
  ConfChangeRemoveNode,
  ConfChangeUpdateNode,
  confChangeTypeNames,
  type ConfChangeSingle,
} from '../raftpb/types';
import { Progress, ProgressMap } from '../tracker/progress';
import { Inflights } from '../tracker/inflights';
import { type Config, type ProgressTracker } from '../tracker/tracker';

/**
 * Turns conf changes into a new [Config, ProgressMap] on top of `tracker`'s
 * current ones, without touching the tracker: the caller installs the result.
 * Every method throws a RaftError (etcd's message) when the change is illegal.
 *
 * lastIndex is the leader's last log index; new peers start probing there.
 */
export class Changer {
  tracker: ProgressTracker;
  lastIndex: number;

  constructor(tracker: ProgressTracker, lastIndex: number) {
    this.tracker = tracker;
    this.lastIndex = lastIndex;
  }

  /**
   * Enters a joint configuration: the current voters become the outgoing half,
   * and the changes are applied to the incoming half. With autoLeave, raft
   * leaves the joint configuration by itself once it is committed.
   */
  enterJoint(autoLeave: boolean, ...ccs: ConfChangeSingle[]): [Config, ProgressMap] {
    const [cfg, trk] = this.checkAndCopy();
    if (joint(cfg)) throw new RaftError('config is already joint');
    if (cfg.voters[0].size === 0) {
      // An empty config may receive voters (bootstrap, tests) but cannot go joint.
      throw new RaftError("can't make a zero-voter config joint");
    }
    cfg.voters[1] = new MajorityConfig(cfg.voters[0]);
    this.apply(cfg, trk, ccs);
    cfg.autoLeave = autoLeave;
    return checkAndReturn(cfg, trk);
  }

  /**
   * Leaves a joint configuration: drops the outgoing half, turns learnersNext
   * into learners, and stops tracking peers that are in neither role any more.
   */
  leaveJoint(): [Config, ProgressMap] {
    const [cfg, trk] = this.checkAndCopy();
    if (!joint(cfg)) throw new RaftError("can't leave a non-joint config");
    if (cfg.learnersNext !== undefined) {
      for (const id of sortedOf(cfg.learnersNext)) {
        cfg.learners = nilAwareAdd(cfg.learners, id);
        trk.get(id)!.isLearner = true;
      }
    }
    cfg.learnersNext = undefined;
    for (const id of cfg.voters[1]) {
      const isVoter = cfg.voters[0].has(id);
      const isLearner = cfg.learners !== undefined && cfg.learners.has(id);
      if (!isVoter && !isLearner) trk.delete(id);
    }
    cfg.voters[1] = new MajorityConfig();
    cfg.autoLeave = false;
    return checkAndReturn(cfg, trk);
  }

  /**
   * Applies changes without joint consensus. Allowed only outside a joint
   * configuration, and only if at most one voter is added or removed.
   */
  simple(...ccs: ConfChangeSingle[]): [Config, ProgressMap] {
    const [cfg, trk] = this.checkAndCopy();
    if (joint(cfg)) throw new RaftError("can't apply simple config change in joint config");
    this.apply(cfg, trk, ccs);
    if (symdiff(this.tracker.config.voters[0], cfg.voters[0]) > 1) {
      throw new RaftError('more than one voter changed without entering joint config');
    }
    return checkAndReturn(cfg, trk);
  }

  /** Applies the changes to the incoming half (and learners) of cfg, in place. */
  private apply(cfg: Config, trk: ProgressMap, ccs: readonly ConfChangeSingle[]): void {
    for (const cc of ccs) {
      // Node id 0 marks a change the application chose not to apply.
      if (cc.nodeId === 0) continue;
      switch (cc.type) {
        case ConfChangeAddNode:
          this.makeVoter(cfg, trk, cc.nodeId);
          break;
        case ConfChangeAddLearnerNode:
          this.makeLearner(cfg, trk, cc.nodeId);
          break;
        case ConfChangeRemoveNode:
          this.remove(cfg, trk, cc.nodeId);
          break;
        case ConfChangeUpdateNode:
          break;
        default:
          throw new RaftError(`unexpected conf type ${String(cc.type)}`);
      }
    }
    if (cfg.voters[0].size === 0) throw new RaftError('removed all voters');
  }

  /** Makes id an incoming voter, tracking it if it is new. */
  private makeVoter(cfg: Config, trk: ProgressMap, id: number): void {
    const pr = trk.get(id);
    if (pr === undefined) {
      this.initProgress(cfg, trk, id, false);
      return;
    }
    pr.isLearner = false;
    cfg.learners = nilAwareDelete(cfg.learners, id);
    cfg.learnersNext = nilAwareDelete(cfg.learnersNext, id);
    cfg.voters[0].add(id);
  }

  /**
   * Makes id a learner. A peer that is still an outgoing voter cannot be a
   * learner yet (voters and learners must stay disjoint), so it is staged in
   * learnersNext until the joint configuration is left. Its progress is kept.
   */
  private makeLearner(cfg: Config, trk: ProgressMap, id: number): void {
    const pr = trk.get(id);
    if (pr === undefined) {
      this.initProgress(cfg, trk, id, true);
      return;
    }
    if (pr.isLearner) return;
    this.remove(cfg, trk, id);
    trk.set(id, pr);
    if (cfg.voters[1].has(id)) {
      cfg.learnersNext = nilAwareAdd(cfg.learnersNext, id);
    } else {
      pr.isLearner = true;
      cfg.learners = nilAwareAdd(cfg.learners, id);
    }
  }

  /** Removes id from the incoming half and the learners; keeps its progress while it is an outgoing voter. */
  private remove(cfg: Config, trk: ProgressMap, id: number): void {
    if (!trk.has(id)) return;
    cfg.voters[0].delete(id);
    cfg.learners = nilAwareDelete(cfg.learners, id);
    cfg.learnersNext = nilAwareDelete(cfg.learnersNext, id);
    if (!cfg.voters[1].has(id)) trk.delete(id);
  }

  /** Starts tracking a new peer as a voter or learner. */
  private initProgress(cfg: Config, trk: ProgressMap, id: number, isLearner: boolean): void {
    if (!isLearner) cfg.voters[0].add(id);
    else cfg.learners = nilAwareAdd(cfg.learners, id);
    trk.set(
      id,
      new Progress({
        // Probing starts at the leader's last index (next must exceed match = 0).
        match: 0,
        next: Math.max(this.lastIndex, 1),
        inflights: new Inflights(this.tracker.maxInflight, this.tracker.maxInflightBytes),
        isLearner,
        // A new peer counts as active, so that CheckQuorum does not depose the
        // leader before the peer had a chance to respond.
        recentActive: true,
      }),
    );
  }

  /** Copies the tracker's config and progress (progress shallowly: Inflights are shared) and checks them. */
  private checkAndCopy(): [Config, ProgressMap] {
    const cfg = this.tracker.config.clone();
    const trk = new ProgressMap();
    for (const [id, pr] of this.tracker.progress) trk.set(id, pr.shallowCopy());
    return checkAndReturn(cfg, trk);
  }
}

/** Throws unless cfg and trk satisfy the configuration invariants. */
function checkInvariants(cfg: Config, trk: ProgressMap): void {
  // Every member needs a progress. (The empty config is allowed: it is where
  // bootstrap and tests start from.)
  for (const ids of [sortedOf(cfg.voters.ids()), sortedOf(cfg.learners), sortedOf(cfg.learnersNext)]) {
    for (const id of ids) {
      if (!trk.has(id)) throw new RaftError(`no progress for ${id}`);
    }
  }
  // A staged learner is an outgoing voter not yet marked as learner.
  for (const id of sortedOf(cfg.learnersNext)) {
    if (!cfg.voters[1].has(id)) throw new RaftError(`${id} is in LearnersNext, but not Voters[1]`);
    if (trk.get(id)!.isLearner) throw new RaftError(`${id} is in LearnersNext, but is already marked as learner`);
  }
  // Learners and voters are disjoint.
  for (const id of sortedOf(cfg.learners)) {
    if (cfg.voters[1].has(id)) throw new RaftError(`${id} is in Learners and Voters[1]`);
    if (cfg.voters[0].has(id)) throw new RaftError(`${id} is in Learners and Voters[0]`);
    if (!trk.get(id)!.isLearner) throw new RaftError(`${id} is in Learners, but is not marked as learner`);
  }
  if (!joint(cfg)) {
    // (etcd also requires the outgoing half to be nil here; ours is empty by construction.)
    if (cfg.learnersNext !== undefined) throw new RaftError('cfg.LearnersNext must be nil when not joint');
    if (cfg.autoLeave) throw new RaftError('AutoLeave must be false when not joint');
  }
}

function checkAndReturn(cfg: Config, trk: ProgressMap): [Config, ProgressMap] {
  checkInvariants(cfg, trk);
  return [cfg, trk];
}

/** Adds id to s, creating the set if needed (etcd's nilAwareAdd). */
function nilAwareAdd(s: Set<number> | undefined, id: number): Set<number> {
  const out = s ?? new Set<number>();
  out.add(id);
  return out;
}

/** Removes id from s; a set left empty becomes undefined (etcd's nilAwareDelete). */
function nilAwareDelete(s: Set<number> | undefined, id: number): Set<number> | undefined {
  if (s === undefined) return undefined;
  s.delete(id);
  return s.size === 0 ? undefined : s;
}

/** The number of ids in exactly one of l and r. */
function symdiff(l: MajorityConfig, r: MajorityConfig): number {
  let n = 0;
  for (const id of l) if (!r.has(id)) n++;
  for (const id of r) if (!l.has(id)) n++;
  return n;
}

function joint(cfg: Config): boolean {
  return cfg.voters[1].size > 0;
}

function sortedOf(s: Iterable<number> | undefined): number[] {
  if (s === undefined) return [];
  return Array.from(s).sort((a, b) => a - b);
}

/** etcd's confchange.Describe: "ConfChangeAddNode(1) ConfChangeRemoveNode(2)". */
export function describe(...ccs: ConfChangeSingle[]): string {
  return ccs
    .map((cc) => `${confChangeTypeNames[cc.type] ?? `ConfChangeType(${String(cc.type)})`}(${cc.nodeId})`)
    .join(' ');
}

// add-nodes N [voters=(..)] [learners=(..)] [index=I] [content=C] [inflight=K]
//   [async-storage-writes=b] [prevote=b] [checkquorum=b] [max-committed-size-per-ready=S]
//   [disable-conf-change-validation=b] [read-only=safe|lease-based] [step-down-on-removal=b]
//   Raftlab's additions: [max-uncommitted-size=S] [disable-proposal-forwarding=b]

import { deterministicRandomSource, type Config } from '../../raft/raft';
import { newRawNode } from '../../raft/rawNode';
import { newConfState, newSnapshot, type Snapshot } from '../../raft/raftpb/types';
import { ReadOnlyLeaseBased, ReadOnlySafe } from '../../raft/types';
import type { TestData } from '../datadriven';
import { firstAsInt, scanBool, scanUint } from './handlerArgs';
import { HarnessError, SnapOverrideStorage, type InteractionEnv, type InteractionNode } from './interactionEnv';

/** The per-node settings add-nodes can change; the rest of the Config is fixed by the harness. */
export interface NodeOptions {
  maxInflightMsgs: number;
  applied: number;
  asyncStorageWrites: boolean;
  preVote: boolean;
  checkQuorum: boolean;
  maxCommittedSizePerReady: number;
  disableConfChangeValidation: boolean;
  readOnlyOption: typeof ReadOnlySafe | typeof ReadOnlyLeaseBased;
  stepDownOnRemoval: boolean;
  /** Raftlab addition: Config.maxUncommittedEntriesSize (0 = no limit). */
  maxUncommittedEntriesSize: number;
  /** Raftlab addition: Config.disableProposalForwarding. */
  disableProposalForwarding: boolean;
}

/**
 * The harness's node settings (etcd's raftConfigStub): ElectionTick 3,
 * HeartbeatTick 1, no message size or inflight limit, all else at its zero value.
 */
export function defaultNodeOptions(): NodeOptions {
  return {
    maxInflightMsgs: Infinity,
    applied: 0,
    asyncStorageWrites: false,
    preVote: false,
    checkQuorum: false,
    maxCommittedSizePerReady: 0,
    disableConfChangeValidation: false,
    readOnlyOption: ReadOnlySafe,
    stepDownOnRemoval: false,
    maxUncommittedEntriesSize: 0,
    disableProposalForwarding: false,
  };
}

export function handleAddNodes(env: InteractionEnv, td: TestData): void {
  const n = firstAsInt(td);
  const snap = newSnapshot();
  const voters: number[] = [];
  const learners: number[] = [];
  let index = 0;
  const opts = defaultNodeOptions();
  for (const arg of td.cmdArgs.slice(1)) {
    for (const val of arg.vals) {
      switch (arg.key) {
        case 'voters':
          voters.push(scanUint(td, arg.key, val));
          break;
        case 'learners':
          learners.push(scanUint(td, arg.key, val));
          break;
        case 'inflight':
          opts.maxInflightMsgs = scanUint(td, arg.key, val);
          break;
        case 'index':
          index = scanUint(td, arg.key, val);
          opts.applied = index;
          break;
        case 'content':
          snap.data = new TextEncoder().encode(val);
          break;
        case 'async-storage-writes':
          opts.asyncStorageWrites = scanBool(td, arg.key, val);
          break;
        case 'prevote':
          opts.preVote = scanBool(td, arg.key, val);
          break;
        case 'checkquorum':
          opts.checkQuorum = scanBool(td, arg.key, val);
          break;
        case 'max-committed-size-per-ready':
          opts.maxCommittedSizePerReady = scanUint(td, arg.key, val);
          break;
        case 'disable-conf-change-validation':
          opts.disableConfChangeValidation = scanBool(td, arg.key, val);
          break;
        case 'read-only':
          switch (val) {
            case 'safe':
              opts.readOnlyOption = ReadOnlySafe;
              break;
            case 'lease-based':
              opts.readOnlyOption = ReadOnlyLeaseBased;
              break;
            default:
              throw new HarnessError(`invalid read-only option ${JSON.stringify(val)}`);
          }
          break;
        case 'step-down-on-removal':
          opts.stepDownOnRemoval = scanBool(td, arg.key, val);
          break;
        case 'max-uncommitted-size':
          opts.maxUncommittedEntriesSize = scanUint(td, arg.key, val);
          break;
        case 'disable-proposal-forwarding':
          opts.disableProposalForwarding = scanBool(td, arg.key, val);
          break;
      }
    }
  }
  snap.metadata.confState = newConfState({ voters, learners });
  snap.metadata.index = index;
  addNodes(env, n, opts, snap);
}

/** Whether a snapshot differs from the empty one (etcd: !proto.Equal(snap, empty)). */
function isBootstrapSnapshot(snap: Snapshot): boolean {
  const m = snap.metadata;
  const cs = m.confState;
  return (
    snap.data.length > 0 ||
    m.index !== 0 ||
    m.term !== 0 ||
    cs.voters.length > 0 ||
    cs.learners.length > 0 ||
    cs.votersOutgoing.length > 0 ||
    cs.learnersNext.length > 0 ||
    cs.autoLeave
  );
}

/**
 * Adds n nodes with the next free ids. With a non-empty snapshot each node's
 * storage starts from it (term 1), so its log begins after the snapshot's index.
 */
export function addNodes(env: InteractionEnv, n: number, opts: NodeOptions, snap: Snapshot): void {
  const bootstrap = isBootstrapSnapshot(snap);
  for (let i = 0; i < n; i++) {
    const id = 1 + env.nodes.length;
    const s = new SnapOverrideStorage();
    // Asking a node's storage for a snapshot yields the node's latest applied state.
    s.snapshotOverride = () => {
      const snaps = env.nodes[id - 1]!.history;
      return snaps[snaps.length - 1]!;
    };
    if (bootstrap) {
      // MemoryStorage cannot express a snapshot at index 1 well; not needed anyway.
      if (snap.metadata.index <= 1) throw new HarnessError('index must be specified as > 1 due to bootstrap');
      snap.metadata.term = 1;
      s.applySnapshot(snap);
      const fi = s.firstIndex();
      const exp = snap.metadata.index + 1;
      if (fi !== exp) throw new HarnessError(`failed to establish first index ${exp}; got ${fi}`);
    }
    const cfg = makeConfig(env, id, s, opts);
    env.options.onConfig?.(cfg);
    if (cfg.id !== id) throw new HarnessError('OnConfig must not change the ID');
    if (cfg.logger !== env.output) throw new HarnessError('OnConfig must not set Logger');

    const rawNode = newRawNode(cfg);
    const node: InteractionNode = {
      rawNode,
      storage: s,
      config: cfg,
      appendWork: [],
      applyWork: [],
      history: [snap],
    };
    env.nodes.push(node);
  }
}

function makeConfig(env: InteractionEnv, id: number, storage: SnapOverrideStorage, opts: NodeOptions): Config {
  const seed = env.options.seed ?? 1;
  return {
    id,
    electionTick: 3,
    heartbeatTick: 1,
    storage,
    applied: opts.applied,
    asyncStorageWrites: opts.asyncStorageWrites,
    maxSizePerMsg: Infinity,
    maxCommittedSizePerReady: opts.maxCommittedSizePerReady,
    maxUncommittedEntriesSize: opts.maxUncommittedEntriesSize,
    maxInflightMsgs: opts.maxInflightMsgs,
    maxInflightBytes: 0,
    checkQuorum: opts.checkQuorum,
    preVote: opts.preVote,
    readOnlyOption: opts.readOnlyOption,
    logger: env.output,
    disableProposalForwarding: opts.disableProposalForwarding,
    disableConfChangeValidation: opts.disableConfChangeValidation,
    stepDownOnRemoval: opts.stepDownOnRemoval,
    random: deterministicRandomSource((seed * 1000003 + id) >>> 0),
  };
}

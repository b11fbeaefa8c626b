// process-apply-thread N...: node N's apply "thread" applies the entries of its
// oldest MsgStorageApply to the appender state machine and releases the messages
// that were waiting for it.

import { describeMessage, defaultEntryFormatter } from '../../raft/describe';
import { decodeConfChange, decodeConfChangeV2 } from '../../raft/raftpb/codec';
import { asV2 } from '../../raft/raftpb/confchange';
import { EntryConfChange, EntryConfChangeV2, newSnapshot } from '../../raft/raftpb/types';
import type { ConfState, Entry } from '../../raft/raftpb/types';
import type { TestData } from '../datadriven';
import { nodeIdxs } from './handlerArgs';
import { HarnessError, type InteractionEnv, type InteractionNode } from './interactionEnv';

export function handleProcessApplyThread(env: InteractionEnv, td: TestData): void {
  const idxs = nodeIdxs(td);
  for (const idx of idxs) {
    if (idxs.length > 1) {
      env.output.write(`> ${idx + 1} processing apply thread\n`);
      env.withIndent(() => processApplyThread(env, idx));
    } else {
      processApplyThread(env, idx);
    }
  }
}

export function processApplyThread(env: InteractionEnv, idx: number): void {
  const n = env.nodes[idx]!;
  const m = n.applyWork.shift();
  if (m === undefined) {
    env.output.write('no apply work to perform');
    return;
  }
  const resps = m.responses;
  const shown = { ...m, responses: [] };
  env.output.write('Processing:\n');
  env.output.write(describeMessage(shown, defaultEntryFormatter) + '\n');
  processApply(n, m.entries);

  env.output.write('Responses:\n');
  for (const r of resps) env.output.write(describeMessage(r, defaultEntryFormatter) + '\n');
  env.messages.push(...resps);
}

function decodeOrFail<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new HarnessError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Applies committed entries to the node's "appender" state machine: each entry
 * yields a new snapshot whose data is the previous data followed by the entry's
 * payload (a conf change's context), and whose ConfState is the one
 * ApplyConfChange returned (else the previous one).
 */
export function processApply(n: InteractionNode, ents: readonly Entry[]): void {
  for (const ent of ents) {
    let update: Uint8Array;
    let cs: ConfState | undefined;
    switch (ent.type) {
      case EntryConfChange: {
        const cc = decodeOrFail(() => decodeConfChange(ent.data));
        update = cc.context;
        cs = n.rawNode.applyConfChange(asV2(cc));
        break;
      }
      case EntryConfChangeV2: {
        const cc = decodeOrFail(() => decodeConfChangeV2(ent.data));
        cs = n.rawNode.applyConfChange(cc);
        update = cc.context;
        break;
      }
      default:
        update = ent.data;
    }

    const lastSnap = n.history[n.history.length - 1]!;
    const data = new Uint8Array(lastSnap.data.length + update.length);
    data.set(lastSnap.data, 0);
    data.set(update, lastSnap.data.length);
    const snap = newSnapshot({
      data,
      index: ent.index,
      term: ent.term,
      confState: cs ?? lastSnap.metadata.confState,
    });
    n.history.push(snap);
  }
}

// process-append-thread N...: node N's append "thread" performs its oldest
// MsgStorageAppend (persist the HardState, then the snapshot or the entries) and
// releases the messages that were waiting for it.

import { describeMessage, defaultEntryFormatter } from '../../raft/describe';
import { newHardState, newSnapshot } from '../../raft/raftpb/types';
import type { Entry, HardState, Snapshot } from '../../raft/raftpb/types';
import { isEmptyHardState, isEmptySnap } from '../../raft/types';
import { cloneSnapshot } from '../../raft/util';
import type { TestData } from '../datadriven';
import { nodeIdxs } from './handlerArgs';
import { HarnessError, type InteractionEnv, type InteractionNode } from './interactionEnv';

export function handleProcessAppendThread(env: InteractionEnv, td: TestData): void {
  const idxs = nodeIdxs(td);
  for (const idx of idxs) {
    if (idxs.length > 1) {
      env.output.write(`> ${idx + 1} processing append thread\n`);
      env.withIndent(() => processAppendThread(env, idx));
    } else {
      processAppendThread(env, idx);
    }
  }
}

export function processAppendThread(env: InteractionEnv, idx: number): void {
  const n = env.nodes[idx]!;
  const m = n.appendWork.shift();
  if (m === undefined) {
    env.output.write('no append work to perform');
    return;
  }
  const resps = m.responses;
  const shown = { ...m, responses: [] };
  env.output.write('Processing:\n');
  env.output.write(describeMessage(shown, defaultEntryFormatter) + '\n');
  const st = newHardState({ term: m.term, vote: m.vote, commit: m.commit });
  const snap = m.snapshot !== undefined ? cloneSnapshot(m.snapshot) : newSnapshot();
  processAppend(n, st, m.entries, snap);

  env.output.write('Responses:\n');
  for (const r of resps) env.output.write(describeMessage(r, defaultEntryFormatter) + '\n');
  env.messages.push(...resps);
}

/** Persists what a Ready or MsgStorageAppend asks for: HardState, then a snapshot or entries. */
export function processAppend(
  n: InteractionNode,
  st: HardState | undefined,
  ents: Entry[],
  snap: Snapshot | undefined,
): void {
  const s = n.storage;
  if (st !== undefined && !isEmptyHardState(st)) s.setHardState(st);
  if (snap !== undefined && !isEmptySnap(snap)) {
    if (ents.length > 0) throw new HarnessError("can't apply snapshot and entries at the same time");
    s.applySnapshot(snap);
    return;
  }
  s.append(ents);
}

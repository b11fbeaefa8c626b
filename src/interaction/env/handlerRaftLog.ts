// raft-log N: node N's persisted log (its storage, not raft's unstable entries).

import { describeEntries, defaultEntryFormatter } from '../../raft/describe';
import type { TestData } from '../datadriven';
import { firstAsNodeIdx } from './handlerArgs';
import type { InteractionEnv } from './interactionEnv';

export function handleRaftLog(env: InteractionEnv, td: TestData): void {
  raftLog(env, firstAsNodeIdx(td));
}

export function raftLog(env: InteractionEnv, idx: number): void {
  const s = env.nodes[idx]!.storage;
  const fi = s.firstIndex();
  const li = s.lastIndex();
  if (li < fi) {
    // An empty MemoryStorage reports lastIndex = firstIndex - 1.
    env.output.write(`log is empty: first index=${fi}, last index=${li}`);
    return;
  }
  const ents = s.entries(fi, li + 1, Infinity);
  env.output.write(describeEntries(ents, defaultEntryFormatter));
}

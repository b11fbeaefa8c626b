// send-snapshot A B: queues a MsgSnap from A to B carrying A's latest snapshot
// (its last applied state) at A's current term. Delivery is up to later commands.

import { describeMessage } from '../../raft/describe';
import { MsgSnap, newMessage } from '../../raft/raftpb/types';
import type { TestData } from '../datadriven';
import { nodeIdxs } from './handlerArgs';
import { HarnessFatal, type InteractionEnv } from './interactionEnv';

export function handleSendSnapshot(env: InteractionEnv, td: TestData): void {
  const idxs = nodeIdxs(td);
  if (idxs.length !== 2) throw new HarnessFatal(`${td.pos}: send-snapshot wants two node ids`);
  sendSnapshot(env, idxs[0]!, idxs[1]!);
}

export function sendSnapshot(env: InteractionEnv, fromIdx: number, toIdx: number): void {
  const snap = env.nodes[fromIdx]!.storage.snapshot();
  const from = fromIdx + 1;
  const to = toIdx + 1;
  const fromStatus = env.nodes[fromIdx]!.rawNode.basicStatus();
  const msg = newMessage({ type: MsgSnap, term: fromStatus.hardState.term, from, to, snapshot: snap });
  env.messages.push(msg);
  env.output.write(describeMessage(msg));
}

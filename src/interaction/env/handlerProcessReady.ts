// process-ready N...: each node takes its Ready, prints it and handles it. In the
// default (synchronous) mode that means: persist, apply, queue the messages,
// Advance. With async storage writes the storage work goes to the node's append
// and apply "threads" instead and Advance is not called.

import { describeReady, defaultEntryFormatter } from '../../raft/describe';
import { RaftPanic } from '../../raft/errors';
import { MsgStorageAppend, MsgStorageApply, messageTypeNames } from '../../raft/raftpb/types';
import { isLocalMsgTarget } from '../../raft/types';
import type { TestData } from '../datadriven';
import { nodeIdxs } from './handlerArgs';
import { processAppend } from './handlerProcessAppendThread';
import { processApply } from './handlerProcessApplyThread';
import type { InteractionEnv } from './interactionEnv';

export function handleProcessReady(env: InteractionEnv, td: TestData): void {
  const idxs = nodeIdxs(td);
  for (const idx of idxs) {
    if (idxs.length > 1) {
      env.output.write(`> ${idx + 1} handling Ready\n`);
      env.withIndent(() => processReady(env, idx));
    } else {
      processReady(env, idx);
    }
  }
}

export function processReady(env: InteractionEnv, idx: number): void {
  const n = env.nodes[idx]!;
  const rd = n.rawNode.ready();
  env.options.onReady?.(n, rd);
  env.output.write(describeReady(rd, defaultEntryFormatter));

  const async = n.config.asyncStorageWrites === true;
  if (!async) {
    processAppend(n, rd.hardState, rd.entries, rd.snapshot);
    processApply(n, rd.committedEntries);
  }

  for (const m of rd.messages) {
    if (isLocalMsgTarget(m.to)) {
      if (!async) throw new RaftPanic('unexpected local msg target');
      switch (m.type) {
        case MsgStorageAppend:
          n.appendWork.push(m);
          break;
        case MsgStorageApply:
          n.applyWork.push(m);
          break;
        default:
          throw new RaftPanic(`unexpected message type ${messageTypeNames[m.type] ?? String(m.type)}`);
      }
    } else {
      env.messages.push(m);
    }
  }

  if (!async) n.rawNode.advance(rd);
}

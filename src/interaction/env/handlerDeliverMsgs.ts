// deliver-msgs [ID...] [drop=(ids)] [type=MsgX]: hands each listed recipient its
// queued messages (optionally only one type), in queue order; messages to the
// drop ids are printed as dropped and discarded.

import { describeMessage, defaultEntryFormatter } from '../../raft/describe';
import { RaftError } from '../../raft/errors';
import { MessageType, type Message } from '../../raft/raftpb/types';
import { isLocalMsgTarget } from '../../raft/types';
import type { TestData } from '../datadriven';
import { scanUint } from './handlerArgs';
import { HarnessFatal, type InteractionEnv } from './interactionEnv';

export interface Recipient {
  id: number;
  drop: boolean;
}

export function handleDeliverMsgs(env: InteractionEnv, td: TestData): void {
  let typ = -1;
  const rs: Recipient[] = [];
  for (const arg of td.cmdArgs) {
    if (arg.vals.length === 0) rs.push({ id: scanUint(td, 'id', arg.key), drop: false });
    for (const val of arg.vals) {
      switch (arg.key) {
        case 'drop': {
          const id = scanUint(td, arg.key, val);
          if (rs.some((r) => r.id === id))
            throw new HarnessFatal(`${td.pos}: can't both deliver and drop msgs to ${id}`);
          rs.push({ id, drop: true });
          break;
        }
        case 'type': {
          const v = (MessageType as Record<string, number>)[val];
          if (v === undefined) throw new HarnessFatal(`${td.pos}: unknown message type ${val}`);
          typ = v;
          break;
        }
      }
    }
  }
  if (deliverMsgs(env, typ, rs) === 0) env.output.write('no messages\n');
}

/** Delivers (or drops) the queued messages of each recipient; returns how many were handled. */
export function deliverMsgs(env: InteractionEnv, typ: number, rs: readonly Recipient[]): number {
  let n = 0;
  for (const r of rs) {
    const [msgs, rest] = splitMsgs(env.messages, r.id, typ, r.drop);
    env.messages = rest;
    n += msgs.length;
    for (const msg of msgs) {
      if (r.drop) env.output.write('dropped: ');
      env.output.write(describeMessage(msg, defaultEntryFormatter) + '\n');
      // Dropping is allowed even for nodes that do not exist (yet).
      if (r.drop) continue;
      const toIdx = msg.to - 1;
      try {
        env.nodes[toIdx]!.rawNode.step(msg);
      } catch (e) {
        if (!(e instanceof RaftError)) throw e;
        env.output.write(e.message + '\n');
      }
    }
  }
  return n;
}

/**
 * Splits msgs into those addressed to `to` (of type typ, unless typ < 0) and the
 * rest, keeping the order of both. When dropping, local messages are never taken.
 */
export function splitMsgs(msgs: readonly Message[], to: number, typ: number, drop: boolean): [Message[], Message[]] {
  const toMsgs: Message[] = [];
  const rmdr: Message[] = [];
  for (const msg of msgs) {
    if (msg.to === to && !(drop && isLocalMsg(msg)) && (typ < 0 || msg.type === typ)) toMsgs.push(msg);
    else rmdr.push(msg);
  }
  return [toMsgs, rmdr];
}

/** A message a node sends itself or one to or from a local storage thread. */
function isLocalMsg(msg: Message): boolean {
  return msg.from === msg.to || isLocalMsgTarget(msg.from) || isLocalMsgTarget(msg.to);
}

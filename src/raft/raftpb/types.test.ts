import { describe, expect, it } from 'vitest';
import {
  isLocalMsg,
  isResponseMsg,
  makeMessage,
  messageTypeNames,
  newEntry,
  newMessage,
  type MessageType,
} from './types';

// Every message type by name, so that the expectations below read like etcd's tables.
const all = messageTypeNames.map((_, t) => t as MessageType);
const named = (pred: (t: MessageType) => boolean): string[] => all.filter(pred).map((t) => messageTypeNames[t]!);

describe('message type classes (etcd util.go isLocalMsg / isResponseMsg)', () => {
  it('local messages', () => {
    expect(named(isLocalMsg)).toEqual([
      'MsgHup',
      'MsgBeat',
      'MsgUnreachable',
      'MsgSnapStatus',
      'MsgCheckQuorum',
      'MsgStorageAppend',
      'MsgStorageAppendResp',
      'MsgStorageApply',
      'MsgStorageApplyResp',
    ]);
  });
  it('responses', () => {
    expect(named(isResponseMsg)).toEqual([
      'MsgAppResp',
      'MsgVoteResp',
      'MsgHeartbeatResp',
      'MsgUnreachable',
      'MsgReadIndexResp',
      'MsgPreVoteResp',
      'MsgStorageAppendResp',
      'MsgStorageApplyResp',
    ]);
  });
  it('types out of range are neither', () => {
    expect(isLocalMsg(99 as MessageType)).toBe(false);
    expect(isResponseMsg(99 as MessageType)).toBe(false);
  });
});

describe('makeMessage', () => {
  it('builds what newMessage builds, field for field and in the same order', () => {
    const a = makeMessage(3, 2, 1, 5);
    const b = newMessage({ type: 3, to: 2, from: 1, term: 5 });
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(a).toEqual(b);
  });
  it('shares frozen empty arrays, so that adding to them fails instead of leaking into other messages', () => {
    const a = makeMessage(4, 2, 1, 0);
    expect(() => a.entries.push(newEntry())).toThrow(TypeError);
    expect(() => a.responses.push(newMessage())).toThrow(TypeError);
    expect(makeMessage(4, 3, 1, 0).entries).toHaveLength(0);
  });
});

// Text helpers shared by the node, Ready, message and client panels: etcd's text forms
// with entry payloads decoded as the KV state machine's puts, and short labels.

import type { Entry, Message } from '../../../raft/raftpb/types';
import { entryTypeNames, messageTypeNames } from '../../../raft/raftpb/types';
import { describeEntry, describeMessage, goQuoteBytes, type EntryFormatter } from '../../../raft/describe';
import { decodePut } from '../../../cluster/stateMachines/kv';

/** Prints a KV put as `put k=v`; anything else as Go's quoted bytes (etcd's default). */
export const kvEntryFormatter: EntryFormatter = (data) => {
  const p = decodePut(data);
  return p === undefined ? goQuoteBytes(data) : `put ${p.key}=${p.value}`;
};

/** etcd's DescribeEntry with KV puts decoded. */
export function entryText(e: Entry): string {
  return describeEntry(e, kvEntryFormatter);
}

/** etcd's DescribeMessage with KV puts decoded. */
export function messageText(m: Message): string {
  return describeMessage(m, kvEntryFormatter);
}

export function messageTypeName(m: Message): string {
  return messageTypeNames[m.type] ?? `MessageType(${m.type})`;
}

export function entryTypeName(e: Entry): string {
  return entryTypeNames[e.type] ?? `EntryType(${e.type})`;
}

/** A node id as the panels print it: 0 is "none". */
export function idText(id: number): string {
  return id === 0 ? 'none' : String(id);
}

/** A list of node ids, "—" when empty. */
export function idsText(ids: readonly number[]): string {
  return ids.length === 0 ? '—' : ids.join(', ');
}

/** Drops etcd's "State" prefix (StateReplicate → Replicate). */
export function shortState(s: string | undefined): string {
  if (s === undefined) return '—';
  return s.startsWith('State') ? s.slice(5) : s;
}

/** Virtual time, at most three decimals. */
export function timeText(t: number): string {
  return String(Math.round(t * 1000) / 1000);
}

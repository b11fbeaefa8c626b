// Helpers for the two conf change messages: conversion between them, how a
// ConfChangeV2 moves through joint consensus, marshalling into log entries, and
// the compact text form "v1 l2 r3 u4" used by tests and logs.

import { RaftPanic } from '../errors';
import { decodeConfChange, decodeConfChangeV2, encodeConfChange, encodeConfChangeV2 } from './codec';
import {
  ConfChangeAddLearnerNode,
  ConfChangeAddNode,
  ConfChangeRemoveNode,
  ConfChangeTransitionAuto,
  ConfChangeTransitionJointExplicit,
  ConfChangeTransitionJointImplicit,
  ConfChangeUpdateNode,
  EntryConfChange,
  EntryConfChangeV2,
  emptyBytes,
  type ConfChange,
  type ConfChangeSingle,
  type ConfChangeType,
  type ConfChangeV2,
  type EntryType,
} from './types';

/**
 * Either kind of conf change (etcd's ConfChangeI interface).
 * A ConfChangeV2 is recognised by its `changes` field.
 */
export type ConfChangeI = ConfChange | ConfChangeV2;

export function isConfChangeV2(c: ConfChangeI): c is ConfChangeV2 {
  return (c as Partial<ConfChangeV2>).changes !== undefined;
}

/** The change as a ConfChangeV2 (a ConfChange becomes a single change with its context). */
export function asV2(c: ConfChangeI): ConfChangeV2 {
  if (isConfChangeV2(c)) return c;
  return {
    transition: ConfChangeTransitionAuto,
    changes: [{ type: c.type, nodeId: c.nodeId }],
    context: c.context,
  };
}

/** The change as a ConfChange, or undefined for a ConfChangeV2 (which is never converted down). */
export function asV1(c: ConfChangeI): ConfChange | undefined {
  return isConfChangeV2(c) ? undefined : c;
}

/**
 * Whether applying cc enters a joint configuration, and if so whether raft
 * leaves it automatically (ok false: the simple protocol is used). Joint
 * consensus is used for any explicit transition or for more than one change.
 *
 * differs from etcd: the (autoLeave, ok) pair is returned as an object.
 */
export function enterJoint(cc: ConfChangeV2): { autoLeave: boolean; ok: boolean } {
  if (cc.transition !== ConfChangeTransitionAuto || cc.changes.length > 1) {
    switch (cc.transition) {
      case ConfChangeTransitionAuto:
      case ConfChangeTransitionJointImplicit:
        return { autoLeave: true, ok: true };
      case ConfChangeTransitionJointExplicit:
        return { autoLeave: false, ok: true };
      default:
        throw new RaftPanic(`unknown transition: ${String(cc.transition)}`);
    }
  }
  return { autoLeave: false, ok: false };
}

/** Whether cc is the (empty, auto-transition) change that leaves a joint configuration. */
export function leaveJoint(cc: ConfChangeV2): boolean {
  return cc.transition === ConfChangeTransitionAuto && cc.changes.length === 0;
}

/**
 * The entry type and data that carry c in the log. A ConfChange stays a v1
 * entry. undefined becomes an empty EntryConfChangeV2, which decodes to the
 * "leave joint" change and counts as zero payload bytes.
 */
export function marshalConfChange(c: ConfChangeI | undefined): [EntryType, Uint8Array] {
  if (c === undefined) return [EntryConfChangeV2, emptyBytes];
  const v1 = asV1(c);
  if (v1 !== undefined) return [EntryConfChange, encodeConfChange(v1)];
  return [EntryConfChangeV2, encodeConfChangeV2(asV2(c))];
}

/** The conf change stored in an entry of type EntryConfChange or EntryConfChangeV2. */
export function unmarshalConfChange(type: EntryType, data: Uint8Array): ConfChangeI {
  if (type === EntryConfChange) return decodeConfChange(data);
  if (type === EntryConfChangeV2) return decodeConfChangeV2(data);
  throw new Error(`entry type ${type} carries no conf change`);
}

/**
 * Parses "v1 l2 r3 u4" (voter, learner, remove, update, each with a decimal
 * node id) into changes. Empty input gives no changes. Throws with etcd's
 * messages on bad tokens.
 */
export function confChangesFromString(s: string): ConfChangeSingle[] {
  const trimmed = s.trim();
  if (trimmed === '') return [];
  const out: ConfChangeSingle[] = [];
  // Like Go's strings.Split on " ": consecutive spaces give empty tokens.
  for (const tok of trimmed.split(' ')) {
    if (tok.length < 2) throw new Error(`unknown token ${tok}`);
    let type: ConfChangeType;
    switch (tok[0]) {
      case 'v':
        type = ConfChangeAddNode;
        break;
      case 'l':
        type = ConfChangeAddLearnerNode;
        break;
      case 'r':
        type = ConfChangeRemoveNode;
        break;
      case 'u':
        type = ConfChangeUpdateNode;
        break;
      default:
        throw new Error(`unknown input: ${tok}`);
    }
    out.push({ type, nodeId: parseUint64(tok.slice(1)) });
  }
  return out;
}

/** Go's strconv.ParseUint(s, 10, 64), limited to safe integers; errors carry Go's text. */
function parseUint64(s: string): number {
  if (!/^[0-9]+$/.test(s)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`);
  return n;
}

/** The inverse of confChangesFromString: "v1 l2 r3 u4". */
export function confChangesToString(ccs: readonly ConfChangeSingle[]): string {
  let out = '';
  for (let i = 0; i < ccs.length; i++) {
    const cc = ccs[i]!;
    if (i > 0) out += ' ';
    switch (cc.type) {
      case ConfChangeAddNode:
        out += 'v';
        break;
      case ConfChangeAddLearnerNode:
        out += 'l';
        break;
      case ConfChangeRemoveNode:
        out += 'r';
        break;
      case ConfChangeUpdateNode:
        out += 'u';
        break;
      default:
        out += 'unknown';
    }
    out += String(cc.nodeId);
  }
  return out;
}

// etcd's human-readable text forms of raft's data (the Describe* functions of
// etcd's util.go). Tests, logs and the interaction harness compare these strings
// byte for byte with etcd's output, so every space and bracket matters.

import { asV2, confChangesToString, type ConfChangeI } from './raftpb/confchange';
import { decodeConfChange, decodeConfChangeV2 } from './raftpb/codec';
import {
  EntryConfChange,
  EntryConfChangeV2,
  EntryNormal,
  confChangeTransitionNames,
  confChangeTypeNames,
  entryTypeNames,
  messageTypeNames,
} from './raftpb/types';
import type { ConfState, Entry, HardState, Message, Snapshot } from './raftpb/types';
import { LocalAppendThread, LocalApplyThread, None, isEmptyHardState, isEmptySnap, stateTypeNames } from './types';
import type { ReadState, Ready, SoftState } from './types';

/** Turns an entry's payload into text (etcd's EntryFormatter). */
export type EntryFormatter = (data: Uint8Array) => string;

// ---- Go's %q for byte strings (strconv.Quote) ----

const hexDigits = '0123456789abcdef';

// Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const printableRe = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  return printableRe.test(String.fromCodePoint(r));
}

function hexPad(v: number, width: number): string {
  let s = v.toString(16);
  while (s.length < width) s = '0' + s;
  return s;
}

/**
 * Decodes one UTF-8 sequence at b[i] as Go's utf8.DecodeRune does: returns
 * [rune, width], or [-1, 1] for a byte that does not start a valid, shortest-form,
 * non-surrogate sequence.
 */
function decodeRune(b: Uint8Array, i: number): [number, number] {
  const b0 = b[i]!;
  if (b0 < 0x80) return [b0, 1];
  const cont = (k: number, lo = 0x80, hi = 0xbf): number => {
    const c = b[i + k];
    return c !== undefined && c >= lo && c <= hi ? c & 0x3f : -1;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    const c1 = cont(1);
    if (c1 < 0) return [-1, 1];
    return [((b0 & 0x1f) << 6) | c1, 2];
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    const c1 = cont(1, lo, hi);
    if (c1 < 0) return [-1, 1];
    const c2 = cont(2);
    if (c2 < 0) return [-1, 1];
    return [((b0 & 0x0f) << 12) | (c1 << 6) | c2, 3];
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    const c1 = cont(1, lo, hi);
    if (c1 < 0) return [-1, 1];
    const c2 = cont(2);
    if (c2 < 0) return [-1, 1];
    const c3 = cont(3);
    if (c3 < 0) return [-1, 1];
    return [((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4];
  }
  return [-1, 1];
}

/**
 * Go's fmt "%q" of a byte slice (strconv.Quote of the bytes as a string): a double
 * quoted string in which printable UTF-8 is kept, `"` and `\` are escaped, control
 * characters use \a \b \f \n \r \t \v or \xNN, other non-printable runes \uNNNN or
 * \UNNNNNNNN, and bytes that are not valid UTF-8 \xNN.
 */
export function goQuoteBytes(b: Uint8Array): string {
  let out = '"';
  let i = 0;
  while (i < b.length) {
    const [r, width] = decodeRune(b, i);
    if (r < 0) {
      const byte = b[i]!;
      out += '\\x' + hexDigits[byte >> 4]! + hexDigits[byte & 15]!;
      i += width;
      continue;
    }
    i += width;
    out += quoteRune(r);
  }
  return out + '"';
}

function quoteRune(r: number): string {
  if (r === 0x22 || r === 0x5c) return '\\' + String.fromCharCode(r);
  if (isPrint(r)) return String.fromCodePoint(r);
  switch (r) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + hexPad(r, 2);
  if (r < 0x10000) return '\\u' + hexPad(r, 4);
  return '\\U' + hexPad(r, 8);
}

/** Go's %q of a JS string, taken as its UTF-8 bytes. */
export function goQuote(s: string): string {
  return goQuoteBytes(new TextEncoder().encode(s));
}

/** The formatter etcd uses when none is given: Go's %q of the bytes. */
export const defaultEntryFormatter: EntryFormatter = goQuoteBytes;

// ---- Go value printing helpers ----

/** Go's %v of a []uint64: "[1 2 3]", "[]" when empty. */
function goUintSlice(a: readonly number[]): string {
  return `[${a.join(' ')}]`;
}

/** Go's %v of a []byte: "[1 2 3]". */
function goByteSlice(b: Uint8Array): string {
  return `[${Array.from(b).join(' ')}]`;
}

// ---- describe functions ----

export function describeHardState(hs: HardState): string {
  let s = `Term:${hs.term}`;
  if (hs.vote !== 0) s += ` Vote:${hs.vote}`;
  s += ` Commit:${hs.commit}`;
  return s;
}

export function describeSoftState(ss: SoftState): string {
  return `Lead:${ss.lead} State:${stateTypeNames[ss.raftState] ?? `StateType(${ss.raftState})`}`;
}

export function describeConfState(cs: ConfState): string {
  return (
    `Voters:${goUintSlice(cs.voters)} VotersOutgoing:${goUintSlice(cs.votersOutgoing)} ` +
    `Learners:${goUintSlice(cs.learners)} LearnersNext:${goUintSlice(cs.learnersNext)} AutoLeave:${String(cs.autoLeave)}`
  );
}

export function describeSnapshot(snap: Snapshot): string {
  const m = snap.metadata;
  return `Index:${m.index} Term:${m.term} ConfState:${describeConfState(m.confState)}`;
}

/** Go's %v of a []ReadState: "[{Index [ctx bytes]} ...]". */
export function describeReadStates(rs: readonly ReadState[]): string {
  return `[${rs.map((r) => `{${r.index} ${goByteSlice(r.requestCtx)}}`).join(' ')}]`;
}

/** etcd's DescribeReady: a multi-line description, or "<empty Ready>". */
export function describeReady(rd: Ready, f?: EntryFormatter): string {
  let buf = '';
  if (rd.softState !== undefined) buf += describeSoftState(rd.softState) + '\n';
  if (!isEmptyHardState(rd.hardState)) buf += `HardState ${describeHardState(rd.hardState!)}\n`;
  if (rd.readStates.length > 0) buf += `ReadStates ${describeReadStates(rd.readStates)}\n`;
  if (rd.entries.length > 0) buf += 'Entries:\n' + describeEntries(rd.entries, f);
  if (!isEmptySnap(rd.snapshot)) buf += `Snapshot ${describeSnapshot(rd.snapshot!)}\n`;
  if (rd.committedEntries.length > 0) buf += 'CommittedEntries:\n' + describeEntries(rd.committedEntries, f);
  if (rd.messages.length > 0) {
    buf += 'Messages:\n';
    for (const m of rd.messages) buf += describeMessage(m, f) + '\n';
  }
  if (buf.length > 0) return `Ready MustSync=${String(rd.mustSync)}:\n${buf}`;
  return '<empty Ready>';
}

/** The name etcd prints for a message endpoint. */
export function describeTarget(id: number): string {
  switch (id) {
    case None:
      return 'None';
    case LocalAppendThread:
      return 'AppendThread';
    case LocalApplyThread:
      return 'ApplyThread';
    default:
      return id.toString(16);
  }
}

/** etcd's DescribeMessage: one line, plus indented lines for several entries, a snapshot or responses. */
export function describeMessage(m: Message, f?: EntryFormatter): string {
  return describeMessageWithIndent('', m, f);
}

function describeMessageWithIndent(indent: string, m: Message, f: EntryFormatter | undefined): string {
  let buf =
    `${indent}${describeTarget(m.from)}->${describeTarget(m.to)} ` +
    `${messageTypeNames[m.type] ?? String(m.type)} Term:${m.term} Log:${m.logTerm}/${m.index}`;
  if (m.reject) buf += ` Rejected (Hint: ${m.rejectHint})`;
  if (m.commit !== 0) buf += ` Commit:${m.commit}`;
  if (m.vote !== 0) buf += ` Vote:${m.vote}`;
  const ents = m.entries;
  if (ents.length === 1) {
    buf += ` Entries:[${describeEntry(ents[0]!, f)}]`;
  } else if (ents.length > 1) {
    buf += ' Entries:[';
    for (const e of ents) buf += `\n${indent}  ${describeEntry(e, f)}`;
    buf += `\n${indent}]`;
  }
  if (m.snapshot !== undefined && !isEmptySnap(m.snapshot)) {
    buf += `\n${indent}  Snapshot: ${describeSnapshot(m.snapshot)}`;
  }
  if (m.responses.length > 0) {
    buf += ' Responses:[';
    for (const r of m.responses) buf += '\n' + describeMessageWithIndent(indent + '  ', r, f);
    buf += `\n${indent}]`;
  }
  return buf;
}

/** etcd's DescribeEntry: "Term/Index Type payload". Conf changes print as ops ("v2 l3 r4"). */
export function describeEntry(e: Entry, f?: EntryFormatter): string {
  const fmt = f ?? defaultEntryFormatter;
  let formatted = '';
  switch (e.type) {
    case EntryNormal:
      formatted = fmt(e.data);
      break;
    case EntryConfChange:
      try {
        formatted = confChangesToString(asV2(decodeConfChange(e.data)).changes);
      } catch (err) {
        formatted = err instanceof Error ? err.message : String(err);
      }
      break;
    case EntryConfChangeV2:
      try {
        formatted = confChangesToString(decodeConfChangeV2(e.data).changes);
      } catch (err) {
        formatted = err instanceof Error ? err.message : String(err);
      }
      break;
  }
  if (formatted !== '') formatted = ' ' + formatted;
  // An unknown type prints as its number, as Go's protobuf enums print.
  return `${e.term}/${e.index} ${entryTypeNames[e.type] ?? String(e.type)}${formatted}`;
}

/** etcd's DescribeEntries: describeEntry of each, one per line (each line ends in "\n"). */
export function describeEntries(ents: readonly Entry[], f?: EntryFormatter): string {
  let buf = '';
  for (const e of ents) buf += describeEntry(e, f) + '\n';
  return buf;
}

/**
 * etcd's DescribeConfChange (v3.7.0): the ConfChangeV2 form of cc in protobuf text
 * style, e.g. `transition:ConfChangeTransitionAuto changes:{type:ConfChangeAddNode node_id:3}`.
 */
export function describeConfChange(cc: ConfChangeI): string {
  const v2 = asV2(cc);
  let s = `transition:${confChangeTransitionNames[v2.transition] ?? String(v2.transition)}`;
  for (const c of v2.changes) {
    s += ` changes:{type:${confChangeTypeNames[c.type] ?? String(c.type)} node_id:${c.nodeId}}`;
  }
  if (v2.context.length > 0) s += ` context:${goQuoteBytes(v2.context)}`;
  return s;
}

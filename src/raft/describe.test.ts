import { describe, expect, it } from 'vitest';
import {
  describeConfChange,
  describeConfState,
  describeEntries,
  describeEntry,
  describeHardState,
  describeMessage,
  describeReady,
  describeSnapshot,
  describeSoftState,
  describeTarget,
  goQuote,
  goQuoteBytes,
} from './describe';
import { encodeConfChange, encodeConfChangeV2 } from './raftpb/codec';
import {
  ConfChangeAddLearnerNode,
  ConfChangeAddNode,
  ConfChangeRemoveNode,
  ConfChangeTransitionJointExplicit,
  EntryConfChange,
  EntryConfChangeV2,
  MsgApp,
  MsgAppResp,
  MsgSnap,
  MsgStorageAppend,
  MsgVote,
  newConfChange,
  newConfChangeV2,
  type EntryType,
  newConfState,
  newEntry,
  newMessage,
  newSnapshot,
} from './raftpb/types';
import { LocalAppendThread, LocalApplyThread, StateLeader, type Ready } from './types';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function emptyReady(): Ready {
  return {
    softState: undefined,
    hardState: undefined,
    readStates: [],
    entries: [],
    snapshot: undefined,
    committedEntries: [],
    messages: [],
    mustSync: false,
  };
}

describe('goQuoteBytes (Go %q)', () => {
  it('quotes plain ASCII and the empty string', () => {
    expect(goQuoteBytes(bytes())).toBe('""');
    expect(goQuote('prop_1')).toBe('"prop_1"');
    expect(goQuote('a b~')).toBe('"a b~"');
  });
  it('escapes quotes and backslashes', () => {
    expect(goQuote('"foo"')).toBe('"\\"foo\\""');
    expect(goQuote('a\\b')).toBe('"a\\\\b"');
    expect(goQuote("it's")).toBe('"it\'s"');
  });
  it('uses the short escapes for C control characters', () => {
    expect(goQuoteBytes(bytes(7, 8, 12, 10, 13, 9, 11))).toBe('"\\a\\b\\f\\n\\r\\t\\v"');
  });
  it('uses \\xNN for other control bytes and DEL', () => {
    expect(goQuoteBytes(bytes(0, 1, 0x1f, 0x7f))).toBe('"\\x00\\x01\\x1f\\x7f"');
  });
  it('keeps printable UTF-8 as is', () => {
    expect(goQuote('héllo 世界 😀')).toBe('"héllo 世界 😀"');
    expect(goQuote('\ufffd')).toBe('"\ufffd"');
  });
  it('uses \\u / \\U for non-printable runes', () => {
    expect(goQuote('\u00a0')).toBe('"\\u00a0"'); // no-break space is not printable in Go
    expect(goQuote('\u0080')).toBe('"\\u0080"');
    expect(goQuote('\u00ad')).toBe('"\\u00ad"');
    expect(goQuote('\u2028')).toBe('"\\u2028"');
    expect(goQuote('\ue000')).toBe('"\\ue000"');
    expect(goQuote('\u{e0001}')).toBe('"\\U000e0001"');
    expect(goQuote('\u{f0000}')).toBe('"\\U000f0000"');
  });
  it('uses \\xNN for each byte of invalid UTF-8', () => {
    expect(goQuoteBytes(bytes(0xff))).toBe('"\\xff"');
    expect(goQuoteBytes(bytes(0x80, 0x41))).toBe('"\\x80A"');
    // truncated sequence: each byte on its own
    expect(goQuoteBytes(bytes(0xe4, 0xb8))).toBe('"\\xe4\\xb8"');
    // overlong encoding of '/'
    expect(goQuoteBytes(bytes(0xc0, 0xaf))).toBe('"\\xc0\\xaf"');
    // overlong 3-byte form
    expect(goQuoteBytes(bytes(0xe0, 0x80, 0xaf))).toBe('"\\xe0\\x80\\xaf"');
    // UTF-8-encoded surrogate U+D800
    expect(goQuoteBytes(bytes(0xed, 0xa0, 0x80))).toBe('"\\xed\\xa0\\x80"');
    // beyond U+10FFFF
    expect(goQuoteBytes(bytes(0xf4, 0x90, 0x80, 0x80))).toBe('"\\xf4\\x90\\x80\\x80"');
    // a valid rune right after an invalid byte
    expect(goQuoteBytes(bytes(0xfe, 0xc3, 0xa9))).toBe('"\\xfeé"');
  });
});

describe('describe functions', () => {
  it('describeHardState omits a zero vote', () => {
    expect(describeHardState({ term: 1, vote: 0, commit: 2 })).toBe('Term:1 Commit:2');
    expect(describeHardState({ term: 3, vote: 2, commit: 0 })).toBe('Term:3 Vote:2 Commit:0');
  });
  it('describeSoftState', () => {
    expect(describeSoftState({ lead: 1, raftState: StateLeader })).toBe('Lead:1 State:StateLeader');
  });
  it('describeConfState and describeSnapshot use Go slice style', () => {
    const cs = newConfState({ voters: [1, 2], learners: [3], votersOutgoing: [1], autoLeave: true });
    expect(describeConfState(cs)).toBe('Voters:[1 2] VotersOutgoing:[1] Learners:[3] LearnersNext:[] AutoLeave:true');
    expect(describeSnapshot(newSnapshot({ index: 11, term: 2, confState: newConfState({ voters: [1] }) }))).toBe(
      'Index:11 Term:2 ConfState:Voters:[1] VotersOutgoing:[] Learners:[] LearnersNext:[] AutoLeave:false',
    );
  });
  it('describeTarget', () => {
    expect(describeTarget(0)).toBe('None');
    expect(describeTarget(LocalAppendThread)).toBe('AppendThread');
    expect(describeTarget(LocalApplyThread)).toBe('ApplyThread');
    expect(describeTarget(26)).toBe('1a');
  });
  it('describeEntry for normal and conf change entries', () => {
    expect(describeEntry(newEntry({ term: 1, index: 2 }))).toBe('1/2 EntryNormal ""');
    expect(describeEntry(newEntry({ term: 1, index: 3, data: utf8('foo') }))).toBe('1/3 EntryNormal "foo"');
    expect(describeEntry(newEntry({ term: 1, index: 3, data: utf8('foo') }), () => 'X')).toBe('1/3 EntryNormal X');
    // An unknown entry type prints as its number (Go's protobuf enum String()), with no payload.
    expect(describeEntry({ term: 1, index: 3, type: 7 as EntryType, data: utf8('foo') })).toBe('1/3 7');
    const v1 = encodeConfChange(newConfChange({ type: ConfChangeAddNode, nodeId: 2 }));
    expect(describeEntry(newEntry({ term: 1, index: 4, type: EntryConfChange, data: v1 }))).toBe(
      '1/4 EntryConfChange v2',
    );
    const v2 = encodeConfChangeV2(
      newConfChangeV2({
        changes: [
          { type: ConfChangeAddNode, nodeId: 2 },
          { type: ConfChangeAddLearnerNode, nodeId: 3 },
          { type: ConfChangeRemoveNode, nodeId: 4 },
        ],
      }),
    );
    expect(describeEntry(newEntry({ term: 2, index: 5, type: EntryConfChangeV2, data: v2 }))).toBe(
      '2/5 EntryConfChangeV2 v2 l3 r4',
    );
    const empty = encodeConfChangeV2(newConfChangeV2());
    expect(describeEntry(newEntry({ term: 2, index: 6, type: EntryConfChangeV2, data: empty }))).toBe(
      '2/6 EntryConfChangeV2',
    );
  });
  it('describeEntries ends every line in a newline', () => {
    expect(describeEntries([])).toBe('');
    expect(describeEntries([newEntry({ term: 1, index: 1 }), newEntry({ term: 1, index: 2, data: utf8('a') })])).toBe(
      '1/1 EntryNormal ""\n1/2 EntryNormal "a"\n',
    );
  });
  it('describeMessage prints optional parts only when set', () => {
    expect(describeMessage(newMessage({ type: MsgVote, from: 1, to: 2, term: 1, logTerm: 0, index: 0 }))).toBe(
      '1->2 MsgVote Term:1 Log:0/0',
    );
    expect(
      describeMessage(
        newMessage({
          type: MsgAppResp,
          from: 2,
          to: 1,
          term: 3,
          index: 5,
          reject: true,
          rejectHint: 4,
          commit: 2,
          vote: 0,
        }),
      ),
    ).toBe('2->1 MsgAppResp Term:3 Log:0/5 Rejected (Hint: 4) Commit:2');
    const one = newMessage({ type: MsgApp, from: 1, to: 2, term: 1, logTerm: 1, index: 10, commit: 10 });
    one.entries = [newEntry({ term: 1, index: 11, data: utf8('x') })];
    expect(describeMessage(one)).toBe('1->2 MsgApp Term:1 Log:1/10 Commit:10 Entries:[1/11 EntryNormal "x"]');
    one.entries.push(newEntry({ term: 1, index: 12 }));
    expect(describeMessage(one)).toBe(
      '1->2 MsgApp Term:1 Log:1/10 Commit:10 Entries:[\n  1/11 EntryNormal "x"\n  1/12 EntryNormal ""\n]',
    );
  });
  it('describeMessage prints snapshots and nested responses with indentation', () => {
    const snap = newMessage({
      type: MsgSnap,
      from: 1,
      to: 3,
      term: 1,
      snapshot: newSnapshot({ index: 11, term: 1, confState: newConfState({ voters: [1, 2, 3] }) }),
    });
    expect(describeMessage(snap)).toBe(
      '1->3 MsgSnap Term:1 Log:0/0\n  Snapshot: Index:11 Term:1 ConfState:Voters:[1 2 3] VotersOutgoing:[] Learners:[] LearnersNext:[] AutoLeave:false',
    );
    const resp = newMessage({ type: MsgAppResp, from: 1, to: 2, term: 1, index: 3 });
    const inner = newMessage({ type: MsgVote, from: LocalAppendThread, to: 1, term: 1 });
    const app = newMessage({
      type: MsgStorageAppend,
      from: 1,
      to: LocalAppendThread,
      term: 1,
      index: 3,
      entries: [newEntry({ term: 1, index: 3 }), newEntry({ term: 1, index: 4 })],
      responses: [resp, inner],
    });
    expect(describeMessage(app)).toBe(
      [
        '1->AppendThread MsgStorageAppend Term:1 Log:0/3 Entries:[',
        '  1/3 EntryNormal ""',
        '  1/4 EntryNormal ""',
        '] Responses:[',
        '  1->2 MsgAppResp Term:1 Log:0/3',
        '  AppendThread->1 MsgVote Term:1 Log:0/0',
        ']',
      ].join('\n'),
    );
  });
  it('describeReady', () => {
    expect(describeReady(emptyReady())).toBe('<empty Ready>');
    const rd = emptyReady();
    rd.softState = { lead: 1, raftState: StateLeader };
    rd.hardState = { term: 1, vote: 1, commit: 0 };
    rd.entries = [newEntry({ term: 1, index: 1 })];
    rd.committedEntries = [newEntry({ term: 1, index: 1 })];
    rd.messages = [newMessage({ type: MsgApp, from: 1, to: 2, term: 1 })];
    rd.readStates = [{ index: 4, requestCtx: utf8('ab') }];
    rd.mustSync = true;
    expect(describeReady(rd)).toBe(
      [
        'Ready MustSync=true:',
        'Lead:1 State:StateLeader',
        'HardState Term:1 Vote:1 Commit:0',
        'ReadStates [{4 [97 98]}]',
        'Entries:',
        '1/1 EntryNormal ""',
        'CommittedEntries:',
        '1/1 EntryNormal ""',
        'Messages:',
        '1->2 MsgApp Term:1 Log:0/0',
        '',
      ].join('\n'),
    );
    const hsOnly = emptyReady();
    hsOnly.hardState = { term: 0, vote: 0, commit: 0 };
    expect(describeReady(hsOnly)).toBe('<empty Ready>');
  });
  it('describeConfChange prints the protobuf text form', () => {
    expect(describeConfChange(newConfChangeV2())).toBe('transition:ConfChangeTransitionAuto');
    expect(
      describeConfChange(
        newConfChangeV2({
          transition: ConfChangeTransitionJointExplicit,
          changes: [
            { type: ConfChangeAddNode, nodeId: 3 },
            { type: ConfChangeAddLearnerNode, nodeId: 4 },
          ],
          context: utf8('c"x'),
        }),
      ),
    ).toBe(
      'transition:ConfChangeTransitionJointExplicit changes:{type:ConfChangeAddNode node_id:3} changes:{type:ConfChangeAddLearnerNode node_id:4} context:"c\\"x"',
    );
    expect(describeConfChange(newConfChange({ type: ConfChangeRemoveNode, nodeId: 2 }))).toBe(
      'transition:ConfChangeTransitionAuto changes:{type:ConfChangeRemoveNode node_id:2}',
    );
  });
});

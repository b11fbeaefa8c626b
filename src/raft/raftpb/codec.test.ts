import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  decodeConfChange,
  decodeConfChangeV2,
  encodeConfChange,
  encodeConfChangeV2,
  entrySize,
  varintSize,
} from './codec';
import {
  ConfChangeAddLearnerNode,
  ConfChangeAddNode,
  ConfChangeRemoveNode,
  ConfChangeTransitionJointExplicit,
  EntryConfChangeV2,
  newConfChange,
  newConfChangeV2,
  newEntry,
  type ConfChangeType,
  type ConfChangeTransition,
} from './types';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
const bytes = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .split(' ')
      .filter(Boolean)
      .map((x) => parseInt(x, 16)),
  );

describe('codec', () => {
  it('encodes ConfChange like etcd', () => {
    // type=2:AddNode(0), node_id=3:1
    expect(hex(encodeConfChange(newConfChange({ type: ConfChangeAddNode, nodeId: 1 })))).toBe('10 00 18 01');
    // id=1:5, type=RemoveNode, node_id=300 (varint ac 02), context "ab"
    expect(
      hex(
        encodeConfChange(
          newConfChange({ id: 5, type: ConfChangeRemoveNode, nodeId: 300, context: new TextEncoder().encode('ab') }),
        ),
      ),
    ).toBe('08 05 10 01 18 ac 02 22 02 61 62');
  });

  it('encodes ConfChangeV2 like etcd', () => {
    expect(hex(encodeConfChangeV2(newConfChangeV2({ changes: [{ type: ConfChangeAddNode, nodeId: 2 }] })))).toBe(
      '08 00 12 04 08 00 10 02',
    );
    expect(
      hex(
        encodeConfChangeV2(
          newConfChangeV2({
            transition: ConfChangeTransitionJointExplicit,
            changes: [
              { type: ConfChangeAddLearnerNode, nodeId: 3 },
              { type: ConfChangeRemoveNode, nodeId: 4 },
            ],
          }),
        ),
      ),
    ).toBe('08 02 12 04 08 03 10 03 12 04 08 01 10 04');
  });

  it('decodes empty data as the zero message', () => {
    expect(decodeConfChangeV2(new Uint8Array(0))).toEqual(newConfChangeV2());
    expect(decodeConfChange(new Uint8Array(0))).toEqual(newConfChange());
  });

  it('decodes in any field order, skips unknown fields, keeps the last scalar', () => {
    // node_id=7, unknown field 9 (varint), unknown field 10 (bytes), type=AddLearner, node_id=8
    const cc = decodeConfChange(bytes('18 07 48 01 52 02 00 00 10 03 18 08'));
    expect(cc).toEqual(newConfChange({ type: ConfChangeAddLearnerNode, nodeId: 8 }));
    // Unknown enum values are ignored (proto2 closed enum).
    expect(decodeConfChange(bytes('10 07 18 01')).type).toBe(ConfChangeAddNode);
  });

  it('rejects malformed data', () => {
    expect(() => decodeConfChange(bytes('18'))).toThrow(DecodeError);
    expect(() => decodeConfChangeV2(bytes('12 05 08 00'))).toThrow(DecodeError);
    expect(() => decodeConfChange(bytes('00 01'))).toThrow(DecodeError);
    expect(() => decodeConfChange(bytes('1f'))).toThrow(DecodeError);
  });

  it('round-trips (property)', () => {
    const id = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.maxSafeNat());
    const typ = fc.constantFrom<ConfChangeType>(0, 1, 2, 3);
    const ctx = fc.uint8Array({ maxLength: 40 });
    fc.assert(
      fc.property(fc.record({ type: typ, nodeId: id, context: ctx, id }), (cc) => {
        const enc = encodeConfChange(cc);
        expect(decodeConfChange(enc)).toEqual(newConfChange(cc));
        expect(encodeConfChange(decodeConfChange(enc))).toEqual(enc);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.record({
          transition: fc.constantFrom<ConfChangeTransition>(0, 1, 2),
          changes: fc.array(fc.record({ type: typ, nodeId: id }), { maxLength: 8 }),
          context: ctx,
        }),
        (cc) => {
          const enc = encodeConfChangeV2(cc);
          expect(decodeConfChangeV2(enc)).toEqual(newConfChangeV2(cc));
          expect(encodeConfChangeV2(decodeConfChangeV2(enc))).toEqual(enc);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('varintSize and entrySize', () => {
    expect(varintSize(0)).toBe(1);
    expect(varintSize(127)).toBe(1);
    expect(varintSize(128)).toBe(2);
    expect(varintSize(Number.MAX_SAFE_INTEGER)).toBe(8);
    // term, index: 2 bytes each; no type, no data.
    expect(entrySize(newEntry({ term: 1, index: 1 }))).toBe(4);
    // + type (2 bytes) + data "abc" (1 + 1 + 3).
    expect(entrySize(newEntry({ term: 1, index: 200, type: EntryConfChangeV2, data: new Uint8Array(3) }))).toBe(12);
  });
});

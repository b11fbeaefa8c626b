import { describe, expect, it } from 'vitest';
import {
  asV1,
  asV2,
  confChangesFromString,
  confChangesToString,
  enterJoint,
  isConfChangeV2,
  leaveJoint,
  marshalConfChange,
  unmarshalConfChange,
} from './confchange';
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
  newConfChange,
  newConfChangeV2,
} from './types';

describe('conf change helpers', () => {
  it('parses and prints the compact form', () => {
    const ccs = confChangesFromString(' v1 l2 r3 u4 ');
    expect(ccs).toEqual([
      { type: ConfChangeAddNode, nodeId: 1 },
      { type: ConfChangeAddLearnerNode, nodeId: 2 },
      { type: ConfChangeRemoveNode, nodeId: 3 },
      { type: ConfChangeUpdateNode, nodeId: 4 },
    ]);
    expect(confChangesToString(ccs)).toBe('v1 l2 r3 u4');
    expect(confChangesFromString('')).toEqual([]);
    expect(confChangesFromString('   ')).toEqual([]);
  });

  it('reports bad tokens with etcd messages', () => {
    expect(() => confChangesFromString('v')).toThrow('unknown token v');
    expect(() => confChangesFromString('x1')).toThrow('unknown input: x1');
    expect(() => confChangesFromString('v1  v2')).toThrow('unknown token ');
    expect(() => confChangesFromString('vx')).toThrow('strconv.ParseUint: parsing "x": invalid syntax');
    expect(() => confChangesFromString('v-1')).toThrow('invalid syntax');
  });

  it('converts between v1 and v2', () => {
    const ctx = new Uint8Array([1, 2]);
    const v1 = newConfChange({ type: ConfChangeRemoveNode, nodeId: 7, context: ctx });
    expect(isConfChangeV2(v1)).toBe(false);
    expect(asV1(v1)).toBe(v1);
    expect(asV2(v1)).toEqual(newConfChangeV2({ changes: [{ type: ConfChangeRemoveNode, nodeId: 7 }], context: ctx }));
    const v2 = newConfChangeV2();
    expect(isConfChangeV2(v2)).toBe(true);
    expect(asV1(v2)).toBeUndefined();
    expect(asV2(v2)).toBe(v2);
  });

  it('enterJoint / leaveJoint', () => {
    const one = [{ type: ConfChangeAddNode, nodeId: 1 }] as const;
    const two = [...one, { type: ConfChangeAddNode, nodeId: 2 }];
    expect(enterJoint(newConfChangeV2({ changes: [...one] }))).toEqual({ autoLeave: false, ok: false });
    expect(enterJoint(newConfChangeV2({ changes: two }))).toEqual({ autoLeave: true, ok: true });
    expect(enterJoint(newConfChangeV2({ transition: ConfChangeTransitionJointImplicit, changes: [...one] }))).toEqual({
      autoLeave: true,
      ok: true,
    });
    expect(enterJoint(newConfChangeV2({ transition: ConfChangeTransitionJointExplicit, changes: [...one] }))).toEqual({
      autoLeave: false,
      ok: true,
    });
    expect(enterJoint(newConfChangeV2())).toEqual({ autoLeave: false, ok: false });
    expect(leaveJoint(newConfChangeV2())).toBe(true);
    expect(leaveJoint(newConfChangeV2({ transition: ConfChangeTransitionJointExplicit }))).toBe(false);
    expect(leaveJoint(newConfChangeV2({ transition: ConfChangeTransitionAuto, changes: [...one] }))).toBe(false);
  });

  it('marshals into entry type and data', () => {
    const [t0, d0] = marshalConfChange(undefined);
    expect(t0).toBe(EntryConfChangeV2);
    expect(d0.length).toBe(0);
    expect(leaveJoint(unmarshalConfChange(t0, d0) as ReturnType<typeof newConfChangeV2>)).toBe(true);

    const v1 = newConfChange({ type: ConfChangeAddNode, nodeId: 3 });
    const [t1, d1] = marshalConfChange(v1);
    expect(t1).toBe(EntryConfChange);
    expect(unmarshalConfChange(t1, d1)).toEqual(v1);

    const v2 = newConfChangeV2({
      transition: ConfChangeTransitionJointExplicit,
      changes: [{ type: ConfChangeAddNode, nodeId: 3 }],
    });
    const [t2, d2] = marshalConfChange(v2);
    expect(t2).toBe(EntryConfChangeV2);
    expect(unmarshalConfChange(t2, d2)).toEqual(v2);
  });
});

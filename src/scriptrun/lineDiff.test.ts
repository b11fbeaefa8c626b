import { describe, expect, test } from 'vitest';
import { lineDiff } from './lineDiff';

describe('lineDiff', () => {
  test('equal outputs are all common rows', () => {
    expect(lineDiff('a\nb\n', 'a\nb\n')).toEqual([
      { left: 'a', right: 'a', same: true },
      { left: 'b', right: 'b', same: true },
    ]);
  });

  test('a changed line is paired with its replacement; extra lines stand alone', () => {
    expect(lineDiff('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual([
      { left: 'a', right: 'a', same: true },
      { left: 'b', right: 'B', same: false },
      { left: 'c', right: 'c', same: true },
      { left: undefined, right: 'd', same: false },
    ]);
    expect(lineDiff('x\ny\n', 'y\n')).toEqual([
      { left: 'x', right: undefined, same: false },
      { left: 'y', right: 'y', same: true },
    ]);
  });

  test('a missing final newline and empty outputs', () => {
    expect(lineDiff('ok\n', 'ok')).toEqual([{ left: 'ok', right: 'ok', same: true }]);
    expect(lineDiff('', 'ok\n')).toEqual([{ left: undefined, right: 'ok', same: false }]);
    expect(lineDiff('', '')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { intOption, parseOptions, parseOrExit, stringOption, UsageError } from './args';

const types = { nodes: 'string', workers: 'boolean', trace: 'string' } as const;

describe('command-line options', () => {
  it('reads values, flags and defaults', () => {
    const v = parseOptions(['--nodes', '5', '--workers', '--trace=out.json'], types);
    expect(intOption(v, 'nodes', 3, 1, 15)).toBe(5);
    expect(v.workers).toBe(true);
    expect(stringOption(v, 'trace')).toBe('out.json');
    const d = parseOptions([], types);
    expect(intOption(d, 'nodes', 3, 1, 15)).toBe(3);
    expect(d.workers).toBeUndefined();
    expect(stringOption(d, 'trace')).toBeUndefined();
  });

  it('refuses unknown options, positionals and missing values with a UsageError naming them', () => {
    expect(() => parseOptions(['--nodez', '5'], types)).toThrow(UsageError);
    expect(() => parseOptions(['--nodez', '5'], types)).toThrow(/--nodez/);
    expect(() => parseOptions(['extra'], types)).toThrow(UsageError);
    expect(() => parseOptions(['--trace'], types)).toThrow(/--trace/);
  });

  it('refuses integers that are not integers or out of range', () => {
    for (const bad of ['x', '2.5', '', '16', '0']) {
      const v = parseOptions([`--nodes=${bad}`], types);
      expect(() => intOption(v, 'nodes', 3, 1, 15)).toThrow(
        new UsageError(`--nodes needs an integer in 1..15 (got ${JSON.stringify(bad)})`),
      );
    }
    expect(() => intOption(parseOptions(['--nodes=-1'], types), 'nodes', 0)).toThrow(/an integer ≥ 0/);
    // A value that looks like an option must be attached with '='.
    expect(() => parseOptions(['--nodes', '-1'], types)).toThrow(UsageError);
  });

  it('parseOrExit hands usage errors to usage and rethrows anything else', () => {
    const seen: string[] = [];
    const usage = (m: string): never => {
      seen.push(m);
      throw new Error('exited');
    };
    expect(() => parseOrExit(() => intOption({ nodes: 'x' }, 'nodes', 3), usage)).toThrow('exited');
    expect(seen).toEqual(['--nodes needs an integer ≥ 0 (got "x")']);
    expect(() =>
      parseOrExit(() => {
        throw new TypeError('bug');
      }, usage),
    ).toThrow(TypeError);
    expect(seen).toHaveLength(1);
    expect(parseOrExit(() => 7, usage)).toBe(7);
  });
});

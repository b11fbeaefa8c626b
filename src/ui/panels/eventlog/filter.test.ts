import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../cluster/protocol';
import { facets, filterLines, noFilter, visibleRange } from './filter';

const lines: LogLine[] = [
  { node: 1, level: 'INFO', text: '1 became follower at term 1' },
  { node: 2, level: 'INFO', text: '2 is starting a new election at term 1' },
  { node: 2, level: 'DEBUG', text: '2 [logterm: 1, index: 3, vote: 0] ignored MsgVote' },
  { node: 3, level: 'WARN', text: '3 stepped down to follower since quorum is not active' },
  { node: 2, level: 'INFO', text: '2 became leader at term 2' },
];

describe('event log filter', () => {
  it('keeps everything without a filter', () => {
    expect(filterLines(lines, noFilter)).toEqual([0, 1, 2, 3, 4]);
  });

  it('hides nodes and levels, and matches text case-insensitively', () => {
    expect(filterLines(lines, { ...noFilter, hiddenNodes: new Set([2]) })).toEqual([0, 3]);
    expect(filterLines(lines, { ...noFilter, hiddenLevels: new Set(['DEBUG', 'WARN']) })).toEqual([0, 1, 4]);
    expect(filterLines(lines, { ...noFilter, text: '  BECAME ' })).toEqual([0, 4]);
    expect(filterLines(lines, { hiddenNodes: new Set([1]), hiddenLevels: new Set(), text: 'became' })).toEqual([4]);
  });

  it('lists the nodes and levels present, levels by verbosity', () => {
    expect(facets(lines)).toEqual({ nodes: [1, 2, 3], levels: ['DEBUG', 'INFO', 'WARN'] });
  });

  it('windows the rows around the viewport', () => {
    expect(visibleRange(0, 20, 0, 200)).toEqual({ first: 0, last: 0 });
    expect(visibleRange(1000, 20, 0, 200, 0)).toEqual({ first: 0, last: 10 });
    expect(visibleRange(1000, 20, 400, 200, 2)).toEqual({ first: 18, last: 32 });
    expect(visibleRange(25, 20, 400, 200, 2)).toEqual({ first: 18, last: 25 });
  });
});

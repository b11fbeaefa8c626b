import { describe, expect, it } from 'vitest';
import { RaftPanic } from '../../raft/errors';
import { indentLines } from './interactionEnv';
import { LvlInfo, LvlNone, RedirectLogger } from './logger';

describe('RedirectLogger', () => {
  it('writes "LEVEL text" lines, adding a newline only when missing', () => {
    const l = new RedirectLogger();
    l.debug('a');
    l.info('b\n');
    l.warning('c');
    l.error('d');
    expect(l.buf).toBe('DEBUG a\nINFO b\nWARN c\nERROR d\n');
  });
  it('filters by level and is silent at NONE', () => {
    const l = new RedirectLogger();
    l.lvl = LvlInfo;
    l.debug('x');
    l.info('y');
    expect(l.buf).toBe('INFO y\n');
    l.reset();
    l.lvl = LvlNone;
    l.error('z');
    l.write('plain');
    expect(l.quiet()).toBe(true);
    expect(l.len()).toBe(0);
  });
  it('panic logs at FATAL and throws', () => {
    const l = new RedirectLogger();
    expect(() => l.panic('boom')).toThrow(RaftPanic);
    expect(l.buf).toBe('FATAL boom\n');
  });
});

describe('indentLines', () => {
  it('indents each line and terminates the last one', () => {
    expect(indentLines('')).toBe('');
    expect(indentLines('a\nb\n')).toBe('  a\n  b\n');
    expect(indentLines('no append work to perform')).toBe('  no append work to perform\n');
    expect(indentLines('a\n\nb')).toBe('  a\n  \n  b\n');
  });
});

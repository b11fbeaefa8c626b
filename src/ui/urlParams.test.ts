import { describe, expect, it } from 'vitest';
import { readUrlOptions } from './urlParams';

describe('URL parameters', () => {
  it('reads every known parameter', () => {
    expect(readUrlOptions('?nodes=7&seed=42&autoplay=0&runtime=inprocess&theme=dark&projector=1')).toEqual({
      nodes: 7,
      seed: 42,
      autoplay: false,
      runtime: 'in-process',
      theme: 'dark',
      projector: true,
      problems: [],
    });
  });

  it('defaults: playing, in Web Workers, nothing else set', () => {
    expect(readUrlOptions('')).toEqual({ autoplay: true, runtime: 'worker', problems: [] });
    expect(readUrlOptions('?projector').projector).toBe(true);
    expect(readUrlOptions('?projector=0').projector).toBe(false);
  });

  it('ignores and reports values that do not parse, rather than guessing', () => {
    const o = readUrlOptions('?nodes=12&seed=-3&autoplay=no&runtime=gpu&theme=blue&projector=yes');
    expect(o.nodes).toBeUndefined();
    expect(o.seed).toBeUndefined();
    expect(o.autoplay).toBe(true);
    expect(o.runtime).toBe('worker');
    expect(o.theme).toBeUndefined();
    expect(o.projector).toBeUndefined();
    expect(o.problems).toEqual([
      'nodes="12" ignored: expected a whole number from 1 to 9.',
      'seed="-3" ignored: expected a whole number from 0 to 4294967295.',
      'autoplay="no" ignored: expected 0 or 1.',
      'runtime="gpu" ignored: expected worker or inprocess.',
      'theme="blue" ignored: expected light or dark.',
      'projector="yes" ignored: expected 0 or 1.',
    ]);
  });

  it('rejects fractions, blanks and numbers past the seed range', () => {
    for (const q of ['?nodes=2.5', '?nodes=', '?nodes=0', '?seed=1e3', '?seed=4294967296', '?seed=0x10']) {
      const o = readUrlOptions(q);
      expect(o.nodes ?? o.seed, q).toBeUndefined();
      expect(o.problems, q).toHaveLength(1);
    }
    expect(readUrlOptions('?seed=4294967295').seed).toBe(4294967295);
    expect(readUrlOptions('?seed=0').seed).toBe(0);
  });

  it('names unknown parameters once each', () => {
    expect(readUrlOptions('?node=3&colour=red&node=4').problems).toEqual([
      'Unknown URL parameters ignored: node, colour (known: nodes, seed, autoplay, runtime, theme, projector, lesson, step).',
    ]);
  });

  const lessons = [
    { id: 'election', steps: 12 },
    { id: 'figure-8', steps: 13 },
  ];

  it('opens a lesson at its first step, or at step=N', () => {
    expect(readUrlOptions('?lesson=figure-8', lessons)).toMatchObject({
      lesson: 'figure-8',
      lessonStep: 1,
      problems: [],
    });
    expect(readUrlOptions('?lesson=figure-8&step=4', lessons)).toMatchObject({ lesson: 'figure-8', lessonStep: 4 });
    expect(readUrlOptions('?lesson=election&step=12&projector=1', lessons)).toMatchObject({
      lesson: 'election',
      lessonStep: 12,
      projector: true,
    });
  });

  it('names an unknown lesson or a bad step, and keeps the session', () => {
    const unknown = readUrlOptions('?lesson=figure-9&step=2', lessons);
    expect(unknown.lesson).toBeUndefined();
    expect(unknown.problems).toEqual([
      'lesson="figure-9" ignored: there is no such lesson (known: election, figure-8).',
    ]);
    for (const step of ['0', '14', 'two', '2.5']) {
      const o = readUrlOptions(`?lesson=figure-8&step=${step}`, lessons);
      expect(o.lesson, step).toBe('figure-8');
      expect(o.lessonStep, step).toBe(1);
      expect(o.problems, step).toEqual([
        `step="${step}" ignored: expected a step of lesson figure-8, from 1 to 13; it opens at step 1.`,
      ]);
    }
    expect(readUrlOptions('?step=3', lessons).problems).toEqual(['step="3" ignored: expected a lesson=ID with it.']);
  });
});

import { describe, expect, it } from 'vitest';
import { initialValues, localRef, styleAttributes, svgValue, type StyleLookup } from './inlineStyles';

const lookup =
  (values: Record<string, string>): StyleLookup =>
  (p) =>
    values[p] ?? initialValues[p] ?? '';

describe('styleAttributes', () => {
  it('writes at the root every property that differs from its initial value', () => {
    const own = lookup({ fill: 'rgb(28, 35, 48)', 'font-size': '14px', 'font-family': 'system-ui' });
    expect(styleAttributes(own, undefined, () => false)).toEqual([
      ['fill', 'rgb(28, 35, 48)'],
      ['fill-opacity', '1'],
      ['font-size', '14'],
    ]);
  });

  it('writes an inherited property only where it differs from the parent', () => {
    const parent = lookup({ fill: 'rgb(1, 1, 1)', 'font-weight': '700' });
    const same = lookup({ fill: 'rgb(1, 1, 1)', 'font-weight': '700' });
    expect(styleAttributes(same, parent, () => false)).toEqual([]);
    const differs = lookup({ fill: 'rgb(1, 1, 1)', 'font-weight': '400', stroke: 'rgb(2, 2, 2)' });
    expect(styleAttributes(differs, parent, () => false)).toEqual([
      ['stroke', 'rgb(2, 2, 2)'],
      ['stroke-opacity', '1'],
      ['font-weight', '400'],
    ]);
  });

  it('rewrites an attribute the CSS overrode, even when the parent has the same value', () => {
    const parent = lookup({ fill: 'rgb(9, 9, 9)' });
    const own = lookup({ fill: 'rgb(9, 9, 9)' });
    expect(styleAttributes(own, parent, (n) => n === 'fill')).toEqual([
      ['fill', 'rgb(9, 9, 9)'],
      ['fill-opacity', '1'],
    ]);
  });

  it('writes non-inherited properties wherever they are set', () => {
    const parent = lookup({ opacity: '0.5' });
    const own = lookup({ opacity: '0.5', 'dominant-baseline': 'central' });
    expect(styleAttributes(own, parent, () => false)).toEqual([
      ['opacity', '0.5'],
      ['dominant-baseline', 'central'],
    ]);
  });

  it('folds a colour alpha into the opacity, and a transparent colour into none', () => {
    const own = lookup({ fill: 'rgba(0, 114, 178, 0.09)', 'fill-opacity': '0.5', stroke: 'rgba(0, 0, 0, 0)' });
    expect(styleAttributes(own, lookup({}), () => false)).toEqual([
      ['fill', 'rgb(0, 114, 178)'],
      ['fill-opacity', '0.045'],
      ['stroke', 'none'],
    ]);
  });
});

describe('values', () => {
  it('drops px units and commas that some renderers do not read', () => {
    const own = lookup({});
    expect(svgValue('stroke-width', '2.5px', own)).toEqual([['stroke-width', '2.5']]);
    expect(svgValue('stroke-dasharray', '5px, 4px', own)).toEqual([['stroke-dasharray', '5 4']]);
    expect(svgValue('font-weight', '700', own)).toEqual([['font-weight', '700']]);
  });

  it('keeps references local to the file', () => {
    expect(localRef('url("http://127.0.0.1:4178/?autoplay=0#tl-unknown")')).toBe('url(#tl-unknown)');
    expect(localRef('url("#st-arrow-election")')).toBe('url(#st-arrow-election)');
    expect(localRef('url(#a) rgb(1, 2, 3)')).toBe('url(#a) rgb(1, 2, 3)');
    expect(localRef('rgb(1, 2, 3)')).toBe('rgb(1, 2, 3)');
  });
});

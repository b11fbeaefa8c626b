import { describe, expect, it } from 'vitest';
import { localRef, styleAttributes, type StyleLookup } from './inlineStyles';

/** Computed values: the given ones, else the initial value (as browsers report it). */
const initialValues: Record<string, string> = {
  fill: 'rgb(0, 0, 0)',
  'fill-opacity': '1',
  'fill-rule': 'nonzero',
  stroke: 'none',
  'stroke-width': '1px',
  'stroke-dasharray': 'none',
  'stroke-dashoffset': '0px',
  'stroke-linecap': 'butt',
  'stroke-linejoin': 'miter',
  'stroke-opacity': '1',
  'font-family': 'serif',
  'font-size': '16px',
  'font-weight': '400',
  'font-style': 'normal',
  'text-anchor': 'start',
  'paint-order': 'normal',
  visibility: 'visible',
  opacity: '1',
  'dominant-baseline': 'auto',
};
const lookup =
  (values: Record<string, string>): StyleLookup =>
  (p) =>
    values[p] ?? initialValues[p] ?? '';

describe('styleAttributes', () => {
  it('writes at the root every inherited property (the file has no page around it), but not the font family', () => {
    const own = lookup({ fill: 'rgb(28, 35, 48)', 'font-size': '14px', 'font-family': 'system-ui' });
    const attrs = new Map(styleAttributes(own, undefined, () => false));
    expect(attrs.get('fill')).toBe('rgb(28, 35, 48)');
    expect(attrs.get('font-size')).toBe('14px');
    expect(attrs.get('stroke')).toBe('none');
    expect(attrs.get('stroke-width')).toBe('1px');
    expect(attrs.has('font-family')).toBe(false);
    // Own properties at their initial value are left out.
    expect(attrs.has('opacity')).toBe(false);
    expect(attrs.has('dominant-baseline')).toBe(false);
  });

  it('writes an inherited property only where it differs from the parent', () => {
    const parent = lookup({ fill: 'rgb(1, 1, 1)', 'font-weight': '700' });
    const same = lookup({ fill: 'rgb(1, 1, 1)', 'font-weight': '700' });
    expect(styleAttributes(same, parent, () => false)).toEqual([]);
    const differs = lookup({ fill: 'rgb(1, 1, 1)', 'font-weight': '400', stroke: 'rgb(2, 2, 2)' });
    expect(styleAttributes(differs, parent, () => false)).toEqual([
      ['stroke', 'rgb(2, 2, 2)'],
      ['font-weight', '400'],
    ]);
  });

  it('rewrites an attribute the CSS overrode, even when the parent has the same value', () => {
    const parent = lookup({ fill: 'rgb(9, 9, 9)' });
    const own = lookup({ fill: 'rgb(9, 9, 9)' });
    expect(styleAttributes(own, parent, (n) => n === 'fill')).toEqual([['fill', 'rgb(9, 9, 9)']]);
  });

  it('writes non-inherited properties wherever they are set', () => {
    const parent = lookup({ opacity: '0.5' });
    const own = lookup({ opacity: '0.5', 'dominant-baseline': 'central' });
    expect(styleAttributes(own, parent, () => false)).toEqual([
      ['opacity', '0.5'],
      ['dominant-baseline', 'central'],
    ]);
  });

  it('turns a reference into one local to the file', () => {
    const own = lookup({ fill: 'url("http://127.0.0.1:4178/?autoplay=0#tl-unknown")' });
    expect(styleAttributes(own, lookup({}), () => false)).toEqual([['fill', 'url(#tl-unknown)']]);
  });
});

describe('values', () => {
  it('keeps references local to the file', () => {
    expect(localRef('url("http://127.0.0.1:4178/?autoplay=0#tl-unknown")')).toBe('url(#tl-unknown)');
    expect(localRef('url("#st-arrow-election")')).toBe('url(#st-arrow-election)');
    expect(localRef('url(#a) rgb(1, 2, 3)')).toBe('url(#a) rgb(1, 2, 3)');
    expect(localRef('rgb(1, 2, 3)')).toBe('rgb(1, 2, 3)');
  });
});

import { describe, expect, it } from 'vitest';
import {
  bandHeight,
  captionLines,
  captionText,
  framePicture,
  layoutLegend,
  swatchW,
  termChip,
  textWidth,
  xmlEscape,
  type LegendItem,
} from './frame';

const caption = { view: 'Cluster view', step: 42, time: 37.5, seed: 7, details: ['5 nodes', 'leader 3'] };
const palette = { background: 'rgb(1, 2, 3)', text: 'rgb(4, 5, 6)', border: 'rgb(9, 9, 9)' };
const item = (label: string): LegendItem => ({ swatch: '<circle r="7"/>', label });

describe('caption', () => {
  it('names the view, the step, the virtual time and the seed, then the details', () => {
    expect(captionText(caption)).toBe('Cluster view · step 42 · t=37.5 · seed 7 · 5 nodes · leader 3');
    expect(captionText({ ...caption, time: 12, details: [] })).toBe('Cluster view · step 42 · t=12 · seed 7');
    expect(captionText({ ...caption, time: 1 / 3, details: [] })).toContain('t=0.33 ·');
  });

  it('wraps between parts into lines that fit, never splitting a part', () => {
    const wide = captionLines(caption, 2000);
    expect(wide).toEqual([captionText(caption)]);
    const narrow = captionLines(caption, textWidth('Cluster view · step 42', 14));
    expect(narrow[0]).toBe('Cluster view · step 42');
    expect(narrow.join(' · ')).toBe(captionText(caption));
    // A part wider than the width still gets a line of its own.
    expect(captionLines(caption, 1)).toEqual(['Cluster view', 'step 42', 't=37.5', 'seed 7', '5 nodes', 'leader 3']);
  });
});

describe('legend layout', () => {
  it('places items left to right and wraps before one would pass the width', () => {
    const items = ['Follower', 'Leader', 'Candidate', 'PreCandidate', 'election timer', 'cut link'].map(item);
    const width = 260;
    const { placed, rows } = layoutLegend(items, width);
    expect(rows).toBeGreaterThan(1);
    for (const p of placed) {
      const w = swatchW + 4 + textWidth(p.item.label, 12);
      expect(p.x + w).toBeLessThanOrEqual(width);
    }
    // Items on one row do not overlap and keep their order.
    for (let i = 1; i < placed.length; i++) {
      const a = placed[i - 1]!;
      const b = placed[i]!;
      if (a.y === b.y) expect(b.x).toBeGreaterThanOrEqual(a.x + swatchW + 4 + textWidth(a.item.label, 12));
      else expect(b.y).toBeGreaterThan(a.y);
    }
    expect(new Set(placed.map((p) => p.y)).size).toBe(rows);
  });

  it('has no rows without items', () => {
    expect(layoutLegend([], 300)).toEqual({ placed: [], rows: 0 });
  });
});

describe('framePicture', () => {
  it('draws the view, then a band with the caption and the legend, in one standalone SVG', () => {
    const legend = [item('Leader'), termChip(3, '#009E73', '#000000')];
    const f = framePicture({ view: '<svg id="v"/>', width: 900, height: 400, caption, legend, palette });
    expect(f.width).toBe(900);
    expect(f.height).toBe(400 + bandHeight(1, 1));
    expect(f.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="900" height="')).toBe(true);
    expect(f.svg).toContain(`viewBox="0 0 900 ${f.height}"`);
    expect(f.svg).toContain('<svg id="v"/>');
    expect(f.svg).toContain('<g class="export-band" transform="translate(0,400)">');
    expect(f.svg).toContain(`>${captionText(caption)}</text>`);
    expect(f.svg).toContain('>Leader</text>');
    expect(f.svg).toContain('>term 3</text>');
    expect(f.svg).toContain('fill="rgb(1, 2, 3)"');
    // Nothing outside the file: no stylesheet, no link, no web font.
    expect(f.svg).not.toMatch(/<style|href=|@font-face|url\(/);
    // Balanced: as many closing tags as opening ones (self-closing aside).
    const open = f.svg.match(/<[a-z][^>]*[^/]>/g)?.length ?? 0;
    const close = f.svg.match(/<\/[a-z]+>/g)?.length ?? 0;
    expect(close).toBe(open);
  });

  it('escapes text, so a label cannot break the file', () => {
    expect(xmlEscape(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    const f = framePicture({
      view: '',
      width: 300,
      height: 100,
      caption: { ...caption, details: ['<script>'] },
      legend: [item('x</text><script>')],
      palette,
    });
    expect(f.svg).not.toContain('<script>');
    expect(f.svg).toContain('x&lt;/text&gt;&lt;script&gt;');
  });

  it('grows the band by one row per caption line and legend row', () => {
    const many = Array.from({ length: 12 }, (_, i) => item(`item number ${i}`));
    const narrow = framePicture({ view: '', width: 320, height: 100, caption, legend: many, palette });
    const wide = framePicture({ view: '', width: 1600, height: 100, caption, legend: many, palette });
    expect(narrow.height).toBeGreaterThan(wide.height);
    const rows = layoutLegend(many, 300).rows;
    const lines = captionLines(caption, 300).length;
    expect(narrow.height).toBe(100 + bandHeight(lines, rows));
  });
});

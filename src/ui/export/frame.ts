// The frame around an exported picture: the view on top, and under it a band with a
// caption (which view, step, virtual time, seed) and a legend, all drawn in SVG.
// Pure string building (no DOM), so it is unit-tested in Node (frame.test.ts).

/** One legend entry: a swatch drawn in a box centred on (0, 0), and its label. */
export interface LegendItem {
  /** SVG markup within x in [-swatchW/2, swatchW/2], y in [-swatchH/2, swatchH/2]. */
  swatch: string;
  label: string;
}

export const swatchW = 22;
export const swatchH = 16;

/** What the caption says. */
export interface CaptionInfo {
  /** The view's name ("Cluster view"). */
  view: string;
  step: number;
  /** Virtual time at that step, in ticks. */
  time: number;
  seed: number;
  /** Further facts about the view ("5 nodes", "leader 3"). */
  details?: readonly string[];
}

/** The colours of the band (the view's theme). */
export interface FramePalette {
  background: string;
  text: string;
  border: string;
}

export const fontStack = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif";

const captionFont = 14;
const legendFont = 12;
const pad = 10;
const rowH = 20;
const itemGap = 14;

/** Escapes text for an XML text node or attribute value. */
export function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Virtual time in ticks, to two decimals at most (12, 37.5, 0.33). */
export function formatTime(t: number): string {
  return String(Math.round(t * 100) / 100);
}

/** The caption's parts: "Cluster view", "step 42", "t=37.5", "seed 7", then the details. */
export function captionParts(c: CaptionInfo): string[] {
  return [c.view, `step ${c.step}`, `t=${formatTime(c.time)}`, `seed ${c.seed}`, ...(c.details ?? [])];
}

/** "Cluster view · step 42 · t=37.5 · seed 7 · 5 nodes". */
export function captionText(c: CaptionInfo): string {
  return captionParts(c).join(' · ');
}

/** The caption in lines no wider than `width` (a part is never split). */
export function captionLines(c: CaptionInfo, width: number): string[] {
  const lines: string[] = [];
  for (const part of captionParts(c)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && textWidth(`${last} · ${part}`, captionFont) <= width)
      lines[lines.length - 1] = `${last} · ${part}`;
    else lines.push(part);
  }
  return lines;
}

/**
 * A generous estimate of a label's width: no font is embedded, so the reader's system
 * font decides; 0.62 em per character covers the common sans-serif fonts' average.
 */
export function textWidth(text: string, font: number): number {
  return Math.ceil(text.length * font * 0.62);
}

export interface PlacedItem {
  item: LegendItem;
  /** Left edge of the swatch box and the row's centre line, relative to the legend's top left. */
  x: number;
  y: number;
}

/** Lays the items out left to right, wrapping into rows no wider than `width`. */
export function layoutLegend(items: readonly LegendItem[], width: number): { placed: PlacedItem[]; rows: number } {
  const placed: PlacedItem[] = [];
  let x = 0;
  let row = 0;
  for (const item of items) {
    const w = swatchW + 4 + textWidth(item.label, legendFont);
    if (x > 0 && x + w > width) {
      row++;
      x = 0;
    }
    placed.push({ item, x, y: row * rowH + rowH / 2 });
    x += w + itemGap;
  }
  return { placed, rows: items.length === 0 ? 0 : row + 1 };
}

/** Height of the band under the view. */
export function bandHeight(captionRows: number, legendRows: number): number {
  return pad + (captionRows + legendRows) * rowH + pad;
}

export interface FrameInput {
  /** The view's own SVG markup, drawn at (0, 0) with size width x height. */
  view: string;
  width: number;
  height: number;
  caption: CaptionInfo;
  legend: readonly LegendItem[];
  palette: FramePalette;
}

/** The whole picture as one standalone SVG document, and its size. */
export function framePicture(f: FrameInput): { svg: string; width: number; height: number } {
  const inner = f.width - 2 * pad;
  const lines = captionLines(f.caption, inner);
  const { placed, rows } = layoutLegend(f.legend, inner);
  const width = f.width;
  const height = f.height + bandHeight(lines.length, rows);
  const p = f.palette;
  const caption = lines
    .map((l, i) => `<text x="${pad}" y="${pad + i * rowH + rowH / 2}" dy="0.35em">${xmlEscape(l)}</text>`)
    .join('');
  const legend = placed
    .map(
      ({ item, x, y }) =>
        `<g transform="translate(${x},${y})">` +
        `<g transform="translate(${swatchW / 2},0)">${item.swatch}</g>` +
        `<text x="${swatchW + 4}" dy="0.35em">${xmlEscape(item.label)}</text></g>`,
    )
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
    // stroke="none" is the default, but some renderers (ImageMagick's own) need it said.
    ` font-family="${xmlEscape(fontStack)}" stroke="none">` +
    `<title>${xmlEscape(`Raftlab: ${captionText(f.caption)}`)}</title>` +
    `<rect width="${width}" height="${height}" fill="${p.background}"/>` +
    f.view +
    `<g class="export-band" transform="translate(0,${f.height})">` +
    `<line x1="0" x2="${width}" y1="0.5" y2="0.5" stroke="${p.border}"/>` +
    `<g class="export-caption" font-size="${captionFont}" font-weight="600" fill="${p.text}">${caption}</g>` +
    `<g class="export-legend" transform="translate(${pad},${pad + lines.length * rowH})" font-size="${legendFont}" fill="${p.text}">${legend}</g>` +
    `</g></svg>`;
  return { svg, width, height };
}

/** A filled chip with the term's number: the term colour legend. */
export function termChip(term: number, fill: string, ink: string): LegendItem {
  return {
    swatch: `<rect x="-11" y="-8" width="22" height="16" rx="8" fill="${fill}"/><text text-anchor="middle" dy="0.35em" font-size="11" font-weight="700" fill="${ink}">${term}</text>`,
    label: `term ${term}`,
  };
}

// The log matrix as a picture (export/views.ts): the matrix is HTML (virtualised
// columns), so the picture is an <svg> built from what is on screen now — the node
// heads, the index ruler and the cells of the columns in view, clipped to the view as
// the scroller clips them. Cells are drawn the way the matrix draws them: committed =
// the term colour, not committed = pale with a dashed border, not persisted = dotted
// "?", applied = a bar under the term, conflicting = a danger border and a "≠", the
// compacted prefix = one "snapshot" block; the lane marks (c, a, p, m, n) as text.
//
// The <svg> is attached to the page (off screen, in a holder of its own) so the export
// can read its computed styles; building it again replaces the previous one, and it
// leaves the page once the export has read it (the next task).

import { termColor } from '../../theme';

const NS = 'http://www.w3.org/2000/svg';
let holder: HTMLDivElement | undefined;

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The on-screen log matrix as an <svg> attached to the page, or null when no matrix is on screen. */
export function logMatrixPicture(): SVGSVGElement | null {
  const root = document.querySelector<HTMLElement>('[data-testid="log-matrix"]');
  const scroller = root?.querySelector<HTMLElement>('.lm-scroller');
  const heads = root?.querySelector<HTMLElement>('.lm-heads');
  if (root == null || scroller == null || heads == null) return null;
  const box = scroller.getBoundingClientRect();
  const headW = Math.round(heads.getBoundingClientRect().width);
  if (box.width === 0) return null;
  const cs = getComputedStyle(root);
  const text = cs.color;
  const lane = root.querySelector('.lm-lane, .lm-role');
  const muted = lane === null ? text : getComputedStyle(lane).color;
  const conflict = root.querySelector('.lm-cell.is-conflict');
  const danger = conflict === null ? text : getComputedStyle(conflict).borderTopColor;
  const width = headW + Math.round(box.width);
  const height = Math.round(box.height);
  const x = (r: DOMRect) => r.left - box.left + headW;
  const y = (r: DOMRect) => r.top - box.top;

  const svg = el('svg', {
    xmlns: NS,
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    'font-size': 12,
  }) as SVGSVGElement;
  svg.setAttribute('class', 'lm-picture');
  svg.setAttribute('fill', text);
  // Node heads: id and role, commit and applied.
  for (const h of heads.querySelectorAll<HTMLElement>('.lm-head')) {
    const r = h.getBoundingClientRect();
    const top = r.top - box.top;
    const [id, role] = [h.querySelector('b')?.textContent ?? '', h.querySelector('.lm-role')?.textContent ?? ''];
    svg.append(
      el('line', { x1: 0, x2: width, y1: top, y2: top, stroke: muted, 'stroke-opacity': 0.4 }),
      el('text', { x: 6, y: top + r.height / 2 - 2, 'font-weight': 700 }, `${id} `),
      el('text', { x: 10 + 8 * id.length, y: top + r.height / 2 - 2, fill: muted, 'font-size': 10 }, role),
      el(
        'text',
        { x: 6, y: top + r.height / 2 + 11, fill: muted, 'font-size': 10 },
        h.querySelector('.lm-nums')?.textContent ?? '',
      ),
    );
  }
  svg.append(el('line', { x1: headW, x2: headW, y1: 0, y2: height, stroke: muted, 'stroke-opacity': 0.4 }));
  // The columns in view, clipped to the scroller's box.
  svg.append(el('clipPath', { id: 'lm-picture-clip' }));
  svg.lastElementChild!.append(el('rect', { x: headW, y: 0, width: box.width, height }));
  const g = el('g', { 'clip-path': 'url(#lm-picture-clip)', 'text-anchor': 'middle' });
  svg.append(g);
  for (const s of root.querySelectorAll<HTMLElement>('.lm-ruler span')) {
    const r = s.getBoundingClientRect();
    g.append(
      el(
        'text',
        { x: x(r) + 2, y: y(r) + 11, fill: muted, 'font-size': 10, 'text-anchor': 'start' },
        s.textContent ?? '',
      ),
    );
  }
  for (const s of root.querySelectorAll<HTMLElement>('.lm-snap')) {
    const r = s.getBoundingClientRect();
    const [sx, sy] = [Math.max(x(r), headW), y(r)];
    g.append(
      el('rect', {
        x: x(r),
        y: sy,
        width: r.width,
        height: r.height,
        rx: 3,
        fill: muted,
        'fill-opacity': 0.2,
        stroke: muted,
        'stroke-width': 2,
      }),
      el('text', { x: sx + 4, y: sy + r.height / 2 + 4, 'text-anchor': 'start', 'font-size': 11 }, s.textContent ?? ''),
    );
  }
  for (const c of root.querySelectorAll<HTMLElement>('.lm-cell')) {
    const r = c.getBoundingClientRect();
    if (r.right < box.left || r.left > box.right) continue;
    const d = c.dataset;
    const term = Number(d.term);
    const col = d.term === '' ? undefined : termColor(term);
    const [cx, cy, w, h] = [x(r), y(r), r.width, r.height];
    const committed = d.committed === 'true';
    const persisted = d.persisted === 'true' && col !== undefined;
    // Classes and the test id stay in the file (the export drops data-* attributes).
    const node = c.parentElement?.dataset.node ?? '';
    const cell = el('g', {
      class:
        'lm-picture-cell' +
        (committed ? ' is-committed' : ' is-uncommitted') +
        (d.applied === 'true' ? ' is-applied' : '') +
        (d.conflict !== 'false' ? ' is-conflict' : ''),
      'data-testid': `picture-cell-${node}-${d.index ?? ''}`,
      'data-term': d.term ?? '',
    });
    cell.append(
      el('rect', {
        x: cx + 1,
        y: cy + 1,
        width: w - 2,
        height: h - 2,
        rx: 3,
        fill: persisted ? col.hex : 'none',
        'fill-opacity': committed || !persisted ? 1 : 0.3,
        stroke: d.conflict !== 'false' ? danger : persisted ? col.hex : muted,
        'stroke-width': committed && d.conflict === 'false' ? 1 : 2,
        'stroke-dasharray': !persisted ? '2 2' : committed ? 'none' : '4 2',
      }),
      el(
        'text',
        { x: cx + w / 2, y: cy + h / 2 + 4, 'font-weight': 700, fill: persisted && committed ? col.ink : text },
        c.textContent ?? '',
      ),
    );
    if (d.applied === 'true')
      cell.append(
        el('rect', {
          x: cx + 3,
          y: cy + h - 4,
          width: w - 6,
          height: 2,
          fill: persisted && committed ? col.ink : text,
        }),
      );
    if (d.conflict !== 'false')
      cell.append(el('text', { x: cx + w - 3, y: cy + 7, fill: danger, 'font-size': 10, 'font-weight': 700 }, '≠'));
    g.append(cell);
  }
  for (const m of root.querySelectorAll<HTMLElement>('.lm-lane')) {
    const r = m.getBoundingClientRect();
    g.append(
      el(
        'text',
        { x: x(r) + r.width / 2, y: y(r) + 9, fill: muted, 'font-size': 10, 'font-weight': 700 },
        m.textContent ?? '',
      ),
    );
  }

  holder?.remove();
  holder = document.createElement('div');
  holder.setAttribute('aria-hidden', 'true');
  Object.assign(holder.style, { position: 'fixed', left: '-100000px', top: '0' });
  holder.append(svg);
  document.body.append(holder);
  const mine = holder;
  setTimeout(() => {
    if (holder === mine) holder = undefined;
    mine.remove();
  }, 0);
  return svg;
}

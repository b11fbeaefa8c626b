// The views that can be exported as a picture, one small record each. The export menu
// lists them in this order; picture.ts does the rest (copy, inline styles, frame, PNG).
//
// Adding a view (the log matrix of panels/logs, say) is one more entry in `pictureViews`:
//
//   {
//     id: 'logs',                       // file name and test id part
//     title: 'Log matrix',              // caption and menu label
//     panel: 'logs',                    // the side panel tab to open first, if it is one
//     find: () => document.querySelector('[data-testid="log-matrix"] svg'),
//     legend: (svg) => termChips(termsIn(svg, '[data-term]', (e) => e.getAttribute('data-term'))),
//   }
//
// `find` returns the view's live <svg>. A view drawn in HTML instead has `find` return
// an <svg> it builds from its own model, attached to the page for the time of the
// export (styles are read from the page). Anything the app shows in HTML beside the
// SVG (lane headers, say) goes into `overlay` as SVG markup.

import { getState, selectNodesById, selectNodeIds, selectLeader } from '../store';
import { termColor } from '../theme';
import { swatchH, swatchW, termChip, xmlEscape, type LegendItem } from './frame';
import { inlineTree } from './inlineStyles';

export interface PictureView {
  id: string;
  title: string;
  /** The side panel that must be the open tab for the view to be on screen. */
  panel?: string;
  /** The view's <svg>, or null while it is not on screen. */
  find(): SVGSVGElement | null;
  /** The legend drawn under the picture: what the view's shapes and colours mean. */
  legend(svg: SVGSVGElement): LegendItem[];
  /** Facts for the caption beyond step, time and seed. */
  details?(svg: SVGSVGElement): string[];
  /** SVG markup drawn over the view, in its coordinates. */
  overlay?(svg: SVGSVGElement): string;
}

/** A CSS variable's value where `el` is (the theme's colours). */
function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim();
}

/** Term chips for the terms found in the view, ascending. */
export function termChips(terms: Iterable<number>): LegendItem[] {
  return [...new Set(terms)]
    .filter((t) => Number.isInteger(t) && t > 0)
    .sort((a, b) => a - b)
    .map((t) => {
      const c = termColor(t);
      return termChip(t, c.hex, c.ink);
    });
}

/**
 * An HTML legend list of the app (li: an optional small <svg> icon and a text) as
 * legend items; each icon is copied with its styles inlined and fitted into a swatch.
 */
function legendFromList(items: Iterable<Element>): LegendItem[] {
  const out: LegendItem[] = [];
  for (const li of items) {
    const label = (li.textContent ?? '').trim();
    if (label === '') continue;
    const icon = li.querySelector('svg');
    let swatch = '';
    if (icon !== null) {
      const copy = icon.cloneNode(true) as SVGSVGElement;
      inlineTree(icon, copy);
      const w = icon.width.baseVal.value || swatchW;
      const h = icon.height.baseVal.value || swatchH;
      if (!copy.hasAttribute('viewBox')) copy.setAttribute('viewBox', `0 0 ${w} ${h}`);
      const k = Math.min(swatchW / w, swatchH / h, 1.4);
      copy.setAttribute('width', String(w * k));
      copy.setAttribute('height', String(h * k));
      copy.setAttribute('x', String((-w * k) / 2));
      copy.setAttribute('y', String((-h * k) / 2));
      copy.setAttribute('overflow', 'visible');
      copy.removeAttribute('class');
      swatch = new XMLSerializer().serializeToString(copy);
    }
    out.push({ swatch, label });
  }
  return out;
}

/** The cluster view's role shapes (as NodeGlyph draws them), for the roles present. */
function clusterLegend(svg: SVGSVGElement): LegendItem[] {
  const v = (n: string) => cssVar(svg, n);
  const has = (sel: string) => svg.querySelector(sel) !== null;
  const body = (fill: string, stroke: string, extra = '') =>
    `<circle r="7" fill="${fill}" stroke="${stroke}" stroke-width="1.5"${extra}/>`;
  const roles: [string, string, string][] = [
    ['.node.role-follower', 'Follower', body(v('--node-fill'), v('--node-stroke'))],
    ['.node.role-precandidate', 'PreCandidate', body(v('--pre-fill'), v('--pre-stroke'), ' stroke-dasharray="3 2"')],
    [
      '.node.role-candidate',
      'Candidate',
      `<circle r="8" fill="none" stroke="${v('--cand-stroke')}" stroke-width="1.5"/>` +
        `<circle r="5.5" fill="${v('--cand-fill')}" stroke="${v('--cand-stroke')}" stroke-width="1.5"/>`,
    ],
    [
      '.node.role-leader',
      'Leader',
      `<circle r="6" cy="2" fill="${v('--leader-fill')}" stroke="${v('--leader-stroke')}" stroke-width="2"/>` +
        `<path d="M-5,-3 L-5,-8 L-2.5,-5.5 L0,-9 L2.5,-5.5 L5,-8 L5,-3 Z" fill="${v('--crown')}" stroke="${v('--leader-stroke')}" stroke-width="1"/>`,
    ],
    ['.node.role-learner', 'Learner', `<circle r="5" fill="none" stroke="${v('--node-stroke')}" stroke-width="1.5"/>`],
    [
      '.node.role-down',
      'Crashed',
      body(v('--down-fill'), v('--down-stroke'), ' stroke-dasharray="3 3"') +
        `<path d="M-4,-4 L4,4 M4,-4 L-4,4" stroke="${v('--danger')}" stroke-width="2" stroke-linecap="round"/>`,
    ],
  ];
  const out: LegendItem[] = roles.filter(([sel]) => has(sel)).map(([, label, swatch]) => ({ label, swatch }));
  if (has('.node-timer'))
    out.push({
      label: 'election timer',
      swatch: `<circle r="6" fill="none" stroke="${v('--timer')}" stroke-width="3" stroke-dasharray="26 40" transform="rotate(-90)"/>`,
    });
  if (has('.link-cut'))
    out.push({
      label: 'cut link',
      swatch: `<line x1="-10" x2="10" stroke="${v('--danger')}" stroke-width="2" stroke-dasharray="4 3"/>`,
    });
  for (const cat of ['replication', 'election', 'heartbeat', 'snapshot', 'read', 'control'])
    if (has(`.msg.msg-cat-${cat}`))
      out.push({
        label: `${cat} message`,
        swatch: `<rect x="-10" y="-6" width="20" height="12" rx="6" fill="${v(`--msg-${cat}`)}" stroke="${v('--msg-stroke')}"/>`,
      });
  const nodes = selectNodesById(getState());
  out.push(...termChips([...nodes.values()].map((n) => n.term)));
  return out;
}

export const pictureViews: readonly PictureView[] = [
  {
    id: 'cluster',
    title: 'Cluster view',
    find: () => document.querySelector<SVGSVGElement>('[data-testid="cluster-view"] svg.cluster-svg'),
    legend: clusterLegend,
    details: () => {
      const s = getState();
      const leader = selectLeader(s);
      return [`${selectNodeIds(s).length} nodes`, leader === 0 ? 'no leader' : `leader ${leader}`];
    },
  },
  {
    id: 'spacetime',
    title: 'Space-time diagram',
    panel: 'spacetime',
    find: () => document.querySelector<SVGSVGElement>('[data-testid="spacetime"] svg.st-svg'),
    legend: (svg) => {
      const panel = svg.closest('[data-testid="spacetime"]');
      const items = legendFromList(panel?.querySelectorAll('.st-legend li') ?? []);
      const terms = [...svg.querySelectorAll('.st-mark-label')].map((e) => Number(e.textContent?.slice(1)));
      if (terms.length > 0)
        items.push({
          label: 'became leader (Tn: term)',
          swatch: `<circle r="7" fill="${termColor(terms[0]!).hex}" stroke="${cssVar(svg, '--text')}"/>`,
        });
      return [...items, ...termChips(terms)];
    },
    details: (svg) => {
      const win = svg.closest('[data-testid="spacetime"]')?.querySelector('.st-window')?.textContent?.trim();
      return win === undefined || win === '' ? [] : [`window ${win}`];
    },
    // The lane headers are HTML buttons in the app: drawn here as labelled dots above each lane.
    overlay: (svg) => {
      const panel = svg.closest('[data-testid="spacetime"]');
      const ids = [...(panel?.querySelectorAll('.st-lane-btn') ?? [])].map((b) => (b.textContent ?? '').trim());
      const lanes = [...svg.querySelectorAll<SVGLineElement>('.st-lane')];
      const fill = cssVar(svg, '--node-fill');
      const stroke = cssVar(svg, '--node-stroke');
      const ink = cssVar(svg, '--text');
      return lanes
        .map((l, i) => {
          const x = l.x1.baseVal.value;
          return (
            `<g transform="translate(${x},11)"><circle r="9" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>` +
            `<text text-anchor="middle" dy="0.35em" font-size="11" font-weight="700" fill="${ink}">${xmlEscape(ids[i] ?? '')}</text></g>`
          );
        })
        .join('');
    },
  },
  {
    id: 'timeline',
    title: 'Timeline',
    find: () => document.querySelector<SVGSVGElement>('svg[data-testid="timeline"]'),
    legend: (svg) => {
      const panel = svg.closest('[data-testid="timeline-panel"]');
      const marks = legendFromList(panel?.querySelectorAll('.tl-legend li:not(.tl-legend-hint)') ?? []);
      const terms = [...svg.querySelectorAll('[data-testid="timeline-band"]')].map((e) =>
        Number(e.getAttribute('data-term')),
      );
      return [...marks, ...termChips(terms)];
    },
    details: (svg) => [`steps 0–${svg.getAttribute('data-total') ?? '?'}`],
  },
];

// The views that can be exported as a picture, one small record each. The export menu
// lists them in this order; picture.ts does the rest (copy, inline styles, frame, PNG).
//
// Adding a view is one more entry in `pictureViews`: an id (file name and test id
// part), a title (caption and menu label), the side panel to open first if it is one,
// `find` and `legend`.
//
// `find` returns the view's live <svg>. A view drawn in HTML instead has `find` return
// an <svg> it builds from what it shows (the log matrix: panels/logs/matrixPicture.ts),
// attached to the page for the time of the export (styles are read from the page). Anything the app shows in HTML beside the
// SVG (lane headers, say) goes into `overlay` as SVG markup.

import { logMatrixPicture } from '../panels/logs/matrixPicture';
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

const serialize = (e: Element) => new XMLSerializer().serializeToString(e);

/**
 * A legend item whose swatch is a copy of the first element matching `sel` in the
 * view, with its styles inlined, moved to the origin and scaled by `k`, minus the parts
 * matching `drop`. So the legend shows exactly what the view draws.
 */
function sample(svg: SVGSVGElement, sel: string, label: string, k: number, drop = 'title'): LegendItem[] {
  const el = svg.querySelector(sel);
  if (el === null) return [];
  const copy = el.cloneNode(true) as Element;
  inlineTree(el, copy);
  copy.removeAttribute('transform');
  if (copy.localName === 'line')
    for (const [a, v] of [
      ['x1', -10 / k],
      ['x2', 10 / k],
      ['y1', 0],
      ['y2', 0],
    ] as const)
      copy.setAttribute(a, String(v));
  for (const d of copy.querySelectorAll(drop)) d.remove();
  return [{ label, swatch: `<g transform="scale(${k})">${serialize(copy)}</g>` }];
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
    const icon = li.querySelector('svg');
    let swatch = '';
    if (icon !== null) {
      const copy = icon.cloneNode(true) as SVGSVGElement;
      inlineTree(icon, copy);
      const w = icon.width.baseVal.value || swatchW;
      const h = icon.height.baseVal.value || swatchH;
      if (!copy.hasAttribute('viewBox')) copy.setAttribute('viewBox', `0 0 ${w} ${h}`);
      const k = Math.min(swatchW / w, swatchH / h, 1.4);
      for (const [a, v] of [
        ['width', w * k],
        ['height', h * k],
        ['x', (-w * k) / 2],
        ['y', (-h * k) / 2],
      ] as const)
        copy.setAttribute(a, String(v));
      swatch = serialize(copy);
    }
    if (label !== '') out.push({ swatch, label });
  }
  return out;
}

const roles = [
  ['follower', 'Follower'],
  ['precandidate', 'PreCandidate'],
  ['candidate', 'Candidate'],
  ['leader', 'Leader'],
  ['learner', 'Learner'],
  ['down', 'Crashed'],
] as const;
const categories = ['replication', 'election', 'heartbeat', 'snapshot', 'read', 'control'];

/** The cluster view's legend: the roles, marks and message kinds it shows now, and the terms. */
function clusterLegend(svg: SVGSVGElement): LegendItem[] {
  const nodeParts = '.node-label,.node-id,.node-halo,.node-timer-track,.node-timer,title';
  return [
    ...roles.flatMap(([r, label]) => sample(svg, `g.node.role-${r}`, label, 0.22, nodeParts)),
    ...sample(svg, '.node-timer', 'election timer', 0.22),
    ...sample(svg, '.link-cut', 'cut link', 1),
    ...categories.flatMap((c) => sample(svg, `g.msg.msg-cat-${c}`, `${c} message`, 0.7, 'text,title')),
    ...termChips([...selectNodesById(getState()).values()].map((n) => n.term)),
  ];
}

/** The log matrix's legend: the cell looks present in the picture, then the terms. */
function matrixLegend(svg: SVGSVGElement): LegendItem[] {
  const ink = svg.getAttribute('fill') ?? 'currentColor';
  const box = (a: string) => `<rect x="-9" y="-7" width="18" height="14" rx="3" ${a}/>`;
  const has = (sel: string) => svg.querySelector(`.lm-picture-cell${sel}`) !== null;
  const looks: [string, string, string][] = [
    ['.is-committed', 'committed', box(`fill="${ink}"`)],
    [
      '.is-uncommitted',
      'not committed',
      box(`fill="${ink}" fill-opacity="0.3" stroke="${ink}" stroke-width="2" stroke-dasharray="4 2"`),
    ],
    ['.is-applied', 'applied (bar)', `<rect x="-9" y="4" width="18" height="2" fill="${ink}"/>`],
  ];
  const out: LegendItem[] = looks.filter(([sel]) => has(sel)).map(([, label, swatch]) => ({ label, swatch }));
  if (has('.is-conflict'))
    out.push({
      label: "conflicts with the leader's log",
      swatch: '<text text-anchor="middle" dy="0.35em" font-weight="700">≠</text>',
    });
  return [
    ...out,
    ...termChips([...svg.querySelectorAll('[data-term]')].map((e) => Number(e.getAttribute('data-term')))),
  ];
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
    legend: (svg) => [
      ...legendFromList(svg.closest('[data-testid="spacetime"]')?.querySelectorAll('.st-legend li') ?? []),
      ...sample(svg, '.st-mark-leader', 'became leader (T: its term)', 1, '.st-mark-label,title'),
      ...termChips([...svg.querySelectorAll('.st-mark-label')].map((e) => Number(e.textContent?.slice(1)))),
    ],
    details: (svg) => {
      const win = svg.closest('[data-testid="spacetime"]')?.querySelector('.st-window')?.textContent?.trim();
      return win === undefined || win === '' ? [] : [`window ${win}`];
    },
    // The lane headers are HTML buttons in the app: drawn here as labelled dots above each lane.
    overlay: (svg) => {
      const ids = [...(svg.closest('[data-testid="spacetime"]')?.querySelectorAll('.st-lane-btn') ?? [])];
      return [...svg.querySelectorAll<SVGLineElement>('.st-lane')]
        .map(
          (l, i) =>
            `<g transform="translate(${l.x1.baseVal.value},11)" font-size="11" font-weight="700" text-anchor="middle"><circle r="9" fill="none" stroke="${getComputedStyle(l).stroke}"/>` +
            `<text dy="0.35em" fill="${getComputedStyle(svg).color}">${xmlEscape(ids[i]?.textContent ?? '')}</text></g>`,
        )
        .join('');
    },
  },
  {
    id: 'timeline',
    title: 'Timeline',
    find: () => document.querySelector<SVGSVGElement>('svg[data-testid="timeline"]'),
    legend: (svg) => [
      ...legendFromList(
        svg.closest('[data-testid="timeline-panel"]')?.querySelectorAll('.tl-legend li:not(.tl-legend-hint)') ?? [],
      ),
      ...termChips([...svg.querySelectorAll('[data-term]')].map((e) => Number(e.getAttribute('data-term')))),
    ],
    details: (svg) => [`steps 0–${svg.getAttribute('data-total') ?? '?'}`],
  },
  {
    id: 'logs',
    title: 'Log matrix',
    panel: 'logs',
    // HTML with virtualised columns: an <svg> of the columns in view (matrixPicture.ts).
    find: logMatrixPicture,
    legend: matrixLegend,
    details: () => {
      const range = document.querySelector('[data-testid="log-matrix"] .lm-range')?.textContent?.trim();
      return [`${selectNodeIds(getState()).length} nodes`, ...(range === undefined ? [] : [range])];
    },
  },
];

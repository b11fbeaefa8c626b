// Exports a view (views.ts) as a picture: SVG (self-contained: styles inlined as
// attributes, theme colours resolved, one generic font stack, no external resource)
// or PNG at twice the view's size, for slides. Everything happens in the page: the PNG
// is the SVG drawn into a canvas through a blob: URL, and the file is offered as a
// download from another blob: URL.

import { getState, selectClusterTime, selectSettings, selectStep, setActivePanel } from '../store';
import { framePicture, type FramePalette } from './frame';
import { inlineTree } from './inlineStyles';
import type { PictureView } from './views';

export type PictureFormat = 'svg' | 'png';

/** How much larger than the view the PNG is drawn. */
export const pngScale = 2;

export interface Picture {
  svg: string;
  /** Size of the SVG in CSS pixels (the PNG is pngScale times larger). */
  width: number;
  height: number;
}

/** The first non-transparent background behind `el`. */
function backgroundBehind(el: Element): string {
  for (let e: Element | null = el; e !== null; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg !== '' && bg !== 'transparent' && bg !== 'rgba(0, 0, 0, 0)') return bg;
  }
  return 'rgb(255, 255, 255)';
}

function palette(svg: SVGSVGElement): FramePalette {
  const cs = getComputedStyle(svg);
  return {
    background: backgroundBehind(svg),
    text: cs.color,
    border: cs.getPropertyValue('--border').trim() || cs.color,
  };
}

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/** The view's <svg>, opening its panel first if it is a side panel that is not shown. */
async function showView(view: PictureView): Promise<SVGSVGElement> {
  let svg = view.find();
  if (svg === null && view.panel !== undefined) {
    setActivePanel(view.panel);
    // Mounting, then measuring its size, takes a few frames.
    for (let i = 0; i < 30 && (svg === null || svg.getBoundingClientRect().width === 0); i++) {
      await nextFrame();
      svg = view.find();
    }
  }
  if (svg === null || svg.getBoundingClientRect().width === 0) throw new Error(`the ${view.title} is not on screen`);
  return svg;
}

/** The view as it is on screen now, framed with its caption and legend. */
export async function buildPicture(view: PictureView): Promise<Picture> {
  const live = await showView(view);
  const r = live.getBoundingClientRect();
  const width = Math.round(r.width);
  const height = Math.round(r.height);
  const copy = live.cloneNode(true) as SVGSVGElement;
  inlineTree(live, copy);
  copy.setAttribute('x', '0');
  copy.setAttribute('y', '0');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.removeAttribute('class');
  const s = getState();
  return framePicture({
    view: new XMLSerializer().serializeToString(copy) + (view.overlay?.(live) ?? ''),
    width,
    height,
    caption: {
      view: view.title,
      step: selectStep(s),
      time: selectClusterTime(s),
      seed: selectSettings(s).seed,
      details: view.details?.(live) ?? [],
    },
    legend: view.legend(live),
    palette: palette(live),
  });
}

/** The picture as a PNG, `scale` times its size. */
export async function toPng(p: Picture, scale = pngScale): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([p.svg], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(p.width * scale);
    canvas.height = Math.round(p.height * scale);
    const ctx = canvas.getContext('2d');
    if (ctx === null) throw new Error('this browser cannot draw into a canvas');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b === null ? reject(new Error('the PNG could not be encoded')) : resolve(b)), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Offers a blob as a file download, with no network request. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the URL once click() returns; release it a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "raftlab-cluster-seed7-step42.png". */
export function pictureFileName(view: PictureView, format: PictureFormat): string {
  const s = getState();
  return `raftlab-${view.id}-seed${selectSettings(s).seed}-step${selectStep(s)}.${format}`;
}

/** Builds the picture of `view` and downloads it; returns the file name. */
export async function exportPicture(view: PictureView, format: PictureFormat): Promise<string> {
  const p = await buildPicture(view);
  const blob = format === 'svg' ? new Blob([p.svg], { type: 'image/svg+xml;charset=utf-8' }) : await toPng(p);
  const name = pictureFileName(view, format);
  saveBlob(blob, name);
  return name;
}

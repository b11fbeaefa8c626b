// Makes a copy of a live SVG view self-contained: every style that the app's CSS gives
// an element (fill, stroke, fonts, ... with the theme's CSS variables already resolved
// by the browser) is written onto the copy as an SVG presentation attribute, so the
// copy looks the same without the app's stylesheet, in any browser or editor.
//
// Presentation attributes rather than style="" attributes: they mean the same in a
// standalone SVG file, and writing them is not an inline style as far as the page's
// Content-Security-Policy is concerned. Values stay as browsers compute them (rgba(),
// px units): browsers and librsvg read them all.
//
// The choice of what to write (styleAttributes) is pure and unit-tested; inlineTree
// walks the live element and its copy side by side.

/** Properties inherited by children: written only where they differ from the parent's. */
const inheritedProps = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'paint-order',
  'visibility',
] as const;

/**
 * Properties not inherited (dominant-baseline is inherited in SVG 2 but not in SVG 1.1,
 * so it is written wherever it is set): written where they differ from the initial value.
 */
const ownProps = ['opacity', 'dominant-baseline'] as const;

/** Initial values of the own properties, as browsers report them in computed styles. */
const initial: Readonly<Record<string, string>> = { opacity: '1', 'dominant-baseline': 'auto' };

/** Reads one computed property of an element. */
export type StyleLookup = (prop: string) => string;

/**
 * A paint or reference as it can stand in a file: `url("http://host/page#id")` (how
 * computed styles report a reference) becomes `url(#id)`.
 */
export function localRef(value: string): string {
  const m = /^url\((["']?)[^#"')]*(#[^"')]+)\1\)(.*)$/.exec(value);
  return m === null ? value : `url(${m[2]})${m[3]}`;
}

/**
 * The attributes that give an element its computed look: each inherited property that
 * differs from `parent` (all of them at the root, where `parent` is undefined), each
 * own property that differs from its initial value, and any property the element
 * already has as an attribute (the CSS may have overridden it).
 * The font family is left out: the picture sets one generic stack at its root.
 */
export function styleAttributes(
  own: StyleLookup,
  parent: StyleLookup | undefined,
  hasAttribute: (name: string) => boolean,
): [string, string][] {
  const out = new Map<string, string>();
  for (const p of inheritedProps) {
    if (p === 'font-family') continue;
    const v = own(p);
    if (v === '') continue;
    if (parent === undefined || v !== parent(p) || hasAttribute(p)) out.set(p, localRef(v));
  }
  for (const p of ownProps) {
    const v = own(p);
    if (v === '') continue;
    if (v !== initial[p] || hasAttribute(p)) out.set(p, v);
  }
  return [...out];
}

/** Attributes that only matter inside the app (styles now inlined, accessibility of controls, tests but the test id). */
const appOnly = /^(style|tabindex|role|focusable|aria-|data-(?!testid))/;

/**
 * Writes the computed look of `live` and its descendants onto `copy` (a deep clone of
 * it, so both trees have the same shape). Hidden elements and tooltips (<title>) are
 * removed from the copy; so are attributes that only serve the app.
 */
export function inlineTree(live: Element, copy: Element, parent?: CSSStyleDeclaration): void {
  const cs = getComputedStyle(live);
  if (cs.display === 'none') {
    copy.remove();
    return;
  }
  const own: StyleLookup = (p) => cs.getPropertyValue(p);
  const up: StyleLookup | undefined = parent === undefined ? undefined : (p) => parent.getPropertyValue(p);
  for (const [name, value] of styleAttributes(own, up, (n) => live.hasAttribute(n))) copy.setAttribute(name, value);
  // A CSS transform (the projector mode enlarges message glyphs that way) becomes the
  // attribute; an element with its own transform attribute keeps it.
  const t = cs.getPropertyValue('transform');
  if (t !== '' && t !== 'none' && !live.hasAttribute('transform')) copy.setAttribute('transform', t);
  // Text centred on its y by dominant-baseline: shifted by dy instead, which every
  // renderer supports (librsvg, for one, ignores dominant-baseline).
  const baseline = copy.getAttribute('dominant-baseline');
  if (live.localName === 'text' && (baseline === 'central' || baseline === 'middle') && !live.hasAttribute('dy')) {
    copy.removeAttribute('dominant-baseline');
    copy.setAttribute('dy', '0.35em');
  }
  for (const a of [...copy.getAttributeNames()]) if (appOnly.test(a)) copy.removeAttribute(a);
  const lives = [...live.children];
  const copies = [...copy.children];
  lives.forEach((child, i) => {
    const c = copies[i];
    if (c === undefined) return;
    if (child.localName === 'title') c.remove();
    else inlineTree(child, c, cs);
  });
}

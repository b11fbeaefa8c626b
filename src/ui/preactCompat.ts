// What the app needs from Preact beyond preact/compat (the builds run the React UI on
// preact/compat: vite.config.ts). Preact writes an SVG element's props as attributes
// by their JSX names, and SVG attribute names are case-sensitive: `tabIndex` would
// make an attribute no browser reads, so focusable SVG (the timeline, node glyphs)
// could not take focus. Written as `tabindex` it works on SVG and on HTML alike.

import { options } from 'preact';

const previous = options.vnode;
options.vnode = (vnode) => {
  const props = vnode.props as Record<string, unknown> | null;
  if (typeof vnode.type === 'string' && props !== null && 'tabIndex' in props) {
    props.tabindex = props.tabIndex;
    delete props.tabIndex;
  }
  previous?.(vnode);
};

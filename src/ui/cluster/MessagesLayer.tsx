// Messages in flight, moving along their links.
//
// React renders one memo'd MessageGlyph per message id (the list of ids changes only
// when messages are sent or delivered). The layer reads the store once and hands each
// glyph its envelope and flags, so a glyph re-renders only when its own message, or
// whether it is selected or related, changes (not one store subscription per glyph:
// ~200 glyphs x 3 selectors ran on every frame). Positions change every animation
// frame, so they are not React state: the layer subscribes to the display clock and
// writes each glyph's transform directly (RaftScope's idea: a message carries its send
// and due time, so drawing it in flight is interpolation).
//
// A glyph is a <g> with a <rect> and a <text>. The hover text is one shared <title>
// that moves into the glyph under the pointer, rather than one <title> per glyph.
//
// Measured (bench:ui, no GPU): moving ~220 SVG glyphs costs about an eighth of the
// main thread, and the alternatives tried cost more — HTML boxes on a <foreignObject>
// moved by CSS transforms (inline style recalc is dearer than an SVG transform
// attribute), positions computed by CSS from one custom property (every glyph's style
// is recalculated with var() substitution), a <canvas> plus per-message DOM hit
// targets (the targets still move). So the glyphs stay SVG, and the work per frame is
// kept to one attribute write per glyph that moved.

import { memo, useCallback, useEffect, useRef } from 'react';
import type { Envelope } from '../../cluster/bus';
import { messageTypeNames } from '../../raft/raftpb/types';
import {
  getState,
  selectHighlight,
  selectInFlightById,
  selectInFlightIds,
  selectMessageId,
  selectSelectedMessage,
  selectSelectedNode,
  selectVirtualTime,
  useRaft,
  useRaftSubscription,
} from '../store';
import { clusterGeometry, messageCategory, messageGlyphs } from '../theme';
import { messagePoint, messageProgress, type Point } from './layout';

type Register = (id: number, el: SVGGElement | null) => void;

export function typeName(env: Envelope): string {
  return messageTypeNames[env.msg.type] ?? String(env.msg.type);
}

/** The glyph's text: the short name of the type, and a cross when it is a rejection. */
export function messageLabel(env: Envelope): string {
  const type = typeName(env);
  return `${messageGlyphs[type] ?? type.replace(/^Msg/, '')}${env.msg.reject ? ' ✗' : ''}`;
}

/** The hover text: everything that identifies the message, in one line. */
export function messageTitle(env: Envelope): string {
  const m = env.msg;
  return (
    `#${env.id} ${typeName(env)} ${env.from}→${env.to} term ${m.term}` +
    (m.index || m.logTerm ? ` index ${m.index} logTerm ${m.logTerm}` : '') +
    (m.commit ? ` commit ${m.commit}` : '') +
    (m.entries.length ? ` entries ${m.entries.length}` : '') +
    (m.reject ? ` REJECTED (hint ${m.rejectHint})` : '') +
    (env.held ? ' (held)' : '') +
    ` sent t=${env.sendTime} due t=${env.dueTime}. Click to select.`
  );
}

/**
 * What each glyph last received, so that placing it again at the same spot writes
 * nothing to the DOM (a write invalidates style and layout for the whole SVG even when
 * the value is the same). Observations arrive much more often than messages move, and
 * the display clock stands still while the cluster catches up with it.
 */
const lastPlaced = new WeakMap<SVGGElement, string>();

function place(el: SVGGElement, env: Envelope, positions: ReadonlyMap<number, Point>, t: number): void {
  const from = positions.get(env.from);
  const to = positions.get(env.to);
  let next: string;
  if (from === undefined || to === undefined) {
    next = 'hidden';
  } else {
    const p = messagePoint(from, to, messageProgress(env, t), clusterGeometry.nodeRadius + 14);
    next = `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`;
  }
  const prev = lastPlaced.get(el);
  if (prev === next) return;
  lastPlaced.set(el, next);
  if (next === 'hidden') {
    el.setAttribute('visibility', 'hidden');
    return;
  }
  el.setAttribute('transform', next);
  if (prev === undefined || prev === 'hidden') el.removeAttribute('visibility');
}

interface GlyphProps {
  env: Envelope;
  /** Copied out of the envelope: the bus flips it in place. */
  held: boolean;
  selected: boolean;
  related: boolean;
  register: Register;
}

const MessageGlyph = memo(function MessageGlyph({ env, held, selected, related, register }: GlyphProps) {
  const id = env.id;
  const ref = useCallback((el: SVGGElement | null) => register(id, el), [id, register]);
  const type = typeName(env);
  const reject = env.msg.reject;
  const label = messageLabel(env);
  const w = Math.max(26, label.length * 6.4 + 10);
  return (
    <g
      ref={ref}
      className={`msg msg-cat-${messageCategory(type)}${reject ? ' is-reject' : ''}${selected ? ' is-selected' : ''}${related ? ' is-related' : ''}${held ? ' is-held' : ''}`}
      data-testid={`msg-${id}`}
      data-type={type}
      data-from={env.from}
      data-to={env.to}
      visibility="hidden"
      onClick={(e) => {
        e.stopPropagation();
        selectMessageId(selected ? 0 : id);
      }}
    >
      <rect x={-w / 2} y={-9} width={w} height={18} rx={reject ? 2 : 9} />
      <text dy="0.35em">{label}</text>
    </g>
  );
});

/** The glyph element (and its message id) that an event happened in, if any. */
function glyphOf(target: EventTarget | null): { el: SVGGElement; id: number } | undefined {
  const el = target instanceof Element ? target.closest<SVGGElement>('g.msg[data-testid^="msg-"]') : null;
  if (el === null) return undefined;
  const id = Number(el.getAttribute('data-testid')!.slice(4));
  return Number.isFinite(id) ? { el, id } : undefined;
}

export const MessagesLayer = memo(function MessagesLayer({ positions }: { positions: ReadonlyMap<number, Point> }) {
  const ids = useRaft(selectInFlightIds);
  const byId = useRaft(selectInFlightById);
  const selectedMsg = useRaft(selectSelectedMessage);
  const selNode = useRaft(selectSelectedNode);
  const lit = useRaft(selectHighlight).messages;
  const els = useRef(new Map<number, SVGGElement>());
  const pos = useRef(positions);
  pos.current = positions;

  const register = useCallback<Register>((id, el) => {
    if (el === null) {
      els.current.delete(id);
      return;
    }
    els.current.set(id, el);
    const s = getState();
    const env = s.cluster.inFlightById.get(id);
    if (env !== undefined) place(el, env, pos.current, s.playback.virtualTime);
  }, []);

  // Set when the messages changed since the last placement pass.
  const stale = useRef(false);
  const placeAll = useCallback((positions: ReadonlyMap<number, Point>) => {
    stale.current = false;
    const s = getState();
    for (const [id, el] of els.current) {
      const env = s.cluster.inFlightById.get(id);
      if (env !== undefined) place(el, env, positions, s.playback.virtualTime);
    }
  }, []);

  // Per frame: move every glyph to where the display clock says it is.
  useRaftSubscription(selectVirtualTime, () => placeAll(pos.current));
  // Nodes moved (a node joined or left): re-place at once.
  useEffect(() => placeAll(positions), [positions, placeAll]);
  // Also re-place when the set of messages changes (new envelopes, reordering). Many
  // observations can arrive within one frame (a burst of actions), so they are
  // coalesced into one pass at the next animation frame, skipped when the clock's
  // per-frame pass already ran since; new glyphs are placed as they mount (register),
  // so nothing shows at a stale spot meanwhile.
  const pending = useRef(0);
  useRaftSubscription(
    (s) => s.cluster.inFlightById,
    () => {
      stale.current = true;
      if (pending.current !== 0) return;
      if (typeof requestAnimationFrame === 'undefined') {
        placeAll(pos.current);
        return;
      }
      pending.current = requestAnimationFrame(() => {
        pending.current = 0;
        if (stale.current) placeAll(pos.current);
      });
    },
  );
  useEffect(
    () => () => {
      if (pending.current !== 0) cancelAnimationFrame(pending.current);
      pending.current = 0;
    },
    [],
  );

  // Hover: one <title> (the native tooltip) moves into the glyph under the pointer.
  const title = useRef<SVGTitleElement | null>(null);
  const onPointerOver = useCallback((e: React.PointerEvent<SVGGElement>) => {
    const g = glyphOf(e.target);
    if (g === undefined) return;
    const env = getState().cluster.inFlightById.get(g.id);
    if (env === undefined) return;
    title.current ??= document.createElementNS('http://www.w3.org/2000/svg', 'title');
    title.current.textContent = messageTitle(env);
    if (title.current.parentNode !== g.el) g.el.appendChild(title.current);
  }, []);

  return (
    <g className="messages" onPointerOver={onPointerOver}>
      {ids.map((id) => {
        const env = byId.get(id);
        if (env === undefined) return null;
        return (
          <MessageGlyph
            key={id}
            env={env}
            held={env.held}
            selected={selectedMsg === id}
            related={(selNode !== 0 && (env.from === selNode || env.to === selNode)) || lit.includes(id)}
            register={register}
          />
        );
      })}
    </g>
  );
});

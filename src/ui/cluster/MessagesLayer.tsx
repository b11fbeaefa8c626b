// Messages in flight, moving along their links.
//
// React renders one memo'd MessageGlyph per message id (the list of ids changes only
// when messages are sent or delivered). Their positions change every animation frame,
// so they are not React state: the layer subscribes to the display clock and writes
// each glyph's transform directly (RaftScope's idea: a message carries its send and
// due time, so drawing it in flight is interpolation).

import { memo, useCallback, useEffect, useRef } from 'react';
import type { Envelope } from '../../cluster/bus';
import { messageTypeNames } from '../../raft/raftpb/types';
import {
  getState,
  selectInFlightIds,
  selectMessage,
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

/**
 * What each glyph last received, so that placing it again at the same spot writes
 * nothing to the DOM (a write invalidates style and layout for the whole SVG even when
 * the value is the same). Observations arrive much more often than messages move.
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

const MessageGlyph = memo(function MessageGlyph({ id, register }: { id: number; register: Register }) {
  const env = useRaft(selectMessage(id));
  const selected = useRaft(selectSelectedMessage) === id;
  const selNode = useRaft(selectSelectedNode);
  const ref = useCallback((el: SVGGElement | null) => register(id, el), [id, register]);
  if (env === undefined) return null;
  const type = typeName(env);
  const reject = env.msg.reject;
  const label = `${messageGlyphs[type] ?? type.replace(/^Msg/, '')}${reject ? ' ✗' : ''}`;
  const w = Math.max(26, label.length * 6.4 + 10);
  const related = selNode !== 0 && (env.from === selNode || env.to === selNode);
  const m = env.msg;
  const title =
    `#${id} ${type} ${env.from}→${env.to} term ${m.term}` +
    (m.index || m.logTerm ? ` index ${m.index} logTerm ${m.logTerm}` : '') +
    (m.commit ? ` commit ${m.commit}` : '') +
    (m.entries.length ? ` entries ${m.entries.length}` : '') +
    (reject ? ` REJECTED (hint ${m.rejectHint})` : '') +
    (env.held ? ' (held)' : '') +
    ` sent t=${env.sendTime} due t=${env.dueTime}. Click to select.`;
  return (
    <g
      ref={ref}
      className={`msg msg-cat-${messageCategory(type)}${reject ? ' is-reject' : ''}${selected ? ' is-selected' : ''}${related ? ' is-related' : ''}${env.held ? ' is-held' : ''}`}
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
      <title>{title}</title>
      <rect x={-w / 2} y={-9} width={w} height={18} rx={reject ? 2 : 9} />
      <text dy="0.35em">{label}</text>
    </g>
  );
});

export const MessagesLayer = memo(function MessagesLayer({ positions }: { positions: ReadonlyMap<number, Point> }) {
  const ids = useRaft(selectInFlightIds);
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

  const placeAll = useCallback((positions: ReadonlyMap<number, Point>) => {
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
  // coalesced into one pass at the next animation frame; new glyphs are placed as
  // they mount (register), so nothing shows at a stale spot meanwhile.
  const pending = useRef(0);
  useRaftSubscription(
    (s) => s.cluster.inFlightById,
    () => {
      if (pending.current !== 0) return;
      if (typeof requestAnimationFrame === 'undefined') {
        placeAll(pos.current);
        return;
      }
      pending.current = requestAnimationFrame(() => {
        pending.current = 0;
        placeAll(pos.current);
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

  return (
    <g className="messages">
      {ids.map((id) => (
        <MessageGlyph key={id} id={id} register={register} />
      ))}
    </g>
  );
});

// Colours, sizes and message glyphs shared by every view.
//
// Term palette: Okabe & Ito's colour-blind-safe palette ("Color Universal Design",
// Okabe and Ito 2008), without its black. Its seven hues stay distinguishable under
// the common colour-vision deficiencies (protanopia, deuteranopia, tritanopia).
// Terms cycle through it: term t gets termPalette[t % 7]. Colour is never the only
// cue: wherever a term is coloured, its number is printed beside or inside it, and a
// node's role is given by its shape and a text label as well as by its colour.
//
// Theme colours live in app.css as CSS variables (light / dark, and the projector
// mode's sizes); SVG elements use those variables through classes, so switching the
// theme is a change of one attribute on the root element.

import type { StateName } from './store';

export interface PaletteColor {
  name: string;
  /** The colour itself (fills, strokes). */
  hex: string;
  /** Text drawn on top of it: black or white, whichever contrasts more (WCAG >= 4.5:1). */
  ink: string;
}

/** Okabe-Ito, in an order where neighbouring terms differ strongly in lightness too. */
export const termPalette: readonly PaletteColor[] = [
  { name: 'blue', hex: '#0072B2', ink: '#ffffff' },
  { name: 'orange', hex: '#E69F00', ink: '#000000' },
  { name: 'bluish green', hex: '#009E73', ink: '#000000' },
  { name: 'vermillion', hex: '#D55E00', ink: '#000000' },
  { name: 'sky blue', hex: '#56B4E9', ink: '#000000' },
  { name: 'reddish purple', hex: '#CC79A7', ink: '#000000' },
  { name: 'yellow', hex: '#F0E442', ink: '#000000' },
];

/** The palette entry of a term (term 0, before any election, is grey). */
export function termColor(term: number): PaletteColor {
  if (term <= 0) return { name: 'grey', hex: '#8a93a3', ink: '#000000' };
  return termPalette[(term - 1) % termPalette.length]!;
}

/** Short role labels printed under each node (the text cue besides shape and colour). */
export function roleLabel(
  state: StateName | undefined,
  opts: { isLearner: boolean; status: string; paused: boolean; panicked?: boolean },
): string {
  if (opts.status === 'crashed') return opts.panicked ? 'panicked' : 'crashed';
  if (opts.status === 'removed') return 'removed';
  const base =
    state === 'StateLeader'
      ? 'Leader'
      : state === 'StateCandidate'
        ? 'Candidate'
        : state === 'StatePreCandidate'
          ? 'PreCandidate'
          : opts.isLearner
            ? 'Learner'
            : 'Follower';
  return opts.paused ? `${base} (paused)` : base;
}

/** Short labels drawn on messages in flight, by etcd message type name. */
export const messageGlyphs: Readonly<Record<string, string>> = {
  MsgHup: 'Hup',
  MsgBeat: 'Beat',
  MsgProp: 'Prop',
  MsgApp: 'App',
  MsgAppResp: 'AppR',
  MsgVote: 'Vote',
  MsgVoteResp: 'VoteR',
  MsgSnap: 'Snap',
  MsgHeartbeat: 'HB',
  MsgHeartbeatResp: 'HBR',
  MsgUnreachable: 'Unr',
  MsgSnapStatus: 'SnapS',
  MsgCheckQuorum: 'CQ',
  MsgTransferLeader: 'TL',
  MsgTimeoutNow: 'TNow',
  MsgReadIndex: 'RIdx',
  MsgReadIndexResp: 'RIdxR',
  MsgPreVote: 'PreV',
  MsgPreVoteResp: 'PreVR',
  MsgStorageAppend: 'SApp',
  MsgStorageAppendResp: 'SAppR',
  MsgStorageApply: 'SAply',
  MsgStorageApplyResp: 'SAplyR',
  MsgForgetLeader: 'Fgt',
};

/** Message categories (each has a CSS class msg-cat-<category> giving its shape colour). */
export type MessageCategory = 'replication' | 'election' | 'heartbeat' | 'snapshot' | 'control' | 'read';

export function messageCategory(type: string): MessageCategory {
  if (type === 'MsgApp' || type === 'MsgAppResp' || type === 'MsgProp') return 'replication';
  if (type.startsWith('MsgVote') || type.startsWith('MsgPreVote') || type === 'MsgHup') return 'election';
  if (type.startsWith('MsgHeartbeat') || type === 'MsgBeat' || type === 'MsgCheckQuorum') return 'heartbeat';
  if (type.startsWith('MsgSnap')) return 'snapshot';
  if (type.startsWith('MsgReadIndex')) return 'read';
  return 'control';
}

/** Geometry of the cluster view, in CSS pixels (the SVG is drawn 1:1; width/height are the size before the first measurement). */
export const clusterGeometry = {
  width: 760,
  height: 640,
  nodeRadius: 30,
  learnerRadius: 22,
} as const;

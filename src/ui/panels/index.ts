// The panel registry: the app shell mounts every panel listed here. Side panels appear
// as tabs in the right-hand area (in this order); the bottom panel fills the timeline
// slot under the cluster view. Panels read the store (../store) and call the
// controller; they receive no props.
//
// U2 replaces the placeholder entries with the real panels (same ids keep the
// keyboard shortcuts and saved tab working).

import { createElement, type ComponentType } from 'react';
import { Placeholder } from './Placeholder';
import { EventLogPanel } from './eventlog/EventLogPanel';
import { SpaceTimePanel } from './spacetime/SpaceTimePanel';
import { SafetyPanel } from './safety/SafetyPanel';
import { Timeline } from '../timeline/Timeline';

export interface PanelDef {
  /** Stable id (kebab-case); also the tab's test id suffix: `tab-<id>`. */
  id: string;
  /** Tab label. */
  title: string;
  /** One-line description shown as the tab's tooltip. */
  hint: string;
  slot: 'side' | 'bottom';
  component: ComponentType;
}

function placeholder(what: string): ComponentType {
  const C = () => createElement(Placeholder, { what });
  C.displayName = `Placeholder(${what})`;
  return C;
}

export const panels: PanelDef[] = [
  {
    id: 'node',
    title: 'Node',
    hint: 'The selected node: role, term, log strip, commit and applied indices, progress of its followers',
    slot: 'side',
    component: placeholder('The node panel: log strip, indices and follower progress of the selected node.'),
  },
  {
    id: 'ready',
    title: 'Ready',
    hint: "What the selected node's last Ready carried, stage by stage",
    slot: 'side',
    component: placeholder('The Ready inspector: HardState, entries, committed entries and messages of the last Ready.'),
  },
  {
    id: 'message',
    title: 'Message',
    hint: 'The selected message in flight: every field, deliver, drop or duplicate it',
    slot: 'side',
    component: placeholder('The message inspector: every field of the selected message.'),
  },
  {
    id: 'client',
    title: 'Client',
    hint: 'Put and get keys, and the history of client operations',
    slot: 'side',
    component: placeholder('The client panel: put and get keys, and the operation history.'),
  },
  {
    id: 'events',
    title: 'Events',
    hint: "etcd's raft log lines, filterable by node and level, newest last",
    slot: 'side',
    component: EventLogPanel,
  },
  {
    id: 'spacetime',
    title: 'Space-time',
    hint: 'Messages between nodes over virtual time',
    slot: 'side',
    component: SpaceTimePanel,
  },
  {
    id: 'safety',
    title: 'Safety',
    hint: "Raft's safety properties checked live, and the client history with its linearization",
    slot: 'side',
    component: SafetyPanel,
  },
  {
    id: 'timeline',
    title: 'Timeline',
    hint: 'Every action of the run; seek to or fork from any step',
    slot: 'bottom',
    component: Timeline,
  },
];

/** Side panels, in tab order. */
export const sidePanels = (): PanelDef[] => panels.filter((p) => p.slot === 'side');
/** The bottom (timeline) panel, if any. */
export const bottomPanel = (): PanelDef | undefined => panels.find((p) => p.slot === 'bottom');

// The panel registry: the app shell mounts every panel listed here. Side panels appear
// as tabs in the right-hand area (in this order); the bottom panel fills the timeline
// slot under the cluster view. Panels read the store (../store) and call the
// controller; they receive no props.
//
// Ids are stable: keyboard shortcuts and the saved tab refer to them.

import type { ComponentType } from 'react';
import { EventLogPanel } from './eventlog/EventLogPanel';
import { SpaceTimePanel } from './spacetime/SpaceTimePanel';
import { SafetyPanel } from './safety/SafetyPanel';
import { Timeline } from '../timeline/Timeline';
import { NodePanel } from './node/NodePanel';
import { ReadyPanel } from './ready/ReadyPanel';
import { MessagesPanel } from './messages/MessagesPanel';
import { ClientPanel } from './client/ClientPanel';
import { LogsPanel } from './logs/LogsPanel';
import { NarrationPanel } from './narration/NarrationPanel';
import { ScriptPanel } from '../scripts/ScriptPanel';

export interface PanelDef {
  /** Stable id (kebab-case); also the tab's test id suffix: `tab-<id>`. */
  id: string;
  /** Tab label. */
  title: string;
  /** One-line description shown as the tab's tooltip. */
  hint: string;
  slot: 'side' | 'bottom';
  component: ComponentType;
  /** The panel can widen the side area (its "Wide" toggle; App applies it while the panel is shown). */
  widens?: boolean;
  /**
   * 'script': shown only while an etcd script is open; 'cluster': about the cluster
   * alone, so its tab is disabled (the hint says why) while a script is open.
   */
  only?: 'script' | 'cluster';
}

/** The disabled tab's tooltip in script mode. */
export { notInHarness as clusterOnlyHint } from '../scripts/mode';

export const panels: PanelDef[] = [
  {
    id: 'script',
    title: 'Script',
    hint: "The etcd script's current command: etcd's expected output beside Raftlab's, line by line",
    slot: 'side',
    component: ScriptPanel,
    only: 'script',
  },
  {
    id: 'node',
    title: 'Node',
    hint: 'The selected node: role, term, log strip, commit and applied indices, progress of its followers',
    slot: 'side',
    component: NodePanel,
  },
  {
    id: 'narration',
    title: 'Narration',
    hint: 'What happens, in plain words, event by event; click a line to go to its step',
    slot: 'side',
    component: NarrationPanel,
    widens: true,
    only: 'cluster',
  },
  {
    id: 'logs',
    title: 'Logs',
    hint: "Every node's log side by side: terms, committed and applied entries, the leader's match and next, conflicting entries",
    slot: 'side',
    component: LogsPanel,
    widens: true,
    only: 'cluster',
  },
  {
    id: 'ready',
    title: 'Ready',
    hint: "The selected node's recent Readies, field by field; run them stage by stage in manual mode",
    slot: 'side',
    component: ReadyPanel,
  },
  {
    id: 'message',
    title: 'Message',
    hint: 'Messages on the wire, per link: every field; deliver, drop, duplicate or hold each one',
    slot: 'side',
    component: MessagesPanel,
  },
  {
    id: 'client',
    title: 'Client',
    hint: 'Put and get keys, and the history of client operations',
    slot: 'side',
    component: ClientPanel,
    only: 'cluster',
  },
  {
    id: 'events',
    title: "etcd's words",
    hint: "etcd's raft log lines (the narration's source in etcd's own words), filterable by node and level, newest last",
    slot: 'side',
    component: EventLogPanel,
  },
  {
    id: 'spacetime',
    title: 'Space-time',
    hint: 'Messages between nodes over virtual time',
    slot: 'side',
    component: SpaceTimePanel,
    only: 'cluster',
  },
  {
    id: 'safety',
    title: 'Safety',
    hint: "Raft's safety properties checked live, and the client history with its linearization",
    slot: 'side',
    component: SafetyPanel,
    only: 'cluster',
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

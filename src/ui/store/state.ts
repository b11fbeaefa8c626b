// The shape of Raftlab's one UI store, slice by slice, and its initial values.
//
// The store is fed only by the cluster's observations (cluster slice) and by the user
// (playback, selection, settings, ui). It never holds the Cluster itself: the
// controller owns that, and turns user intents into Cluster calls.

import type { Envelope, LinkState } from '../../cluster/bus';
import type { ClientOp } from '../../cluster/client';
import type { ClusterObservation, DiskSummary } from '../../cluster/cluster';
import type { CycleRecord, LogLine, NodeObservation } from '../../cluster/protocol';
import type { RecordedAction } from '../../cluster/recorder';
import type { NodeStatus, SchedulerMode } from '../../cluster/scheduler';

/** etcd's state names, as printed (StateFollower, StateCandidate, StateLeader, StatePreCandidate). */
export type StateName = 'StateFollower' | 'StateCandidate' | 'StateLeader' | 'StatePreCandidate';

/**
 * One node as the views draw it: the cluster's record of the node flattened with its
 * host observation. For a node that is not running (crashed or removed), the raft
 * fields come from its disk (term, vote, commit) and the volatile ones are 0.
 * Objects are reused from one observation to the next when nothing in them changed,
 * so a memo'd component keyed by id re-renders only when its own node changed.
 */
export interface NodeView {
  id: number;
  status: NodeStatus;
  /** status === 'alive' (running, possibly paused). */
  alive: boolean;
  paused: boolean;
  incarnation: number;
  /** Why the node is crashed, when its code threw (a raft panic, or its worker died). */
  panic: string | undefined;
  /** Undefined while the node is not running. */
  state: StateName | undefined;
  term: number;
  vote: number;
  lead: number;
  commit: number;
  applied: number;
  firstIndex: number;
  lastIndex: number;
  persistedLastIndex: number;
  /** Learner in its own latest configuration (or in the leader's, for a crashed node). */
  isLearner: boolean;
  electionElapsed: number;
  randomizedElectionTimeout: number;
  heartbeatElapsed: number;
  leadTransferee: number;
  hasReady: boolean;
  /** Manual mode: Ready stages still to run in the current cycle. */
  pendingStages: readonly string[];
  observation: NodeObservation | undefined;
  disk: DiskSummary;
  lastCycle: CycleRecord | undefined;
}

export type RuntimeKind = 'worker' | 'in-process';
export type ClusterStatus = 'booting' | 'ready' | 'error';

export interface ClusterSlice {
  status: ClusterStatus;
  /** Where the nodes run ('worker' unless workers failed and the controller fell back). */
  runtime: RuntimeKind | undefined;
  /** The latest observation as received (undefined before the first). */
  observation: ClusterObservation | undefined;
  /** Node ids, ascending. The array is replaced only when the set of ids changes. */
  nodeIds: readonly number[];
  nodesById: ReadonlyMap<number, NodeView>;
  /** The running leader at the highest term (0: none). */
  leader: number;
  /** Highest term any node holds. */
  maxTerm: number;
  /** Messages in flight, ascending by id. */
  inFlight: readonly Envelope[];
  inFlightById: ReadonlyMap<number, Envelope>;
  /** Ids of messages in flight; replaced only when the set changes. */
  inFlightIds: readonly number[];
  links: readonly LinkState[];
  /** Directed links that are down, as "from>to" keys. */
  downLinks: ReadonlySet<string>;
  history: readonly ClientOp[];
  logLines: readonly LogLine[];
  /** Cluster virtual time (ticks) at the latest observation. */
  time: number;
  /** Recorder cursor: actions applied to the current state. */
  step: number;
  /** The recorded actions (the whole branch; step <= actions.length after a seek back). */
  actions: readonly RecordedAction[];
  /** Number of forks made so far (abandoned branches kept by the recorder). */
  branches: number;
}

/**
 * How time moves. play: the controller advances virtual time by speed x elapsed wall
 * time while `playing`; step: each "step" runs one scheduler event; manual: nothing
 * moves by itself, the user ticks nodes, delivers messages and runs Ready stages.
 */
export interface PlaybackSlice {
  mode: SchedulerMode;
  playing: boolean;
  /** Virtual ticks per wall-clock second (0.05 .. 50). */
  speed: number;
  /**
   * The display clock (ticks): >= cluster time, advanced every animation frame while
   * playing; messages in flight are drawn at their position for this time. Changes
   * every frame — read it through subscribe + a ref, not a React selector.
   */
  virtualTime: number;
  /** Number of controller actions under way (for a busy indicator). */
  pending: number;
}

export interface SelectionSlice {
  /** Selected node id, or 0. */
  selectedNode: number;
  /** Selected message (envelope id), or 0. */
  selectedMessage: number;
  /** Selected recorder step (an action index in the timeline), or -1. */
  selectedStep: number;
  /** Node under the pointer somewhere (highlighted in every view), or 0. */
  hoveredNode: number;
  /** Nodes and messages (envelope ids) a hovered narration line or answer names: highlighted in the cluster view. */
  highlight: Highlight;
}

export interface Highlight {
  nodes: readonly number[];
  messages: readonly number[];
}

/** Nothing highlighted (one shared object, so selectors comparing identity skip work). */
export const noHighlight: Highlight = { nodes: [], messages: [] };

export type ReadOnlyName = 'ReadOnlySafe' | 'ReadOnlyLeaseBased';

/** What "reset cluster" builds. All applied together by controller.reset(). */
export interface ClusterSettings {
  /** Initial voters, 1..9. */
  nodes: number;
  seed: number;
  electionTick: number;
  heartbeatTick: number;
  preVote: boolean;
  checkQuorum: boolean;
  readOnly: ReadOnlyName;
  /** Bytes per MsgApp (Infinity = no limit). */
  maxSizePerMsg: number;
  maxInflightMsgs: number;
  snapCount: number;
  /** Network: base latency and uniform jitter (ticks), loss and duplication probabilities. */
  latency: number;
  jitter: number;
  loss: number;
  duplication: number;
}

export type Theme = 'light' | 'dark';

export interface AppearanceSettings {
  theme: Theme;
  /** Large fonts and strokes for a classroom projector. */
  projector: boolean;
}

export interface SettingsSlice {
  settings: ClusterSettings;
  appearance: AppearanceSettings;
}

export type NoticeKind = 'error' | 'warning' | 'info';

export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
  /** Sticky notices stay until dismissed; others fade after a few seconds. */
  sticky: boolean;
}

export interface UiSlice {
  notices: readonly Notice[];
  /** Id of the panel shown in the side area (see panels/index.ts). */
  activePanel: string;
  helpOpen: boolean;
  settingsOpen: boolean;
  partitionOpen: boolean;
  /** Node whose context menu is open (0: none). */
  nodeMenu: number;
  /** The side area is widened (for the panels that need width: the log matrix, the narration). */
  sideWide: boolean;
  /** The log matrix is docked in the bottom slot, above the timeline (so it shows beside any side panel). */
  logsDocked: boolean;
}

/**
 * The lesson player (ui/lessons/session.ts drives it). A lesson step is shown in one of
 * three phases: 'ask' (its question waits; its setup has not run), 'shown' (it ran) or
 * 'busy' (the session is moving the cluster); 'error' when a step could not run.
 */
export interface LessonSlice {
  /** The lesson being played ('' when none). */
  id: string;
  /** 1-based step shown (0 while the lesson starts). */
  step: number;
  phase: 'busy' | 'ask' | 'shown' | 'error';
  /** The answer chosen at this step's ask (1-based); 0 none yet; -1 revealed without one. */
  chosen: number;
  /** The recorder step the lesson's path is at for this step (the student has taken over when the run is elsewhere). */
  cursor: number;
  /** Why the step could not run (phase 'error'). */
  error: string;
  /** The lesson index dialog is open. */
  indexOpen: boolean;
}

/** One command of the open etcd script, as the Script panel shows it. */
export interface ScriptCommandView {
  /** "file:line" of its directive, or "your command". */
  pos: string;
  directive: string;
  /** Input lines under the directive (conf-change operations); "" when none. */
  input: string;
  /** etcd's expected output; undefined for a command typed at a fork. */
  expected: string | undefined;
  actual: string;
  /** actual === expected; undefined for a typed command. */
  match: boolean | undefined;
}

/** A tail of the script cut off by a fork (kept so it can be restored). */
export interface ScriptBranchView {
  at: number;
  count: number;
  first: string;
}

/**
 * Script mode (ui/scripts): an etcd interaction script is open. While `active`, the
 * cluster slice shows the script's harness and the Cluster waits, untouched, to be
 * shown again when the script is closed.
 */
export interface ScriptSlice {
  active: boolean;
  name: string;
  commands: readonly ScriptCommandView[];
  /** Commands applied (0 = before the first). */
  step: number;
  branches: readonly ScriptBranchView[];
}

export interface RaftlabState {
  cluster: ClusterSlice;
  playback: PlaybackSlice;
  selection: SelectionSlice;
  settings: SettingsSlice;
  ui: UiSlice;
  lesson: LessonSlice;
  script: ScriptSlice;
}

export const defaultClusterSettings: ClusterSettings = {
  nodes: 5,
  seed: 1,
  electionTick: 10,
  heartbeatTick: 1,
  preVote: true,
  checkQuorum: true,
  readOnly: 'ReadOnlySafe',
  maxSizePerMsg: 1024 * 1024,
  maxInflightMsgs: 256,
  snapCount: 10000,
  latency: 0.5,
  jitter: 0.5,
  loss: 0,
  duplication: 0,
};

export const defaultSpeed = 2;
export const minSpeed = 0.05;
export const maxSpeed = 50;

export function initialState(): RaftlabState {
  return {
    cluster: {
      status: 'booting',
      runtime: undefined,
      observation: undefined,
      nodeIds: [],
      nodesById: new Map(),
      leader: 0,
      maxTerm: 0,
      inFlight: [],
      inFlightById: new Map(),
      inFlightIds: [],
      links: [],
      downLinks: new Set(),
      history: [],
      logLines: [],
      time: 0,
      step: 0,
      actions: [],
      branches: 0,
    },
    playback: { mode: 'play', playing: false, speed: defaultSpeed, virtualTime: 0, pending: 0 },
    selection: { selectedNode: 0, selectedMessage: 0, selectedStep: -1, hoveredNode: 0, highlight: noHighlight },
    settings: {
      settings: { ...defaultClusterSettings },
      appearance: { theme: 'light', projector: false },
    },
    ui: {
      notices: [],
      activePanel: 'node',
      helpOpen: false,
      settingsOpen: false,
      partitionOpen: false,
      nodeMenu: 0,
      sideWide: false,
      logsDocked: false,
    },
    lesson: { id: '', step: 0, phase: 'busy', chosen: 0, cursor: -1, error: '', indexOpen: false },
    script: { active: false, name: '', commands: [], step: 0, branches: [] },
  };
}

// Narrow selectors, defined once at module level so their identity is stable.
// Selectors returning a per-id value (selectNode(id)) are memoized per id.

import type { Envelope } from '../../cluster/bus';
import type { NodeView, RaftlabState } from './state';

// ---- cluster ----
export const selectClusterStatus = (s: RaftlabState) => s.cluster.status;
export const selectRuntime = (s: RaftlabState) => s.cluster.runtime;
export const selectObservation = (s: RaftlabState) => s.cluster.observation;
export const selectNodeIds = (s: RaftlabState) => s.cluster.nodeIds;
export const selectNodesById = (s: RaftlabState) => s.cluster.nodesById;
export const selectLeader = (s: RaftlabState) => s.cluster.leader;
export const selectMaxTerm = (s: RaftlabState) => s.cluster.maxTerm;
export const selectInFlight = (s: RaftlabState) => s.cluster.inFlight;
export const selectInFlightIds = (s: RaftlabState) => s.cluster.inFlightIds;
export const selectInFlightById = (s: RaftlabState) => s.cluster.inFlightById;
export const selectLinks = (s: RaftlabState) => s.cluster.links;
export const selectDownLinks = (s: RaftlabState) => s.cluster.downLinks;
export const selectHistory = (s: RaftlabState) => s.cluster.history;
export const selectLogLines = (s: RaftlabState) => s.cluster.logLines;
export const selectClusterTime = (s: RaftlabState) => s.cluster.time;
export const selectStep = (s: RaftlabState) => s.cluster.step;
export const selectActions = (s: RaftlabState) => s.cluster.actions;
export const selectBranches = (s: RaftlabState) => s.cluster.branches;
export const selectCounters = (s: RaftlabState) => s.cluster.observation?.counters;
export const selectUpcoming = (s: RaftlabState) => s.cluster.observation?.upcoming;
export const selectLastCycles = (s: RaftlabState) => s.cluster.observation?.lastCycles;
export const selectTraceHash = (s: RaftlabState) => s.cluster.observation?.traceHash;

const nodeSelectors = new Map<number, (s: RaftlabState) => NodeView | undefined>();
/** The view of node `id` (undefined if there is no such node). Memoized per id. */
export function selectNode(id: number): (s: RaftlabState) => NodeView | undefined {
  let f = nodeSelectors.get(id);
  if (f === undefined) {
    f = (s) => s.cluster.nodesById.get(id);
    nodeSelectors.set(id, f);
  }
  return f;
}

const messageSelectors = new Map<number, (s: RaftlabState) => Envelope | undefined>();
/** The envelope in flight with this id (undefined once delivered or dropped). Memoized per id. */
export function selectMessage(id: number): (s: RaftlabState) => Envelope | undefined {
  let f = messageSelectors.get(id);
  if (f === undefined) {
    f = (s) => s.cluster.inFlightById.get(id);
    messageSelectors.set(id, f);
  }
  return f;
}

// ---- playback ----
export const selectMode = (s: RaftlabState) => s.playback.mode;
export const selectPlaying = (s: RaftlabState) => s.playback.playing;
export const selectSpeed = (s: RaftlabState) => s.playback.speed;
/** Changes every frame while playing: subscribe (useRaftSubscription), don't select in render. */
export const selectVirtualTime = (s: RaftlabState) => s.playback.virtualTime;
export const selectPending = (s: RaftlabState) => s.playback.pending;
export const selectBusy = (s: RaftlabState) => s.playback.pending > 0;

// ---- selection ----
export const selectSelectedNode = (s: RaftlabState) => s.selection.selectedNode;
export const selectSelectedMessage = (s: RaftlabState) => s.selection.selectedMessage;
export const selectSelectedStep = (s: RaftlabState) => s.selection.selectedStep;
export const selectHoveredNode = (s: RaftlabState) => s.selection.hoveredNode;
export const selectHighlight = (s: RaftlabState) => s.selection.highlight;

const litSelectors = new Map<number, (s: RaftlabState) => boolean>();
/** Whether node `id` is hovered or highlighted (by a narration line). Memoized per id. */
export function selectNodeLit(id: number): (s: RaftlabState) => boolean {
  let f = litSelectors.get(id);
  if (f === undefined) {
    f = (s) => s.selection.hoveredNode === id || s.selection.highlight.nodes.includes(id);
    litSelectors.set(id, f);
  }
  return f;
}
/** The selected node's view (undefined when none is selected or it is gone). */
export const selectSelectedNodeView = (s: RaftlabState) => s.cluster.nodesById.get(s.selection.selectedNode);
export const selectSelectedEnvelope = (s: RaftlabState) => s.cluster.inFlightById.get(s.selection.selectedMessage);

// ---- settings ----
export const selectSettings = (s: RaftlabState) => s.settings.settings;
export const selectAppearance = (s: RaftlabState) => s.settings.appearance;
export const selectTheme = (s: RaftlabState) => s.settings.appearance.theme;
export const selectProjector = (s: RaftlabState) => s.settings.appearance.projector;

// ---- ui ----
export const selectNotices = (s: RaftlabState) => s.ui.notices;
export const selectActivePanel = (s: RaftlabState) => s.ui.activePanel;
export const selectHelpOpen = (s: RaftlabState) => s.ui.helpOpen;
export const selectSettingsOpen = (s: RaftlabState) => s.ui.settingsOpen;
export const selectPartitionOpen = (s: RaftlabState) => s.ui.partitionOpen;
export const selectNodeMenu = (s: RaftlabState) => s.ui.nodeMenu;
export const selectSideWide = (s: RaftlabState) => s.ui.sideWide;
export const selectLogsDocked = (s: RaftlabState) => s.ui.logsDocked;

// ---- lesson ----
export const selectLesson = (s: RaftlabState) => s.lesson;
export const selectLessonId = (s: RaftlabState) => s.lesson.id;
export const selectLessonIndexOpen = (s: RaftlabState) => s.lesson.indexOpen;

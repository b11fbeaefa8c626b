// Store mutations, at module level: callable from components, the controller and
// tests alike. They change only the store; anything that must reach the cluster goes
// through controller.ts (which calls these to reflect results).

import type { ClusterObservation } from '../../cluster/cluster';
import type { RecordedAction } from '../../cluster/recorder';
import type { SchedulerMode } from '../../cluster/scheduler';
import { deriveClusterView } from './derive';
import {
  maxSpeed,
  minSpeed,
  type AppearanceSettings,
  type ClusterSettings,
  noHighlight,
  type ClusterStatus,
  type Highlight,
  type NoticeKind,
  type RuntimeKind,
} from './state';
import { getState, patchSlice, raftStore } from './store';

// ---- cluster ----

/** Feeds one observation (and the recorder's action list) into the cluster slice. */
export function applyObservation(o: ClusterObservation, actions: readonly RecordedAction[] = [], branches = 0): void {
  const s = getState();
  const view = deriveClusterView(s.cluster, o, actions, branches);
  const vt = Math.max(o.time, s.playback.virtualTime);
  raftStore.setState({
    cluster: { ...s.cluster, ...view },
    // The display clock never runs behind the cluster; a seek back resets it.
    playback: { ...s.playback, mode: o.mode, virtualTime: o.time < s.cluster.time ? o.time : vt },
    selection: pruneSelection(s.selection, view),
  });
}

function pruneSelection(
  sel: ReturnType<typeof getState>['selection'],
  view: ReturnType<typeof deriveClusterView>,
): ReturnType<typeof getState>['selection'] {
  const nodeGone = sel.selectedNode !== 0 && view.nodesById !== undefined && !view.nodesById.has(sel.selectedNode);
  const msgGone =
    sel.selectedMessage !== 0 && view.inFlightById !== undefined && !view.inFlightById.has(sel.selectedMessage);
  if (!nodeGone && !msgGone) return sel;
  return {
    ...sel,
    selectedNode: nodeGone ? 0 : sel.selectedNode,
    // A delivered message stays "selected" for the inspector only while in flight.
    selectedMessage: msgGone ? 0 : sel.selectedMessage,
  };
}

export function setClusterStatus(status: ClusterStatus, runtime?: RuntimeKind): void {
  patchSlice('cluster', runtime === undefined ? { status } : { status, runtime });
}

// ---- playback ----

export function setMode(mode: SchedulerMode): void {
  patchSlice('playback', { mode, playing: mode === 'play' ? getState().playback.playing : false });
}
export function setPlaying(playing: boolean): void {
  patchSlice('playback', { playing });
}
export function setSpeed(speed: number): void {
  patchSlice('playback', { speed: Math.min(maxSpeed, Math.max(minSpeed, speed)) });
}
export function setVirtualTime(virtualTime: number): void {
  patchSlice('playback', { virtualTime });
}
export function addPending(delta: number): void {
  patchSlice('playback', { pending: Math.max(0, getState().playback.pending + delta) });
}

// ---- selection ("select in one view, highlighted in all") ----

/** Selects a node (0 clears). Selecting the selected node again clears it when toggle is set. */
export function selectNodeId(id: number, toggle = false): void {
  const cur = getState().selection.selectedNode;
  patchSlice('selection', { selectedNode: toggle && cur === id ? 0 : id });
}
export function selectMessageId(id: number): void {
  patchSlice('selection', { selectedMessage: id });
}
export function selectStepIndex(step: number): void {
  patchSlice('selection', { selectedStep: step });
}
export function hoverNode(id: number): void {
  if (getState().selection.hoveredNode !== id) patchSlice('selection', { hoveredNode: id });
}
/** Highlights nodes and messages (a hovered narration line); noHighlight clears. */
export function setHighlight(highlight: Highlight): void {
  const cur = getState().selection.highlight;
  if (cur === highlight || (cur.nodes.length === 0 && cur.messages.length === 0 && highlight === noHighlight)) return;
  patchSlice('selection', { highlight });
}
export function clearSelection(): void {
  patchSlice('selection', { selectedNode: 0, selectedMessage: 0, selectedStep: -1 });
}

// ---- settings ----

/** Updates the pending cluster settings (applied by controller.reset()). Values are clamped to sane ranges. */
export function updateSettings(partial: Partial<ClusterSettings>): void {
  const next = { ...getState().settings.settings, ...partial };
  next.nodes = clampInt(next.nodes, 1, 9);
  next.electionTick = clampInt(next.electionTick, 2, 1000);
  next.heartbeatTick = clampInt(next.heartbeatTick, 1, next.electionTick - 1);
  next.maxInflightMsgs = clampInt(next.maxInflightMsgs, 1, 1 << 20);
  next.snapCount = clampInt(next.snapCount, 1, 1e9);
  next.seed = Number.isFinite(next.seed) ? Math.trunc(next.seed) >>> 0 : 1;
  next.latency = clamp(next.latency, 0.001, 1000);
  next.jitter = clamp(next.jitter, 0, 1000);
  next.loss = clamp(next.loss, 0, 1);
  next.duplication = clamp(next.duplication, 0, 1);
  if (!(next.maxSizePerMsg > 0)) next.maxSizePerMsg = 1;
  patchSlice('settings', { settings: next });
}

export function setAppearance(partial: Partial<AppearanceSettings>): void {
  const appearance = { ...getState().settings.appearance, ...partial };
  patchSlice('settings', { appearance });
  try {
    localStorage.setItem('raftlab.appearance', JSON.stringify(appearance));
  } catch {
    /* storage unavailable (tests, private mode): appearance just isn't remembered */
  }
}

/** Restores theme/projector remembered from an earlier visit (browser only). */
export function loadAppearance(): void {
  try {
    const raw = localStorage.getItem('raftlab.appearance');
    if (raw === null) return;
    const a = JSON.parse(raw) as Partial<AppearanceSettings>;
    const cur = getState().settings.appearance;
    patchSlice('settings', {
      appearance: {
        theme: a.theme === 'dark' || a.theme === 'light' ? a.theme : cur.theme,
        projector: typeof a.projector === 'boolean' ? a.projector : cur.projector,
      },
    });
  } catch {
    /* ignore */
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo;
}
function clampInt(v: number, lo: number, hi: number): number {
  return Math.round(clamp(v, lo, Math.max(lo, hi)));
}

// ---- ui ----

let nextNoticeId = 1;
const noticeTimers = new Map<number, ReturnType<typeof setTimeout>>();

/** Shows a notice; non-sticky ones disappear after `ttlMs`. Returns its id. */
export function pushNotice(kind: NoticeKind, text: string, opts: { sticky?: boolean; ttlMs?: number } = {}): number {
  const id = nextNoticeId++;
  const sticky = opts.sticky ?? kind === 'error';
  const notices = [...getState().ui.notices, { id, kind, text, sticky }].slice(-6);
  patchSlice('ui', { notices });
  if (!sticky && typeof setTimeout === 'function') {
    noticeTimers.set(
      id,
      setTimeout(() => dismissNotice(id), opts.ttlMs ?? 5000),
    );
  }
  return id;
}
export function dismissNotice(id: number): void {
  const t = noticeTimers.get(id);
  if (t !== undefined) clearTimeout(t);
  noticeTimers.delete(id);
  patchSlice('ui', { notices: getState().ui.notices.filter((n) => n.id !== id) });
}
export function setActivePanel(activePanel: string): void {
  patchSlice('ui', { activePanel });
}
export function setHelpOpen(helpOpen: boolean): void {
  patchSlice('ui', { helpOpen });
}
export function setSettingsOpen(settingsOpen: boolean): void {
  patchSlice('ui', { settingsOpen });
}
export function setPartitionOpen(partitionOpen: boolean): void {
  patchSlice('ui', { partitionOpen });
}
export function openNodeMenu(id: number): void {
  patchSlice('ui', { nodeMenu: id });
}
// ---- lesson ----

export function patchLesson(partial: Partial<ReturnType<typeof getState>['lesson']>): void {
  patchSlice('lesson', partial);
}
export function setLessonIndexOpen(indexOpen: boolean): void {
  patchSlice('lesson', { indexOpen });
}

export function closeNodeMenu(): void {
  if (getState().ui.nodeMenu !== 0) patchSlice('ui', { nodeMenu: 0 });
}
export function setSideWide(sideWide: boolean): void {
  patchSlice('ui', { sideWide });
}
export function setLogsDocked(logsDocked: boolean): void {
  patchSlice('ui', { logsDocked });
}

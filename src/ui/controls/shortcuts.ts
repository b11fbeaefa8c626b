// Keyboard shortcuts: one table drives both the handler and the help overlay.

import { useEffect } from 'react';
import {
  clearSelection,
  closeNodeMenu,
  controller,
  getState,
  selectNodeId,
  setAppearance,
  setHelpOpen,
  setPartitionOpen,
  setSettingsOpen,
} from '../store';
import { moveToNextGroup } from '../cluster/partitionLayout';
import { lessonSession } from '../lessons/session';
import { isScriptKey, scriptKey } from '../scripts/ScriptStepper';

export interface Shortcut {
  keys: string;
  what: string;
  match: (e: KeyboardEvent) => boolean;
  run: (e: KeyboardEvent) => void;
}

const selected = () => getState().selection.selectedNode;
const withSelected = (f: (id: number) => void) => () => {
  const id = selected();
  if (id !== 0) f(id);
};
const key = (k: string) => (e: KeyboardEvent) => e.key === k;

/** The node that has the keyboard focus in the cluster view, else the selected node (0: none). */
function focusedOrSelected(): number {
  const el = typeof document === 'undefined' ? null : document.activeElement;
  const id = Number(el?.closest('[data-testid^="node-"][data-state]')?.getAttribute('data-testid')?.slice(5));
  return Number.isInteger(id) && id > 0 ? id : selected();
}

/**
 * Presenter keys (a clicker sends PageDown/PageUp or the arrows) move a lesson, unless
 * something focused used the key already (the timeline slider) or takes arrows itself.
 */
const lessonKey =
  (...keys: string[]) =>
  (e: KeyboardEvent): boolean =>
    keys.includes(e.key) &&
    !e.defaultPrevented &&
    lessonSession.active &&
    !getState().script.active &&
    !(e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) &&
    !(e.target instanceof Element && e.target.closest('[role="slider"]') !== null);

function toggleFullscreen(): void {
  if (typeof document === 'undefined') return;
  const done = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen();
  done?.catch(() => undefined);
}

export const shortcuts: Shortcut[] = [
  {
    keys: 'PageDown / →',
    what: 'Lesson: next step, or reveal the answer (clicker-friendly)',
    match: lessonKey('PageDown', 'ArrowRight'),
    run: () => void lessonSession.next(),
  },
  {
    keys: 'PageUp / ←',
    what: 'Lesson: previous step',
    match: lessonKey('PageUp', 'ArrowLeft'),
    run: () => void lessonSession.back(),
  },
  { keys: 'f', what: 'Full screen (again: leave it)', match: key('f'), run: toggleFullscreen },
  { keys: 'Space', what: 'Play / pause', match: key(' '), run: () => controller.togglePlay() },
  { keys: '.', what: 'Step one event', match: key('.'), run: () => void controller.step() },
  {
    keys: 'm',
    what: 'Manual mode (again: back to Run mode)',
    match: key('m'),
    run: () => void controller.setMode(getState().playback.mode === 'manual' ? 'play' : 'manual'),
  },
  { keys: 's', what: 'Step mode', match: key('s'), run: () => void controller.setMode('step') },
  {
    keys: '+ / -',
    what: 'Faster / slower',
    match: (e) => e.key === '+' || e.key === '=' || e.key === '-',
    run: (e) => controller.setSpeed(getState().playback.speed * (e.key === '-' ? 0.5 : 2)),
  },
  {
    keys: '1 … 9',
    what: 'Select node 1 … 9 (again: unselect)',
    match: (e) => /^[1-9]$/.test(e.key),
    run: (e) => selectNodeId(Number(e.key), true),
  },
  { keys: 'c', what: 'Crash the selected node', match: key('c'), run: withSelected((id) => void controller.crash(id)) },
  {
    keys: 'r',
    what: 'Restart the selected node',
    match: key('r'),
    run: withSelected((id) => void controller.restart(id)),
  },
  {
    keys: 'x',
    what: 'Pause / resume the selected node',
    match: key('x'),
    run: withSelected((id) => void controller.togglePauseNode(id)),
  },
  {
    keys: 'e',
    what: 'Make the selected node campaign',
    match: key('e'),
    run: withSelected((id) => void controller.campaign(id)),
  },
  {
    keys: 't',
    what: 'Tick the selected node once',
    match: key('t'),
    run: withSelected((id) => void controller.tick(id)),
  },
  {
    keys: 'g',
    what: 'Run the selected node’s next Ready stage (manual mode)',
    match: key('g'),
    run: withSelected((id) => void controller.runStage(id)),
  },
  {
    keys: 'n / N',
    what: 'Move the focused or selected node to the next / previous partition group (after the last: a group of its own; back with the others: healed). Dragging a node does the same.',
    match: (e) => e.key === 'n' || e.key === 'N',
    run: (e) => {
      const id = focusedOrSelected();
      if (id !== 0) void moveToNextGroup(id, e.key === 'N' ? -1 : 1);
    },
  },
  {
    keys: 'h',
    what: 'Heal all links (the nodes go back to the ring)',
    match: key('h'),
    run: () => void controller.heal(),
  },
  { keys: 'a', what: 'Add a node', match: key('a'), run: () => void controller.addNode() },
  {
    keys: 'd',
    what: 'Dark / light theme',
    match: key('d'),
    run: () => setAppearance({ theme: getState().settings.appearance.theme === 'dark' ? 'light' : 'dark' }),
  },
  {
    keys: 'p',
    what: 'Projector mode',
    match: key('p'),
    run: () => setAppearance({ projector: !getState().settings.appearance.projector }),
  },
  {
    keys: '← / →, Home / End',
    what: 'With an etcd script open: previous / next command, the start / the end',
    match: isScriptKey,
    run: scriptKey,
  },
  { keys: '?', what: 'This help', match: key('?'), run: () => setHelpOpen(!getState().ui.helpOpen) },
  {
    keys: 'Esc',
    what: 'Close menus and dialogs, clear the selection',
    match: key('Escape'),
    run: () => {
      const u = getState().ui;
      if (u.helpOpen) setHelpOpen(false);
      else if (u.settingsOpen) setSettingsOpen(false);
      else if (u.partitionOpen) setPartitionOpen(false);
      else if (u.nodeMenu !== 0) closeNodeMenu();
      else clearSelection();
    },
  },
];

function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  const tag = t.tagName;
  // Sliders, checkboxes and radios take no characters: shortcuts still work on them.
  if (t instanceof HTMLInputElement) return !['range', 'checkbox', 'radio', 'button'].includes(t.type);
  return tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}

/** Installs the shortcuts on the window for the lifetime of the calling component. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (isTyping(e.target)) return;
      const u = getState().ui;
      // While a dialog is open only Escape and ? act.
      if ((u.settingsOpen || u.partitionOpen || getState().lesson.indexOpen) && e.key !== 'Escape') return;
      // Space on a focused button activates the button, not play/pause.
      if (
        e.key === ' ' &&
        e.target instanceof HTMLElement &&
        (e.target.tagName === 'BUTTON' || e.target.getAttribute('role') === 'button')
      )
        return;
      const s = shortcuts.find((x) => x.match(e));
      if (s === undefined) return;
      e.preventDefault();
      s.run(e);
    };
    // A hidden tab pauses playback, so a class does not come back to minutes of events.
    const onVisibility = () => {
      if (document.hidden && getState().playback.playing) controller.pause();
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);
}

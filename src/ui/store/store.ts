// The one UI store: a vanilla zustand store (no React in here), in five slices —
// cluster (view model of the latest observation), playback, selection, settings, ui.
//
// Read it from React with the hooks in hooks.ts and the module-level selectors in
// selectors.ts; change it only through the functions in actions.ts (callable from
// anything: components, the controller, tests).

import { createStore } from 'zustand/vanilla';
import { initialState, type RaftlabState } from './state';

export const raftStore = createStore<RaftlabState>()(() => initialState());

/** Current state (non-React code). */
export const getState = (): RaftlabState => raftStore.getState();

/** Replaces one slice's fields (shallow merge within the slice). */
export function patchSlice<K extends keyof RaftlabState>(slice: K, partial: Partial<RaftlabState[K]>): void {
  raftStore.setState((s) => ({ [slice]: { ...s[slice], ...partial } }) as Partial<RaftlabState>);
}

/** Back to the initial state (tests). */
export function resetStore(): void {
  raftStore.setState(initialState(), true);
}

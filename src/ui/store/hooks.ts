// The React binding of the store: thin hooks over useSyncExternalStore (through zustand).

import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { raftStore } from './store';
import type { RaftlabState } from './state';

/**
 * Selects one value from the store; the component re-renders when it changes (Object.is).
 * Use the module-level selectors of selectors.ts, e.g.
 *   const leader = useRaft(selectLeader);
 *   const node = useRaft(selectNode(id));   // selectNode memoizes per id
 */
export function useRaft<U>(selector: (s: RaftlabState) => U): U {
  return useStore(raftStore, selector);
}

/**
 * Selects several values as an object or array, re-rendering only when one of them
 * changes (shallow compare), e.g.
 *   const { mode, playing } = useRaftShallow((s) => ({ mode: s.playback.mode, playing: s.playback.playing }));
 */
export function useRaftShallow<U>(selector: (s: RaftlabState) => U): U {
  return useStore(raftStore, useShallow(selector));
}

/**
 * Calls `onChange` whenever the selected value changes, outside React renders (for
 * per-frame animation: write to a ref or the DOM directly). Also called once at mount.
 *   useRaftSubscription(selectVirtualTime, (t) => { ... move SVG elements ... });
 */
export function useRaftSubscription<U>(
  selector: (s: RaftlabState) => U,
  onChange: (value: U, state: RaftlabState) => void,
): void {
  const cb = useRef(onChange);
  cb.current = onChange;
  const sel = useRef(selector);
  sel.current = selector;
  useEffect(() => {
    let last = sel.current(raftStore.getState());
    cb.current(last, raftStore.getState());
    return raftStore.subscribe((s) => {
      const v = sel.current(s);
      if (Object.is(v, last)) return;
      last = v;
      cb.current(v, s);
    });
  }, []);
}

// "Why?" in the UI: which questions src/explain can answer right now (so a button shows
// only where an answer exists), and the answer on screen. The answers themselves, and
// every sentence in them, come from src/explain; this module only asks.
//
// The WhyState (the cluster's kept events, the observation shown, entry terms from the
// disks) is built at most once per observation, and only when a view asks.

import { useMemo, useSyncExternalStore } from 'react';
import { explain, whyStateOf, type WhyAnswer, type WhyQuestion, type WhyState } from '../../../explain';
import type { ClusterObservation } from '../../../cluster/cluster';
import { controller, getState, noHighlight, selectObservation, setHighlight, useRaft } from '../../store';

let cached: { observation: ClusterObservation; state: WhyState } | undefined;

/**
 * The WhyState of what the UI shows now (undefined while the cluster is starting, and
 * while an etcd script is open: the observation is then the harness's, not the cluster's).
 */
export function currentWhyState(): WhyState | undefined {
  const st = getState();
  const o = st.cluster.observation;
  const c = controller.cluster;
  if (o === undefined || c === undefined || st.script.active) return undefined;
  if (cached?.observation !== o) cached = { observation: o, state: whyStateOf(c, o) };
  return cached.state;
}

const none = (): ClusterObservation | undefined => undefined;

/**
 * The questions `ask` finds answerable while `enabled` (a disabled caller subscribes to
 * nothing that changes). `key` names what is asked about. live: asked again on each
 * observation (a node, an entry: their answers come and go); otherwise once per key (a
 * rejected message, a request in a given status: many rows, each asked once).
 */
export function useWhyQuestions(
  ask: (s: WhyState) => WhyQuestion[],
  enabled: boolean,
  key: string,
  live = true,
): readonly WhyQuestion[] {
  const o = useRaft(enabled && live ? selectObservation : none);
  return useMemo(() => {
    if (!enabled) return [];
    const s = currentWhyState();
    return s === undefined ? [] : ask(s);
    // `ask` is a new closure each render: `key` names what it asks about instead.
  }, [o, enabled, key]);
}

// ---- the answer on screen ----

export interface OpenWhy {
  question: WhyQuestion;
  /** What was asked, for the dialog's title ("Why was this vote rejected?"). */
  title: string;
  /** undefined: no answer any more (the run moved on between the button and the click). */
  answer: WhyAnswer | undefined;
}

let open: OpenWhy | undefined;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

/** Asks src/explain and shows its answer (a snapshot: it stays while the run moves on). */
export function askWhy(question: WhyQuestion, title: string): void {
  const s = currentWhyState();
  open = { question, title, answer: s === undefined ? undefined : explain(question, s) };
  setHighlight(open.answer === undefined ? noHighlight : { nodes: open.answer.nodes, messages: open.answer.messages });
  emit();
}

export function closeWhy(): void {
  open = undefined;
  setHighlight(noHighlight);
  emit();
}

export function useOpenWhy(): OpenWhy | undefined {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => open,
  );
}

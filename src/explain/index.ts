// src/explain: narration and "why" answers derived from the Cluster's typed event
// stream (src/cluster/events.ts). Pure and Node-testable; nothing here imports ui/.
// See README.md for the API.

export type { EntryInfo, NarrationLine, WhyAnswer, WhyField, WhyQuestion, WhyReason, WhyState } from './types';
export { createNarrationContext, narrate, narrateAll, type NarrationContext } from './narrate';
export {
  canExplain,
  currentLeader,
  explain,
  questionsForEntry,
  questionsForMessage,
  questionsForNode,
  questionsForOp,
} from './why';
export { observeWhyState, whyStateOf } from './whyState';

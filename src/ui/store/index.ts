// The UI store's public surface: state types, the vanilla store, hooks, selectors,
// store actions and the controller. See README.md for a summary.

export * from './state';
export { raftStore, getState, patchSlice, resetStore } from './store';
export { useRaft, useRaftShallow, useRaftSubscription } from './hooks';
export * from './selectors';
export * from './actions';
export { stateName, linkKey, deriveClusterView } from './derive';
export {
  controller,
  Controller,
  clusterConfigFor,
  type ControllerStartOptions,
  type HarnessIntent,
  type ScriptSeam,
} from './controller';

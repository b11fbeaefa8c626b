// Script mode, for components that change with it: whether a script is open, and the
// tooltip of what script mode disables (actions that mean nothing to etcd's harness).

import { useRaft } from '../store';

export const notInHarness = "Not part of etcd's interaction harness: close the script to use it on the cluster";

export function useScriptActive(): boolean {
  return useRaft((s) => s.script.active);
}

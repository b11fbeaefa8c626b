// forget-leader N: node N forgets its leader (the error, if any, is ignored as etcd does).

import type { TestData } from '../datadriven';
import { firstAsNodeIdx } from './handlerArgs';
import type { InteractionEnv } from './interactionEnv';

export function handleForgetLeader(env: InteractionEnv, td: TestData): void {
  const idx = firstAsNodeIdx(td);
  try {
    env.nodes[idx]!.rawNode.forgetLeader();
  } catch {
    // etcd's harness drops ForgetLeader's error.
  }
}

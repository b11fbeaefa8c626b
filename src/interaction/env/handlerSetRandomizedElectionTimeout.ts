// set-randomized-election-timeout N timeout=T: pins node N's randomized election
// timeout until its next state change redraws it.

import type { RawNode } from '../../raft/rawNode';
import type { TestData } from '../datadriven';
import { firstAsNodeIdx, scanArgUint } from './handlerArgs';
import { HarnessFatal, type InteractionEnv } from './interactionEnv';

/** The default hook: reaches into the state machine as etcd's test-only setter does. */
export function setRandomizedElectionTimeout(rn: RawNode, timeout: number): void {
  rn.raft.setRandomizedElectionTimeout(timeout);
}

export function handleSetRandomizedElectionTimeout(env: InteractionEnv, td: TestData): void {
  const idx = firstAsNodeIdx(td);
  const timeout = scanArgUint(td, 'timeout');
  if (timeout === 0) throw new HarnessFatal(`${td.pos}: timeout must not be zero`);
  const set = env.options.setRandomizedElectionTimeout ?? setRandomizedElectionTimeout;
  set(env.nodes[idx]!.rawNode, timeout);
}

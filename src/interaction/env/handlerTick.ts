// tick-election N / tick-heartbeat N: ticks node N ElectionTick / HeartbeatTick times.

import type { TestData } from '../datadriven';
import { firstAsNodeIdx } from './handlerArgs';
import type { InteractionEnv } from './interactionEnv';

export function handleTickElection(env: InteractionEnv, td: TestData): void {
  const idx = firstAsNodeIdx(td);
  tick(env, idx, env.nodes[idx]!.config.electionTick);
}

export function handleTickHeartbeat(env: InteractionEnv, td: TestData): void {
  const idx = firstAsNodeIdx(td);
  tick(env, idx, env.nodes[idx]!.config.heartbeatTick);
}

export function tick(env: InteractionEnv, idx: number, num: number): void {
  for (let i = 0; i < num; i++) env.nodes[idx]!.rawNode.tick();
}

// campaign N: node N starts an election.

import type { TestData } from '../datadriven';
import { firstAsNodeIdx } from './handlerArgs';
import type { InteractionEnv } from './interactionEnv';

export function handleCampaign(env: InteractionEnv, td: TestData): void {
  env.nodes[firstAsNodeIdx(td)]!.rawNode.campaign();
}

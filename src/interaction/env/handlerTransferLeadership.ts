// transfer-leadership from=A to=B: asks node A to hand leadership to node B.

import type { TestData } from '../datadriven';
import { scanArgUint } from './handlerArgs';
import { HarnessFatal, type InteractionEnv } from './interactionEnv';

export function handleTransferLeadership(env: InteractionEnv, td: TestData): void {
  const from = scanArgUint(td, 'from');
  const to = scanArgUint(td, 'to');
  if (from === 0 || from > env.nodes.length) throw new HarnessFatal(`${td.pos}: expected valid "from" argument`);
  if (to === 0 || to > env.nodes.length) throw new HarnessFatal(`${td.pos}: expected valid "to" argument`);
  env.nodes[from - 1]!.rawNode.transferLeader(to);
}

// propose N DATA: node N proposes DATA's literal bytes.

import type { TestData } from '../datadriven';
import { firstAsNodeIdx } from './handlerArgs';
import { HarnessFatal, type InteractionEnv } from './interactionEnv';

export function handlePropose(env: InteractionEnv, td: TestData): void {
  const idx = firstAsNodeIdx(td);
  const arg = td.cmdArgs[1];
  if (td.cmdArgs.length !== 2 || arg === undefined || arg.vals.length > 0) {
    throw new HarnessFatal(`${td.pos}: expected exactly one key with no vals`);
  }
  env.nodes[idx]!.rawNode.propose(new TextEncoder().encode(arg.key));
}

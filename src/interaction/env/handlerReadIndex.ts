// read-index N CTX: node N asks for a read index; CTX (one bare token) becomes the
// request context, as its literal bytes. Not part of etcd's harness: Raftlab adds it
// so that scripts can exercise ReadIndex. The answer shows up as "ReadStates" in a
// later Ready of node N (printed by process-ready).

import type { TestData } from '../datadriven';
import { firstAsNodeIdx } from './handlerArgs';
import { HarnessFatal, type InteractionEnv } from './interactionEnv';

export function handleReadIndex(env: InteractionEnv, td: TestData): void {
  const idx = firstAsNodeIdx(td);
  const arg = td.cmdArgs[1];
  if (td.cmdArgs.length !== 2 || arg === undefined || arg.vals.length > 0) {
    throw new HarnessFatal(`${td.pos}: expected exactly one key with no vals`);
  }
  const n = env.nodes[idx];
  if (n === undefined) throw new HarnessFatal(`${td.pos}: no node ${idx + 1}`);
  n.rawNode.readIndex(new TextEncoder().encode(arg.key));
}

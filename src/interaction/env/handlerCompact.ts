// compact N I: compacts node N's storage up to index I, then prints its log.

import type { TestData } from '../datadriven';
import { firstAsNodeIdx, scanUint } from './handlerArgs';
import { raftLog } from './handlerRaftLog';
import { HarnessError, type InteractionEnv } from './interactionEnv';

export function handleCompact(env: InteractionEnv, td: TestData): void {
  const idx = firstAsNodeIdx(td);
  const arg = td.cmdArgs[1];
  if (arg === undefined) throw new HarnessError('compact: missing index');
  let newFirstIndex: number;
  try {
    newFirstIndex = scanUint(td, 'index', arg.key);
  } catch {
    throw new HarnessError(`strconv.ParseUint: parsing ${JSON.stringify(arg.key)}: invalid syntax`);
  }
  env.nodes[idx]!.storage.compact(newFirstIndex);
  raftLog(env, idx);
}

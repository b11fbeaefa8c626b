// report-unreachable A B: node A is told that node B is unreachable.

import type { TestData } from '../datadriven';
import { nodeIdxs } from './handlerArgs';
import { HarnessError, type InteractionEnv } from './interactionEnv';

export function handleReportUnreachable(env: InteractionEnv, td: TestData): void {
  const sl = nodeIdxs(td);
  if (sl.length !== 2) {
    throw new HarnessError('must specify exactly two node indexes: node on which to report, and reported node');
  }
  env.nodes[sl[0]!]!.rawNode.reportUnreachable(env.nodes[sl[1]!]!.config.id);
}

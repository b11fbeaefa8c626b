// stabilize [ID...] [log-level=L]: runs the listed nodes (default: all) until
// nothing is left to do. Each round: every node with a Ready handles it, every
// node with queued messages receives them, then the append and the apply threads
// drain their work. The optional log level applies for the duration only.

import type { TestData } from '../datadriven';
import { nodeIdxs } from './handlerArgs';
import { deliverMsgs, splitMsgs } from './handlerDeliverMsgs';
import { logLevel } from './handlerLogLevel';
import { processAppendThread } from './handlerProcessAppendThread';
import { processApplyThread } from './handlerProcessApplyThread';
import { processReady } from './handlerProcessReady';
import type { InteractionEnv, InteractionNode } from './interactionEnv';

export function handleStabilize(env: InteractionEnv, td: TestData): void {
  const idxs = nodeIdxs(td);
  const restore: number[] = [];
  try {
    for (const arg of td.cmdArgs) {
      for (const val of arg.vals) {
        if (arg.key === 'log-level') {
          restore.push(env.output.lvl);
          logLevel(env, val);
        }
      }
    }
    stabilize(env, idxs);
  } finally {
    // Restore in reverse order, as Go's deferred calls run.
    while (restore.length > 0) env.output.lvl = restore.pop()!;
  }
}

export function stabilize(env: InteractionEnv, idxs: readonly number[]): void {
  const nodes: InteractionNode[] = idxs.length !== 0 ? idxs.map((i) => env.nodes[i]!) : env.nodes.slice();

  for (;;) {
    let done = true;
    for (const rn of nodes) {
      if (rn.rawNode.hasReady()) {
        const idx = rn.config.id - 1;
        env.output.write(`> ${idx + 1} handling Ready\n`);
        env.withIndent(() => processReady(env, idx));
        done = false;
      }
    }
    for (const rn of nodes) {
      const id = rn.config.id;
      // Only peek to decide whether to print the header; deliverMsgs takes them.
      const [msgs] = splitMsgs(env.messages, id, -1, false);
      if (msgs.length > 0) {
        env.output.write(`> ${id} receiving messages\n`);
        env.withIndent(() => deliverMsgs(env, -1, [{ id, drop: false }]));
        done = false;
      }
    }
    for (const rn of nodes) {
      const idx = rn.config.id - 1;
      if (rn.appendWork.length > 0) {
        env.output.write(`> ${idx + 1} processing append thread\n`);
        while (rn.appendWork.length > 0) env.withIndent(() => processAppendThread(env, idx));
        done = false;
      }
    }
    for (const rn of nodes) {
      const idx = rn.config.id - 1;
      if (rn.applyWork.length > 0) {
        env.output.write(`> ${idx + 1} processing apply thread\n`);
        while (rn.applyWork.length > 0) env.withIndent(() => processApplyThread(env, idx));
        done = false;
      }
    }
    if (done) return;
  }
}

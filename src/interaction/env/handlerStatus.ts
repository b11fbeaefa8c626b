// status N: the progress node N tracks for each peer (empty unless N leads).

import { ProgressMap } from '../../raft/tracker/progress';
import type { TestData } from '../datadriven';
import { firstAsNodeIdx } from './handlerArgs';
import type { InteractionEnv } from './interactionEnv';

export function handleStatus(env: InteractionEnv, td: TestData): void {
  const st = env.nodes[firstAsNodeIdx(td)]!.rawNode.status();
  const m = new ProgressMap();
  for (const [id, pr] of st.progress) m.set(id, pr);
  env.output.write(m.toString());
}

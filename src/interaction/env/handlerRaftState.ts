// raft-state: one line per node, from that node's own point of view:
// "id: StateX (Voter|Non-Voter) Term:T Lead:L".

import type { Status } from '../../raft/status';
import { stateTypeNames } from '../../raft/types';
import type { InteractionEnv } from './interactionEnv';

function isVoter(id: number, st: Status): boolean {
  return st.config.voters.ids().has(id);
}

export function handleRaftState(env: InteractionEnv): void {
  for (const n of env.nodes) {
    const st = n.rawNode.status();
    const voterStatus = isVoter(st.id, st) ? '(Voter)' : '(Non-Voter)';
    const state = stateTypeNames[st.softState.raftState] ?? String(st.softState.raftState);
    env.output.write(`${st.id}: ${state} ${voterStatus} Term:${st.hardState.term} Lead:${st.softState.lead}\n`);
  }
}

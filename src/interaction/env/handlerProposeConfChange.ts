// propose-conf-change N [v1=bool] [transition=auto|implicit|explicit]
// followed by an input line of ops ("v1 l2 r3 u4"; empty = leave a joint config).

import { confChangesFromString, type ConfChangeI } from '../../raft/raftpb/confchange';
import {
  ConfChangeTransitionAuto,
  ConfChangeTransitionJointExplicit,
  ConfChangeTransitionJointImplicit,
  newConfChange,
  newConfChangeV2,
  type ConfChangeSingle,
  type ConfChangeTransition,
} from '../../raft/raftpb/types';
import type { TestData } from '../datadriven';
import { firstAsNodeIdx, parseGoBool } from './handlerArgs';
import { HarnessError, type InteractionEnv } from './interactionEnv';

export function handleProposeConfChange(env: InteractionEnv, td: TestData): void {
  const idx = firstAsNodeIdx(td);
  let v1 = false;
  let transition: ConfChangeTransition = ConfChangeTransitionAuto;
  for (const arg of td.cmdArgs.slice(1)) {
    for (const val of arg.vals) {
      switch (arg.key) {
        case 'v1': {
          const b = parseGoBool(val);
          if (b === undefined)
            throw new HarnessError(`strconv.ParseBool: parsing ${JSON.stringify(val)}: invalid syntax`);
          v1 = b;
          break;
        }
        case 'transition':
          switch (val) {
            case 'auto':
              transition = ConfChangeTransitionAuto;
              break;
            case 'implicit':
              transition = ConfChangeTransitionJointImplicit;
              break;
            case 'explicit':
              transition = ConfChangeTransitionJointExplicit;
              break;
            default:
              throw new HarnessError(`unknown transition ${val}`);
          }
          break;
        default:
          throw new HarnessError(`unknown command ${arg.key}`);
      }
    }
  }

  let ccs: ConfChangeSingle[];
  try {
    ccs = confChangesFromString(td.input);
  } catch (e) {
    throw new HarnessError(e instanceof Error ? e.message : String(e));
  }

  let c: ConfChangeI;
  if (v1) {
    if (ccs.length > 1 || transition !== ConfChangeTransitionAuto) {
      throw new HarnessError('v1 conf change can only have one operation and no transition');
    }
    const cc0 = ccs[0];
    if (cc0 === undefined) throw new HarnessError('v1 conf change needs one operation');
    c = newConfChange({ type: cc0.type, nodeId: cc0.nodeId });
  } else {
    c = newConfChangeV2({ transition, changes: ccs });
  }
  env.nodes[idx]!.rawNode.proposeConfChange(c);
}

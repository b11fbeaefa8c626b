// Driver for etcd's confchange/testdata files. Commands:
//   simple            apply the changes on the input line without joint consensus
//   enter-joint [autoleave=bool]   enter a joint config with those changes
//   leave-joint       leave the joint config (no input)
// Changes are written "v1 l2 r3 u4" (voter, learner, remove, update). The output
// is the new config and progress map, or the error. The Changer's LastIndex
// starts at 0 and grows by one with every command, so `next` of a progress tells
// in which command it was created.

import { Changer } from '../raft/confchange/confchange';
import { RaftError } from '../raft/errors';
import { confChangesFromString } from '../raft/raftpb/confchange';
import type { ConfChangeSingle } from '../raft/raftpb/types';
import type { ProgressMap } from '../raft/tracker/progress';
import { makeProgressTracker, type Config } from '../raft/tracker/tracker';
import { argVal, parseBool, type TestData } from './datadriven';
import type { Driver } from './driver';

export function newConfChangeDriver(): Driver {
  const c = new Changer(makeProgressTracker(10, 0), 0);
  return {
    run(td: TestData): string {
      try {
        return runCase(c, td);
      } finally {
        c.lastIndex++;
      }
    },
  };
}

function runCase(c: Changer, td: TestData): string {
  let ccs: ConfChangeSingle[];
  try {
    ccs = confChangesFromString(td.input);
  } catch (e) {
    // etcd's harness prints parse errors (without a trailing newline).
    return e instanceof Error ? e.message : String(e);
  }
  let autoLeave = false;
  if (td.cmd === 'enter-joint' && td.cmdArgs.length > 0) {
    const v = argVal(td, 'autoleave');
    if (v === undefined) throw new Error(`${td.pos}: enter-joint: missing argument autoleave`);
    autoLeave = parseBool(v);
  }
  let res: [Config, ProgressMap];
  try {
    switch (td.cmd) {
      case 'simple':
        res = c.simple(...ccs);
        break;
      case 'enter-joint':
        res = c.enterJoint(autoLeave, ...ccs);
        break;
      case 'leave-joint':
        if (ccs.length > 0) return 'this command takes no input\n';
        res = c.leaveJoint();
        break;
      default:
        return 'unknown command';
    }
  } catch (e) {
    if (!(e instanceof RaftError)) throw e;
    return e.message + '\n';
  }
  [c.tracker.config, c.tracker.progress] = res;
  return `${c.tracker.config.toString()}\n${c.tracker.progress.toString()}`;
}

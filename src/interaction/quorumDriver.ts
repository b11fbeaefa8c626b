// Driver for etcd's quorum/testdata files: `committed` checks committedIndex and
// `vote` checks voteResult of a majority config (cfg=...) or a joint one
// (cfg=... cfgj=..., where cfgj=zero means an empty second half).
//
// Per-voter inputs (idx=... or votes=...) are given in the order the voters
// first appear in cfg then cfgj; "_" means "nothing known". Besides the result,
// the driver cross-checks it by other computations that must agree and prints
// any disagreement, as etcd's harness does.

import { JointConfig } from '../raft/quorum/joint';
import { MajorityConfig } from '../raft/quorum/majority';
import { indexToString, mapAckIndexer, voteResultString, type AckedIndexer, type Index } from '../raft/quorum/quorum';
import { parseUint, type TestData } from './datadriven';
import type { Driver } from './driver';

export function newQuorumDriver(): Driver {
  return { run: runQuorumCase };
}

function runQuorumCase(td: TestData): string {
  let joint = false;
  const ids: number[] = [];
  const idsj: number[] = [];
  // Committed indexes, or votes encoded as 1 (no) / 2 (yes); 0 stands for "_".
  const idxs: number[] = [];
  const votes: number[] = [];

  for (const arg of td.cmdArgs) {
    for (const val of arg.vals) {
      switch (arg.key) {
        case 'cfg':
          ids.push(parseUint(val, 'cfg id'));
          break;
        case 'cfgj':
          joint = true;
          if (val === 'zero') {
            if (arg.vals.length !== 1) throw new Error(`${td.pos}: cannot mix 'zero' into configuration`);
          } else {
            idsj.push(parseUint(val, 'cfgj id'));
          }
          break;
        case 'idx': {
          let n = 0;
          if (val !== '_') {
            n = parseUint(val, 'idx');
            if (n === 0) throw new Error(`${td.pos}: cannot use 0 as idx`);
          }
          idxs.push(n);
          break;
        }
        case 'votes':
          if (val === 'y') votes.push(2);
          else if (val === 'n') votes.push(1);
          else if (val === '_') votes.push(0);
          else throw new Error(`${td.pos}: unknown vote: ${val}`);
          break;
        default:
          throw new Error(`${td.pos}: unknown arg ${arg.key}`);
      }
    }
  }

  const c = new MajorityConfig(ids);
  const cj = new MajorityConfig(idsj);

  const input = td.cmd === 'vote' ? votes : idxs;
  const voters = new JointConfig(c, cj).ids();
  if (voters.size !== input.length) {
    const m = Array.from(voters)
      .sort((a, b) => a - b)
      .map((id) => `${id}:{}`)
      .join(' ');
    return `error: mismatched input (explicit or _) for voters map[${m}]: [${input.map(indexToString).join(' ')}]`;
  }

  let out = '';
  switch (td.cmd) {
    case 'committed': {
      const l = makeLookuper(idxs, ids, idsj);
      const ack = mapAckIndexer(l);
      if (!joint) {
        const idx = c.committedIndex(ack);
        out += c.describe(ack);
        const alt = alternativeMajorityCommittedIndex(c, ack);
        if (alt !== idx) out += `${indexToString(alt)} <-- via alternative computation\n`;
        const zeroJoint = new JointConfig(c, new MajorityConfig()).committedIndex(ack);
        if (zeroJoint !== idx) out += `${indexToString(zeroJoint)} <-- via zero-joint quorum\n`;
        const selfJoint = new JointConfig(c, c).committedIndex(ack);
        if (selfJoint !== idx) out += `${indexToString(selfJoint)} <-- via self-joint quorum\n`;
        // Lowering the index of a voter that is already below the committed
        // index must not change the result. (etcd prints these lines without a
        // trailing newline; so do we.)
        for (const id of c) {
          const iidx = ack.ackedIndex(id) ?? 0;
          if (idx > iidx && iidx > 0) {
            const lower = c.committedIndex(overlay(c, ack, id, iidx - 1));
            if (lower !== idx) out += `${indexToString(lower)} <-- overlaying ${id}->${iidx}`;
            const zero = c.committedIndex(overlay(c, ack, id, 0));
            if (zero !== idx) out += `${indexToString(zero)} <-- overlaying ${id}->0`;
          }
        }
        out += `${indexToString(idx)}\n`;
      } else {
        const cc = new JointConfig(c, cj);
        out += cc.describe(ack);
        const idx = cc.committedIndex(ack);
        const sym = new JointConfig(cj, c).committedIndex(ack);
        if (sym !== idx) out += `${indexToString(sym)} <-- via symmetry\n`;
        out += `${indexToString(idx)}\n`;
      }
      break;
    }
    case 'vote': {
      const ll = makeLookuper(votes, ids, idsj);
      const l = new Map<number, boolean>();
      for (const [id, v] of ll) l.set(id, v !== 1);
      if (!joint) {
        out += `${voteResultString(c.voteResult(l))}\n`;
      } else {
        const r = new JointConfig(c, cj).voteResult(l);
        const ar = new JointConfig(cj, c).voteResult(l);
        if (ar !== r) out += `${voteResultString(ar)} <-- via symmetry\n`;
        out += `${voteResultString(r)}\n`;
      }
      break;
    }
    default:
      throw new Error(`${td.pos}: unknown command: ${td.cmd}`);
  }
  return out;
}

/**
 * Assigns the inputs to the voters of ids then idsj, each voter once, in order
 * of first appearance; "_" (0) entries are then dropped, so those voters are
 * unknown rather than at 0.
 */
function makeLookuper(vals: readonly number[], ids: readonly number[], idsj: readonly number[]): Map<number, number> {
  const l = new Map<number, number>();
  let p = 0;
  for (const id of [...ids, ...idsj]) {
    if (l.has(id)) continue;
    if (p < vals.length) {
      l.set(id, vals[p]!);
      p++;
    }
  }
  for (const [id, v] of l) if (v === 0) l.delete(id);
  return l;
}

/** l restricted to c's voters, with id's index replaced by idx. */
function overlay(c: MajorityConfig, l: AckedIndexer, id: number, idx: Index): AckedIndexer {
  const m = new Map<number, number>();
  for (const iid of c) {
    if (iid === id) {
      m.set(iid, idx);
    } else {
      const v = l.ackedIndex(iid);
      if (v !== undefined) m.set(iid, v);
    }
  }
  return mapAckIndexer(m);
}

/**
 * The committed index computed the slow way: the largest acknowledged index
 * that at least a majority of voters have reached.
 */
export function alternativeMajorityCommittedIndex(c: MajorityConfig, l: AckedIndexer): Index {
  if (c.size === 0) return Infinity;
  const known: number[] = [];
  for (const id of c) {
    const v = l.ackedIndex(id);
    if (v !== undefined) known.push(v);
  }
  const q = Math.floor(c.size / 2) + 1;
  let best = 0;
  for (const candidate of known) {
    let reached = 0;
    for (const v of known) if (v >= candidate) reached++;
    if (reached >= q && candidate > best) best = candidate;
  }
  return best;
}

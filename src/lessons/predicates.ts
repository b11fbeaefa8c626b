// Facts about the cluster, written as key=value arguments (`expect` lines and the
// conditions of an ask's choices), parsed strictly and evaluated against a LiveState.
//
//   leader=3 | leader=none                         the running leader with the highest term
//   node=3 role=leader term=2 commit=6 ...         one node (see nodeKeys)
//   node=3 key=x value=1                           a key of node 3's KV state machine
//   node=3 disk-term=2 disk-vote=3 disk-commit=5   the HardState on node 3's disk
//   node=1 peer=3 state=probe match=5 ...          the progress leader 1 keeps for node 3
//   entry=7 term=2 on=(1,2) off=(3) replicas=2     which disks hold entry 7 with term 2
//   msg=MsgVote from=1 to=3 reject=false count=1   messages in flight (count: default at least one)
//   op=last status=ok result=1 consistency=stale   a client operation (last, or its id)
// `key!=value` negates a comparison. Lists are written (1,2,3); `none` is node id 0.

import { parseCmdArg, type CmdArg } from '../interaction/datadriven';
import { messageTypeNames } from '../raft/raftpb/types';
import type { Check, Pos, Predicate, Subject } from './format';
import { termAt, type LiveNode, type LiveState } from './live';

export class LessonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LessonError';
  }
}

type Kind = 'int' | 'id' | 'bool' | 'ids' | 'terms' | 'str' | readonly string[];

const roles = ['follower', 'candidate', 'precandidate', 'leader', 'none'] as const;

/** The keys each subject accepts, and what their values must look like. */
const keys: Record<Subject, Record<string, Kind>> = {
  cluster: { leader: 'id' },
  node: {
    role: roles,
    status: ['alive', 'crashed', 'removed'],
    paused: 'bool',
    term: 'int',
    vote: 'id',
    lead: 'id',
    commit: 'int',
    applied: 'int',
    first: 'int',
    last: 'int',
    snap: 'int',
    timeout: 'int',
    voters: 'ids',
    learners: 'ids',
    outgoing: 'ids',
    log: 'terms',
    value: 'str',
    'disk-term': 'int',
    'disk-vote': 'id',
    'disk-commit': 'int',
  },
  progress: {
    state: ['probe', 'replicate', 'snapshot'],
    match: 'int',
    next: 'int',
    inflight: 'int',
    paused: 'bool',
    active: 'bool',
    full: 'bool',
    learner: 'bool',
  },
  entry: { term: 'int', on: 'ids', off: 'ids', replicas: 'int' },
  msg: {
    from: 'ids',
    to: 'ids',
    reject: 'bool',
    term: 'int',
    index: 'int',
    logterm: 'int',
    commit: 'int',
    hint: 'int',
    count: 'int',
  },
  op: {
    status: ['ok', 'pending', 'failed'],
    result: 'str',
    consistency: ['linearizable', 'stale'],
    readindex: 'int',
  },
};

const isUint = (s: string) => /^\d+$/.test(s);

function fail(pos: Pos, msg: string): never {
  throw new LessonError(`${pos}: ${msg}`);
}

/** The canonical form of a value of a kind (so "(3,1)" and "(1,3)" compare equal as sets). */
function canon(kind: Kind, parts: readonly string[]): string {
  if (kind === 'ids')
    return parts
      .map(Number)
      .sort((a, b) => a - b)
      .join(',');
  if (kind === 'terms') return parts.map(Number).join(',');
  if (kind === 'id') return parts[0] === 'none' || parts[0] === '0' ? 'none' : String(Number(parts[0]));
  if (kind === 'int') return String(Number(parts[0]));
  return parts[0] ?? '';
}

function checkValue(pos: Pos, key: string, kind: Kind, vals: string[]): void {
  const one = vals.length === 1 ? vals[0]! : undefined;
  const bad = (what: string) => fail(pos, `${key}= expects ${what}, got ${JSON.stringify(vals.join(','))}`);
  if (kind === 'ids' || kind === 'terms') {
    if (!vals.every(isUint)) bad('a list of whole numbers, like (1,2,3)');
  } else if (one === undefined) bad('one value');
  else if (kind === 'int') {
    if (!isUint(one)) bad('a whole number');
  } else if (kind === 'id') {
    if (!isUint(one) && one !== 'none') bad('a node id or none');
  } else if (kind === 'bool') {
    if (one !== 'true' && one !== 'false') bad('true or false');
  } else if (typeof kind !== 'string' && !kind.includes(one)) bad(`one of ${kind.join(', ')}`);
}

function uintArg(pos: Pos, a: CmdArg): number {
  const v = a.vals.length === 1 ? a.vals[0]! : '';
  if (!isUint(v)) fail(pos, `${a.key}= expects a whole number, got ${JSON.stringify(a.vals.join(','))}`);
  return Number(v);
}

/** Parses the words of one line (`key=value` each, split by the datadriven tokenizer) into a predicate. */
export function parsePredicate(pos: Pos, words: readonly string[], text: string): Predicate {
  for (const w of words) if (!w.includes('=')) fail(pos, `expected key=value, got ${JSON.stringify(w)}`);
  const args = words.map(parseCmdArg);
  const p: Predicate = { pos, subject: 'cluster', nodes: [], node: 0, peer: 0, index: 0, name: '', checks: [], text };
  const has = (k: string) => args.some((a) => a.key === k);
  p.subject = has('msg')
    ? 'msg'
    : has('op')
      ? 'op'
      : has('entry')
        ? 'entry'
        : has('peer')
          ? 'progress'
          : has('node')
            ? 'node'
            : 'cluster';
  const spec = keys[p.subject];
  for (const a of args) {
    const last = a.key.slice(-1);
    const op = last === '!' || last === '<' || last === '>' ? last : '=';
    const key = op === '=' ? a.key : a.key.slice(0, -1);
    if (op === '=') {
      if (key === 'node' && p.subject !== 'msg') {
        if (a.vals.length === 0 || !a.vals.every(isUint)) fail(pos, 'node= expects a node id or a list like (1,2,3)');
        p.nodes = a.vals.map(Number);
        p.node = p.nodes[0]!;
        if (p.subject === 'progress' && p.nodes.length > 1) fail(pos, 'a progress fact is about one leader: node=N');
        continue;
      }
      if (key === 'peer') {
        p.peer = uintArg(pos, a);
        continue;
      }
      if (key === 'entry') {
        p.index = uintArg(pos, a);
        continue;
      }
      if (key === 'key' && p.subject === 'node') {
        p.name = a.vals[0] ?? '';
        continue;
      }
      if (key === 'msg') {
        const t = a.vals[0] ?? '';
        if (t !== 'any' && !messageTypeNames.includes(t))
          fail(pos, `msg= expects an etcd message type (MsgApp, MsgVote, ...) or any, got ${JSON.stringify(t)}`);
        p.name = t;
        continue;
      }
      if (key === 'op') {
        const v = a.vals[0] ?? '';
        if (v !== 'last' && !isUint(v)) fail(pos, `op= expects last or an operation id, got ${JSON.stringify(v)}`);
        p.name = v;
        continue;
      }
    }
    const kind = spec[key];
    if (kind === undefined)
      fail(
        pos,
        `unknown key ${JSON.stringify(key)} for a ${p.subject} fact (expected one of: ${Object.keys(spec).join(', ')})`,
      );
    checkValue(pos, key, kind, a.vals);
    if ((op === '<' || op === '>') && kind !== 'int') fail(pos, `${key} cannot be compared with ${op}=`);
    p.checks.push({ key, op, want: a.vals });
  }
  if (p.subject === 'node' && p.checks.some((c) => c.key === 'value') !== (p.name !== ''))
    fail(pos, 'a KV fact needs both key= and value=');
  if (p.subject === 'entry' && !p.checks.some((c) => c.key === 'term' && c.op === '='))
    fail(pos, 'an entry fact needs term= (which entry: index and term)');
  if (p.checks.length === 0 && p.subject !== 'msg') fail(pos, 'expected at least one key=value to check');
  return p;
}

export interface CheckResult {
  ok: boolean;
  /** What was checked, as written. */
  text: string;
  /** When not ok: what the cluster shows instead. */
  why: string;
}

const progressState = { StateProbe: 'probe', StateReplicate: 'replicate', StateSnapshot: 'snapshot' } as const;

/** The nodes whose disks hold entry `index` with term `term`. */
function holders(s: LiveState, index: number, term: number): number[] {
  return [...s.nodes.values()].filter((n) => termAt(n, index) === term).map((n) => n.id);
}

function nodeValue(n: LiveNode, key: string, kvKey: string): string[] {
  switch (key) {
    case 'voters':
    case 'learners':
    case 'outgoing':
      return n[key].map(String);
    case 'log':
      return n.log.map((e) => String(e.term));
    case 'value':
      return [n.kv[kvKey] ?? 'none'];
    case 'role':
    case 'status':
      return [n[key]];
    case 'disk-term':
    case 'disk-vote':
    case 'disk-commit':
      return [String(n.disk[key.slice(5) as 'term'])];
    default:
      return [String(n[key as keyof LiveNode])];
  }
}

/** Matches messages in flight against a msg predicate's filters (every check but count). */
export function matchMessages(s: LiveState, p: Predicate) {
  return s.inFlight.filter((e) => {
    const m = e.msg;
    if (p.name !== 'any' && messageTypeNames[m.type] !== p.name) return false;
    return p.checks.every((c) => {
      if (c.key === 'count') return true;
      const v: Record<string, number | boolean> = {
        from: e.from,
        to: e.to,
        reject: m.reject,
        term: m.term,
        index: m.index,
        logterm: m.logTerm,
        commit: m.commit,
        hint: m.rejectHint,
      };
      const x = Number(v[c.key]);
      if (c.op === '<' || c.op === '>') return c.op === '<' ? x <= Number(c.want[0]) : x >= Number(c.want[0]);
      return c.want.includes(String(v[c.key])) !== (c.op === '!');
    });
  });
}

/** Evaluates a predicate: ok, or why not. */
export function evaluate(s: LiveState, p: Predicate): CheckResult {
  const out = (why: string): CheckResult => ({ ok: why === '', text: p.text, why });
  const cmp = (c: Check, actual: string[], what: string): string => {
    const { key, op, want } = c;
    const kind = keys[p.subject][key]!;
    const a = Number(actual[0]);
    const w = Number(want[0]);
    const eq = canon(kind, actual) === canon(kind, want);
    if (op === '<' ? a <= w : op === '>' ? a >= w : eq !== (op === '!')) return '';
    const shown = kind === 'ids' || kind === 'terms' ? `(${actual.join(',')})` : actual.join(',');
    return `${what}${key} is ${shown}`;
  };
  switch (p.subject) {
    case 'cluster':
      return out(p.checks.map((c) => cmp(c, [s.leader === 0 ? 'none' : String(s.leader)], '')).join('; '));
    case 'node': {
      const bad: string[] = [];
      for (const id of p.nodes) {
        const n = s.nodes.get(id);
        if (n === undefined) bad.push(`there is no node ${id}`);
        else for (const c of p.checks) bad.push(cmp(c, nodeValue(n, c.key, p.name), `node ${id}: `));
      }
      return out(bad.filter((x) => x !== '').join('; '));
    }
    case 'progress': {
      const pr = s.nodes.get(p.node)?.progress.find((x) => x.id === p.peer);
      if (pr === undefined) return out(`node ${p.node} keeps no progress for node ${p.peer} (is it the leader?)`);
      const v: Record<string, string> = {
        state: progressState[pr.state],
        match: String(pr.match),
        next: String(pr.next),
        inflight: String(pr.inflight),
        paused: String(pr.paused),
        active: String(pr.recentActive),
        full: String(pr.inflightFull),
        learner: String(pr.isLearner),
      };
      return out(
        p.checks
          .map((c) => cmp(c, [v[c.key]!], `progress of ${p.peer} at ${p.node}: `))
          .filter((x) => x !== '')
          .join('; '),
      );
    }
    case 'entry': {
      const term = Number(p.checks.find((c) => c.key === 'term' && c.op === '=')!.want[0]);
      const h = holders(s, p.index, term);
      const bad: string[] = [];
      for (const c of p.checks) {
        const want = c.want.map(Number);
        const n = h.length;
        const w = want[0]!;
        const ok =
          c.key === 'on'
            ? want.every((id) => h.includes(id))
            : c.key === 'off'
              ? want.every((id) => !h.includes(id))
              : c.key === 'replicas'
                ? c.op === '<'
                  ? n <= w
                  : c.op === '>'
                    ? n >= w
                    : n === w
                : true;
        if (c.key !== 'term' && ok === (c.op === '!'))
          bad.push(`entry ${p.index} with term ${term} is on (${h.join(',')})`);
      }
      return out(bad.length > 0 ? bad[0]! : '');
    }
    case 'msg': {
      const n = matchMessages(s, p).length;
      const c = p.checks.find((x) => x.key === 'count');
      const w = Number(c?.want[0]);
      const ok = c === undefined ? n > 0 : c.op === '<' ? n <= w : c.op === '>' ? n >= w : (n === w) !== (c.op === '!');
      return out(ok ? '' : `${n} such message${n === 1 ? '' : 's'} in flight`);
    }
    case 'op': {
      const op = p.name === 'last' ? s.history[s.history.length - 1] : s.history.find((o) => o.id === Number(p.name));
      if (op === undefined) return out(`there is no client operation ${p.name}`);
      const v: Record<string, string> = {
        status: op.status,
        result: op.result ?? 'none',
        consistency: op.consistency === 'stale-possible' ? 'stale' : (op.consistency ?? 'none'),
        readindex: String(op.readIndex ?? 0),
      };
      return out(
        p.checks
          .map((c) => cmp(c, [v[c.key]!], `operation ${op.id}: `))
          .filter((x) => x !== '')
          .join('; '),
      );
    }
  }
}

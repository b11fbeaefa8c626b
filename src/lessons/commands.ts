// The cluster actions a lesson step can take, checked when the file is parsed and run
// against a live Cluster. Every command becomes one or more of the Cluster's ordinary
// recorded actions (tick, deliver, drop, runCycle, crash, put...), so a lesson is an
// ordinary run: seek, fork and export keep working. Choices that depend on the run
// (which message, how many ticks) are resolved here, against the live state, and
// recorded as plain actions with ids and counts.
//
//   tick N... [n=K]         K ticks of each node (default 1)
//   elapse [n=K]            K ticks of every running node; without n, just enough for the
//                           first election timer to fire (time passing for everyone)
//   timeout N               ticks node N exactly until its election timer fires
//   campaign N              node N campaigns now (as if its timer had fired)
//   process-ready N...      one full Ready cycle of each node, in order (persist, send, apply, advance)
//   stage N persist|send|apply|advance    one stage of node N's Ready
//   deliver [Type] [from=..] [to=..] [reject=..] [term=..] [index=..] [nth=K]
//   drop    [Type] ...      every matching message in flight, in id order (nth=K: only the K-th)
//   stabilize [N...]        Ready cycles and deliveries (messages on cut links are dropped) until quiet
//   crash N, restart N, pause N, resume N
//   partition 1,2 3,4,5     groups; links between groups are cut.   heal
//   cut A B [one-way], restore A B [one-way]
//   put KEY VALUE [at=N], get KEY [at=N] [linearizable]
//   add-node N, add-learner N, promote N, remove-node N   [at=N]
//   conf-change v4 l5 r3 [transition=auto|implicit|explicit] [at=N], leave-joint [at=N]
//   transfer N [at=N], compact INDEX [at=N]
//   mode manual|play, advance TICKS

import type { Cluster } from '../cluster/cluster';
import type { ReadyStage } from '../cluster/protocol';
import { parseCmdArg, tokenize } from '../interaction/datadriven';
import { confChangesFromString } from '../raft/raftpb/confchange';
import type { ConfChangeTransition } from '../raft/raftpb/types';
import type { Command, Pos, Predicate } from './format';
import { liveState } from './live';
import { LessonError, matchMessages, parsePredicate } from './predicates';

type Arg = 'n' | 'word' | 'stage' | 'mode' | 'group' | 'op';

interface Spec {
  /** Positional arguments, in order. */
  args: Arg[];
  /** Kind of any further positional arguments, and how many at least. */
  rest?: Arg;
  min?: number;
  /** Allowed key=value arguments. */
  keys?: string[];
  /** Allowed bare flags. */
  flags?: string[];
}

const node: Spec = { args: ['n'] };
const nodeAt: Spec = { args: ['n'], keys: ['at'] };
const msgKeys = ['from', 'to', 'reject', 'term', 'index', 'logterm', 'commit', 'hint', 'nth'];

const specs: Record<string, Spec> = {
  tick: { args: [], rest: 'n', min: 1, keys: ['n'] },
  elapse: { args: [], keys: ['n'] },
  timeout: node,
  campaign: node,
  'process-ready': { args: [], rest: 'n', min: 1 },
  stage: { args: ['n', 'stage'] },
  deliver: { args: [], rest: 'word', keys: msgKeys },
  drop: { args: [], rest: 'word', keys: msgKeys },
  stabilize: { args: [], rest: 'n' },
  crash: node,
  restart: node,
  pause: node,
  resume: node,
  partition: { args: [], rest: 'group', min: 2 },
  heal: { args: [] },
  cut: { args: ['n', 'n'], flags: ['one-way'] },
  restore: { args: ['n', 'n'], flags: ['one-way'] },
  put: { args: ['word', 'word'], keys: ['at'] },
  get: { args: ['word'], keys: ['at'], flags: ['linearizable'] },
  'add-node': nodeAt,
  'add-learner': nodeAt,
  promote: nodeAt,
  'remove-node': nodeAt,
  'conf-change': { args: [], rest: 'op', min: 1, keys: ['at', 'transition'] },
  'leave-joint': { args: [], keys: ['at'] },
  transfer: nodeAt,
  compact: nodeAt,
  mode: { args: ['mode'] },
  advance: { args: ['n'] },
};

/** The lesson commands, for error messages and the README. */
export const commandNames = Object.keys(specs);

const stages = ['persist', 'send', 'apply', 'advance'];

function fail(pos: Pos, msg: string): never {
  throw new LessonError(`${pos}: ${msg}`);
}

function checkArg(pos: Pos, cmd: string, kind: Arg, w: string): void {
  const ok =
    kind === 'word'
      ? true
      : kind === 'n'
        ? /^\d+$/.test(w)
        : kind === 'stage'
          ? stages.includes(w)
          : kind === 'mode'
            ? w === 'manual' || w === 'play'
            : kind === 'group'
              ? /^\(?\d+(,\d+)*\)?$/.test(w)
              : /^[vlru]\d+$/.test(w);
  if (!ok) {
    const what = {
      word: '',
      n: 'a whole number',
      stage: stages.join(', '),
      mode: 'manual or play',
      group: 'a group of node ids like 1,2',
      op: 'a change like v4 (voter), l4 (learner) or r4 (remove)',
    }[kind];
    fail(pos, `${cmd}: expected ${what}, got ${JSON.stringify(w)}`);
  }
}

/** Parses and checks one setup line. Throws a LessonError naming the line. */
export function parseCommand(pos: Pos, text: string): Command {
  const words = tokenize(text, pos);
  const cmd = words[0] ?? '';
  const spec = specs[cmd];
  if (spec === undefined)
    fail(
      pos,
      `unknown command ${JSON.stringify(cmd)} (expected expect, highlight, or one of: ${commandNames.join(', ')})`,
    );
  const positional = words.slice(1).filter((w) => !w.includes('=') && !spec.flags?.includes(w));
  const args = words.slice(1).map(parseCmdArg);
  for (const a of args) {
    if (spec.flags?.includes(a.key) && a.vals.length === 0) continue;
    if (positional.includes(a.key) && a.vals.length === 0) continue;
    if (!spec.keys?.includes(a.key))
      fail(
        pos,
        `${cmd}: unexpected ${JSON.stringify(a.key)}${spec.keys ? ` (it takes ${spec.keys.join('=, ')}=)` : ''}`,
      );
    if (a.key !== 'to' && a.key !== 'transition' && a.key !== 'reject' && !/^\d+$/.test(a.vals[0] ?? ''))
      fail(pos, `${cmd}: ${a.key}= expects a whole number`);
  }
  spec.args.forEach((k, i) => {
    const w = positional[i];
    if (w === undefined) fail(pos, `${cmd}: missing argument ${i + 1} (${spec.args.join(' ')})`);
    checkArg(pos, cmd, k, w);
  });
  const rest = positional.slice(spec.args.length);
  if (spec.rest === undefined && rest.length > 0) fail(pos, `${cmd}: unexpected ${JSON.stringify(rest[0])}`);
  if (rest.length < (spec.min ?? 0)) fail(pos, `${cmd}: expected at least ${spec.min} argument(s)`);
  for (const w of rest) checkArg(pos, cmd, spec.rest!, w);
  const c: Command = { pos, cmd, args, text };
  if (cmd === 'deliver' || cmd === 'drop') {
    if (rest.length > 1) fail(pos, `${cmd}: expected at most one message type`);
    msgSelector(c);
  }
  const tr = args.find((a) => a.key === 'transition')?.vals[0];
  if (tr !== undefined && !['auto', 'implicit', 'explicit'].includes(tr))
    fail(pos, `${cmd}: transition= expects auto, implicit or explicit`);
  return c;
}

/** A deliver/drop command's message selector, as a msg predicate. */
function msgSelector(c: Command): Predicate {
  const type = c.args.find((a) => a.vals.length === 0)?.key ?? 'any';
  const words = [`msg=${type}`];
  for (const a of c.args) if (a.vals.length > 0 && a.key !== 'nth') words.push(`${a.key}=(${a.vals.join(',')})`);
  return parsePredicate(c.pos, words, c.text);
}

const num = (c: Command, i: number) => Number(c.args.filter((a) => a.vals.length === 0)[i]?.key);
const words = (c: Command) => c.args.filter((a) => a.vals.length === 0).map((a) => a.key);
const key = (c: Command, k: string) => c.args.find((a) => a.key === k)?.vals[0];
const at = (c: Command) => (key(c, 'at') === undefined ? {} : { at: Number(key(c, 'at')) });
const flag = (c: Command, f: string) => c.args.some((a) => a.key === f && a.vals.length === 0);

const transitions: Record<string, ConfChangeTransition> = { auto: 0, implicit: 1, explicit: 2 };

async function live(cl: Cluster) {
  return liveState(await cl.observe(), (id) => cl.disk(id));
}

/** Ready cycles and deliveries until nothing changes (etcd's stabilize, as recorded actions). */
async function stabilize(cl: Cluster, only: number[], pos: Pos): Promise<void> {
  const mine = (id: number) => only.length === 0 || only.includes(id);
  for (let round = 0; round < 200; round++) {
    const o = await cl.observe();
    let moved = false;
    for (const n of o.nodes)
      if (n.status === 'alive' && !n.paused && n.observation?.hasReady && mine(n.id)) {
        await cl.runCycle(n.id);
        moved = true;
      }
    const down = new Set(o.links.filter((l) => !l.up).map((l) => `${l.from}>${l.to}`));
    const paused = new Set(o.nodes.filter((n) => n.paused).map((n) => n.id));
    for (const e of cl.inFlight().slice()) {
      if (!mine(e.to) || paused.has(e.to) || e.held) continue;
      if (down.has(`${e.from}>${e.to}`)) await cl.drop(e.id);
      else await cl.deliver(e.id);
      moved = true;
    }
    if (!moved) return;
  }
  fail(pos, 'stabilize: the cluster did not settle within 200 rounds');
}

/** Runs one command against the cluster. Throws a LessonError naming the line when it cannot. */
export async function runCommand(cl: Cluster, c: Command): Promise<void> {
  const n = num(c, 0);
  switch (c.cmd) {
    case 'tick':
      for (const id of words(c).map(Number)) await cl.tick(id, Number(key(c, 'n') ?? 1));
      return;
    case 'elapse': {
      const ns = [...(await live(cl)).nodes.values()].filter((x) => x.status === 'alive' && !x.paused);
      const timers = ns.filter((x) => x.role !== 'leader').map((x) => x.timeout);
      const k = Number(key(c, 'n') ?? Math.min(...timers));
      if (!(k > 0 && k < Infinity)) fail(c.pos, 'elapse: no election timer is running (give n=K)');
      for (const x of ns) await cl.tick(x.id, k);
      return;
    }
    case 'timeout': {
      const t = (await live(cl)).nodes.get(n)?.timeout ?? 0;
      if (t <= 0) fail(c.pos, `timeout: node ${n} has no election timer running`);
      return cl.tick(n, t);
    }
    case 'campaign':
      return cl.campaign(n);
    case 'process-ready':
      for (const id of words(c).map(Number)) await cl.runCycle(id);
      return;
    case 'stage':
      await cl.runStage(n, words(c)[1] as ReadyStage);
      return;
    case 'deliver':
    case 'drop': {
      const sel = msgSelector(c);
      let found = matchMessages(await live(cl), sel);
      const nth = key(c, 'nth');
      if (nth !== undefined) found = found.slice(Number(nth) - 1, Number(nth));
      if (found.length === 0) fail(c.pos, `${c.cmd}: no message in flight matches "${c.text}"`);
      for (const e of found) await (c.cmd === 'deliver' ? cl.deliver(e.id) : cl.drop(e.id));
      return;
    }
    case 'stabilize':
      return stabilize(cl, words(c).map(Number), c.pos);
    case 'crash':
      return cl.crash(n);
    case 'restart':
      return cl.restart(n);
    case 'pause':
      return cl.pause(n);
    case 'resume':
      return cl.resume(n);
    case 'partition':
      return cl.partition(words(c).map((g) => g.replace(/[()]/g, '').split(',').map(Number)));
    case 'heal':
      return cl.heal();
    case 'cut':
    case 'restore':
      return cl.cut(n, num(c, 1), { oneWay: flag(c, 'one-way'), up: c.cmd === 'restore' });
    case 'put':
      await cl.put(words(c)[0]!, words(c)[1]!, key(c, 'at') === undefined ? {} : { node: Number(key(c, 'at')) });
      return;
    case 'get': {
      const o: { node?: number; linearizable: boolean } = { linearizable: flag(c, 'linearizable') };
      if (key(c, 'at') !== undefined) o.node = Number(key(c, 'at'));
      await cl.get(words(c)[0]!, o);
      return;
    }
    case 'add-node':
      await cl.addNode(n, at(c));
      return;
    case 'add-learner':
      await cl.addLearner(n, at(c));
      return;
    case 'promote':
      await cl.promote(n, at(c));
      return;
    case 'remove-node':
      await cl.removeNode(n, at(c));
      return;
    case 'conf-change': {
      const tr = key(c, 'transition');
      await cl.changeMembership(confChangesFromString(words(c).join(' ')), {
        ...at(c),
        ...(tr === undefined ? {} : { transition: transitions[tr]! }),
      });
      return;
    }
    case 'leave-joint':
      await cl.leaveJoint(at(c));
      return;
    case 'transfer':
      await cl.transferLeadership(n, at(c));
      return;
    case 'compact':
      await cl.compact(n, key(c, 'at') === undefined ? {} : { node: Number(key(c, 'at')) });
      return;
    case 'mode':
      return cl.setMode(words(c)[0] as 'manual' | 'play');
    case 'advance':
      return cl.advance(n);
    default:
      fail(c.pos, `unknown command ${c.cmd}`);
  }
}

/** Runs a list of commands in order. */
export async function runCommands(cl: Cluster, cmds: readonly Command[]): Promise<void> {
  for (const c of cmds) await runCommand(cl, c);
}

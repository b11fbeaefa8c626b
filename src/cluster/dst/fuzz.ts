// Deterministic simulation testing: one seed = one randomly drawn scenario.
//
// runSeed(seed, events) builds an in-process cluster whose configuration (size,
// PreVote, CheckQuorum, snapshot cadence) and fault mix (loss, duplication, latency
// spread, partitions, crashes, pauses, membership changes, leader transfers,
// compactions) are drawn from the seed's PRNG, drives it with a client workload until
// the trace holds `events` events, then heals everything and checks liveness (a
// leader and a committed write within a bound) and convergence. The Monitor checks
// safety during the whole run, and the client history is checked for
// linearizability at the end. Same seed, same events, same mutant: same run.

import { ClusterModelRecorder } from '../check/fromCluster';
import { checkLinearizability } from '../../check/linearizable';
import { allViolations, checkProperties } from '../../check/properties';
import { setMutant, type MutantName } from '../../raft/mutation';
import { ReadOnlySafe } from '../../raft/types';
import { Cluster, type ClusterConfig } from '../cluster';
import type { ClientOp } from '../client';
import { createRandom, type Random } from '../random';
import { inProcessRuntime } from '../runtime/inProcess';
import { Monitor, type MonitorViolation } from './monitor';

export interface SeedProfile {
  nodes: number;
  preVote: boolean;
  checkQuorum: boolean;
  loss: number;
  duplication: number;
  latency: number;
  jitter: number;
  snapCount: number;
  /** Small values replicate a few entries per message (quorums then form one entry at a time). */
  maxSizePerMsg: number;
  maxInflightMsgs: number;
  /** Relative weights of the fault actions (0: this seed never does it). */
  crashRate: number;
  partitionRate: number;
  pauseRate: number;
  membershipRate: number;
  transferRate: number;
  compactRate: number;
}

export interface SeedResult {
  seed: number;
  events: number;
  mutant: MutantName | undefined;
  profile: SeedProfile;
  violations: MonitorViolation[];
  /** Virtual time at the end. */
  time: number;
  actions: number;
  ops: number;
  opsOk: number;
  /** The run's trace hash (same seed, events and mutant: same hash). */
  traceHash: string;
  /** Wall-clock milliseconds. */
  ms: number;
}

export interface SeedOptions {
  mutant?: MutantName;
  /** Ticks allowed after healing for a leader, and again for a committed write (default 400). */
  livenessBound?: number;
  /**
   * Also record the run as a step model (src/cluster/check/fromCluster) every this many actions
   * and run src/check/properties over it at the end (default 0: off; costs a disk copy
   * per node per step).
   */
  properties?: number;
  /** Run the full linearizability search over the history (default true). */
  linearizability?: boolean;
}

function pick<T>(r: Random, xs: readonly T[]): T | undefined {
  return xs.length === 0 ? undefined : xs[r.nextInt(xs.length)];
}

function chance(r: Random, p: number): boolean {
  return r.nextFloat() < p;
}

/** Draws a seed's configuration and fault mix. */
export function drawProfile(r: Random): SeedProfile {
  return {
    nodes: r.nextFloat() < 0.7 ? 3 : 5,
    preVote: chance(r, 0.5),
    checkQuorum: chance(r, 0.5),
    loss: chance(r, 0.25) ? 0 : r.nextFloat() * 0.3,
    duplication: chance(r, 0.3) ? 0 : r.nextFloat() * 0.5,
    latency: 1 + r.nextInt(3),
    jitter: r.nextInt(6),
    snapCount: 10 + r.nextInt(200),
    maxSizePerMsg: chance(r, 0.4) ? 1 + r.nextInt(100) : 1024 * 1024,
    maxInflightMsgs: chance(r, 0.3) ? 1 + r.nextInt(3) : 256,
    crashRate: r.nextInt(4),
    partitionRate: r.nextInt(4),
    pauseRate: r.nextInt(3),
    membershipRate: r.nextInt(3),
    transferRate: r.nextInt(3),
    compactRate: r.nextInt(3),
  };
}

/** The fast, sound part of the history check: reads against the committed write order. */
export function checkReads(history: readonly ClientOp[], putIndex: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  const puts = new Map<string, ClientOp>(); // key \0 value -> put
  const byKey = new Map<string, { put: ClientOp; index: number }[]>();
  for (const o of history) {
    if (o.kind !== 'put' || o.key === undefined || o.value === undefined) continue;
    puts.set(`${o.key}\0${o.value}`, o);
    const idx = putIndex.get(o.requestId);
    if (o.status === 'ok' && idx !== undefined) {
      let l = byKey.get(o.key);
      if (l === undefined) byKey.set(o.key, (l = []));
      l.push({ put: o, index: idx });
    }
  }
  const gets: { g: ClientOp; index: number }[] = [];
  for (const g of history) {
    if (g.kind !== 'get' || g.status !== 'ok' || g.consistency !== 'linearizable' || g.key === undefined) continue;
    const complete = g.completeTime ?? Infinity;
    let index = 0;
    if (g.found === true) {
      const p = puts.get(`${g.key}\0${g.result ?? ''}`);
      if (p === undefined) {
        out.push(`op${g.id} get ${g.key} read ${g.result}, which nobody wrote`);
        continue;
      }
      if (p.invokeTime > complete) out.push(`op${g.id} get ${g.key} read ${g.result} before op${p.id} wrote it`);
      const pi = putIndex.get(p.requestId);
      if (pi === undefined) {
        out.push(`op${g.id} get ${g.key} read ${g.result}, which was never committed`);
        continue;
      }
      index = pi;
    }
    gets.push({ g, index });
    // A write that finished before the read began, later in the log than what was read.
    for (const w of byKey.get(g.key) ?? []) {
      if (w.index > index && (w.put.completeTime ?? Infinity) < g.invokeTime) {
        out.push(
          `op${g.id} get ${g.key} (invoked t=${g.invokeTime}) read ${g.found === true ? g.result : 'nothing'} (index ${index}), but op${w.put.id} wrote ${w.put.value} at index ${w.index}, done t=${w.put.completeTime}`,
        );
        break;
      }
    }
    if (out.length > 20) return out;
  }
  // Reads of one key never go back in the write order.
  for (const a of gets)
    for (const b of gets)
      if (a.g.key === b.g.key && (a.g.completeTime ?? Infinity) < b.g.invokeTime && b.index < a.index) {
        out.push(`op${b.g.id} get ${b.g.key} read index ${b.index} after op${a.g.id} had read index ${a.index}`);
        if (out.length > 20) return out;
      }
  return out;
}

/** Runs one seed. Sets the mutant for the duration of the run and clears it afterwards. */
export async function runSeed(seed: number, events: number, opts: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const r = createRandom(seed);
  const p = drawProfile(r);
  const config: ClusterConfig = {
    nodes: p.nodes,
    seed,
    runtime: inProcessRuntime,
    raft: {
      preVote: p.preVote,
      checkQuorum: p.checkQuorum,
      readOnlyOption: ReadOnlySafe,
      snapCount: p.snapCount,
      snapshotCatchUpEntries: 5 + (p.snapCount >> 2),
      maxSizePerMsg: p.maxSizePerMsg,
      maxInflightMsgs: p.maxInflightMsgs,
    },
    network: { loss: p.loss, duplication: p.duplication, latency: p.latency, jitter: p.jitter },
    keepEvents: 2000,
    keepClusterEvents: 2000,
    // The fuzzer never seeks: no checkpoints.
    checkpoints: false,
  };
  setMutant(opts.mutant);
  let c: Cluster | undefined;
  const extra: MonitorViolation[] = [];
  let mon: Monitor | undefined;
  let actions = 0;
  let traceHash: string | undefined;
  try {
    c = await Cluster.create(config);
    const cl = c;
    const m = new Monitor(cl);
    mon = m;
    const every = opts.properties ?? 0;
    const rec = every > 0 ? new ClusterModelRecorder(cl) : undefined;
    let n = 0;
    const attempt = async (f: () => Promise<unknown>): Promise<void> => {
      actions++;
      try {
        await f();
      } catch {
        // A refused action (node not running, bad transfer target...) is part of the scenario.
      }
    };
    const ids = (st?: 'alive' | 'crashed') =>
      cl.nodeIds().filter((id) => {
        const s = cl.nodeStatus(id);
        return st === undefined ? s.status !== 'removed' : s.status === st;
      });
    const w = {
      put: 30,
      get: 12,
      crash: p.crashRate,
      restart: p.crashRate * 2,
      /** Crash and restart at once (a process bounce: only the disk survives). */
      bounce: p.crashRate * 2,
      /** Crash the current leader (restarted later by 'restart' or the healing phase). */
      crashLeader: p.crashRate * 2,
      /** A spurious election timeout at a random node. */
      campaign: p.transferRate + 1,
      partition: p.partitionRate,
      cut: p.partitionRate,
      heal: p.partitionRate * 2,
      pause: p.pauseRate,
      resume: p.pauseRate * 2,
      netFaults: 1,
      addNode: p.membershipRate,
      removeNode: p.membershipRate,
      transfer: p.transferRate,
      compact: p.compactRate,
    };
    const memberOps = new Set(['addNode', 'addLearner', 'removeNode', 'promote', 'changeMembership', 'leaveJoint']);
    /** The leader's configuration, when a leader is known and no membership change is in flight (at most one at a time). */
    const membership = async () => {
      for (const o of cl.history)
        // Never two at once, even when the first will stay pending forever: the client
        // credits an applied conf change to the oldest awaited one at that node, so a
        // stale pending removal could be completed (and its node shut down) wrongly.
        if (memberOps.has(o.kind) && o.status === 'pending') return undefined;
      const l = cl.leader();
      if (l === 0) return undefined;
      const cs = (await cl.observeNode(l))?.confState;
      if (cs === undefined || cs.votersOutgoing.length > 0) return undefined;
      return cs;
    };
    const kinds = Object.keys(w) as (keyof typeof w)[];
    const total = kinds.reduce((s, k) => s + w[k], 0);
    const key = () => `k${r.nextInt(6)}`;
    // Nodes the workload or faults may target: running or not, but not removed.
    while (cl.eventCount < events) {
      let x = r.nextInt(total);
      let kind: keyof typeof w = 'put';
      for (const k of kinds) {
        if (x < w[k]) {
          kind = k;
          break;
        }
        x -= w[k];
      }
      const alive = ids('alive');
      switch (kind) {
        case 'put': {
          const node = chance(r, 0.6) && cl.leader() !== 0 ? cl.leader() : pick(r, alive);
          if (node !== undefined) await attempt(() => cl.put(key(), `s${seed}v${n++}`, { node }));
          break;
        }
        case 'get': {
          const node = pick(r, alive);
          if (node !== undefined) await attempt(() => cl.get(key(), { node, linearizable: true }));
          break;
        }
        case 'crash': {
          const node = pick(r, alive);
          if (node !== undefined) await attempt(() => cl.crash(node));
          break;
        }
        case 'bounce': {
          const node = pick(r, alive);
          if (node !== undefined) {
            await attempt(() => cl.crash(node));
            await attempt(() => cl.restart(node));
          }
          break;
        }
        case 'crashLeader': {
          const node = cl.leader();
          if (node !== 0) await attempt(() => cl.crash(node));
          break;
        }
        case 'campaign': {
          const node = pick(r, alive);
          if (node !== undefined) await attempt(() => cl.campaign(node));
          break;
        }
        case 'restart': {
          const node = pick(r, ids('crashed'));
          if (node !== undefined) await attempt(() => cl.restart(node));
          break;
        }
        case 'partition': {
          const all = ids();
          const a = all.filter(() => chance(r, 0.5));
          if (a.length > 0 && a.length < all.length) await attempt(() => cl.partition([a]));
          break;
        }
        case 'cut': {
          const all = ids();
          const a = pick(r, all);
          const b = pick(r, all);
          if (a !== undefined && b !== undefined && a !== b)
            await attempt(() => cl.cut(a, b, { oneWay: chance(r, 0.5) }));
          break;
        }
        case 'heal':
          await attempt(() => cl.heal());
          break;
        case 'pause': {
          const node = pick(
            r,
            alive.filter((id) => !cl.nodeStatus(id).paused),
          );
          if (node !== undefined) await attempt(() => cl.pause(node));
          break;
        }
        case 'resume': {
          const node = pick(
            r,
            alive.filter((id) => cl.nodeStatus(id).paused),
          );
          if (node !== undefined) await attempt(() => cl.resume(node));
          break;
        }
        case 'netFaults':
          await attempt(() =>
            cl.setGlobalFaults({
              loss: chance(r, 0.3) ? 0 : r.nextFloat() * 0.3,
              duplication: chance(r, 0.3) ? 0 : r.nextFloat() * 0.5,
              latency: 1 + r.nextInt(3),
              jitter: r.nextInt(6),
            }),
          );
          break;
        case 'addNode': {
          const cs = await membership();
          if (cs === undefined || cs.voters.length + cs.learners.length >= 7) break;
          const learner = chance(r, 0.3);
          await attempt(() => (learner ? cl.addLearner() : cl.addNode()));
          break;
        }
        case 'removeNode': {
          // Keep at least three voters, so that the healed cluster has a quorum.
          const cs = await membership();
          if (cs === undefined || cs.voters.length <= 3) break;
          const node = pick(r, [...cs.voters, ...cs.learners]);
          if (node !== undefined) await attempt(() => cl.removeNode(node));
          break;
        }
        case 'transfer': {
          const to = pick(r, ids());
          if (to !== undefined && cl.leader() !== 0) await attempt(() => cl.transferLeadership(to));
          break;
        }
        case 'compact': {
          const node = pick(r, alive);
          if (node !== undefined) {
            const applied = cl.nodeStatus(node).applied;
            const idx = Math.max(1, applied - r.nextInt(10));
            await attempt(() => cl.compact(idx, { node }));
          }
          break;
        }
      }
      await attempt(() => cl.advance(1 + r.nextInt(3)));
      if (rec !== undefined && actions % every === 0) await rec.capture();
    }

    // ---- healing: no faults from here on ----
    await attempt(() => cl.heal());
    await attempt(() => cl.setLinkFaults(null, null));
    await attempt(() => cl.setGlobalFaults({ loss: 0, duplication: 0, latency: 1, jitter: 0, hold: false }));
    for (const id of ids()) {
      const s = cl.nodeStatus(id);
      if (s.status === 'crashed') await attempt(() => cl.restart(id));
      else if (s.paused) await attempt(() => cl.resume(id));
    }
    const bound = opts.livenessBound ?? 400;
    const healedAt = cl.time;
    while (cl.leader() === 0 && cl.time - healedAt < bound) await attempt(() => cl.advance(5));
    if (cl.leader() === 0) {
      extra.push({ check: 'liveness', time: cl.time, message: `no leader ${bound} ticks after healing` });
    } else {
      // A write must commit: retried at the current leader until done or out of time.
      const from = cl.time;
      let done = false;
      while (!done && cl.time - from < bound) {
        const leader = cl.leader();
        let h: Awaited<ReturnType<Cluster['put']>> | undefined;
        if (leader !== 0) {
          try {
            h = await cl.put('heal', `s${seed}heal${n++}`, { node: leader });
          } catch {
            h = undefined;
          }
        }
        for (let i = 0; i < 10 && !done; i++) {
          await attempt(() => cl.advance(5));
          done = h?.op.status === 'ok';
        }
      }
      if (!done)
        extra.push({
          check: 'liveness',
          time: cl.time,
          message: `no write committed within ${bound} ticks after healing`,
        });
      else {
        // Convergence: let followers catch up, then equal applied index means equal state.
        for (let i = 0; i < 6; i++) await attempt(() => cl.advance(10));
        const o = await cl.observe();
        const seen = new Map<number, { id: number; kv: string }>();
        for (const nd of o.nodes) {
          const ob = nd.observation;
          if (ob === undefined) continue;
          const kv = JSON.stringify(Object.entries(ob.kv).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
          const prev = seen.get(ob.applied);
          if (prev === undefined) seen.set(ob.applied, { id: nd.id, kv });
          else if (prev.kv !== kv)
            extra.push({
              check: 'state-machine-safety',
              time: cl.time,
              message: `nodes ${prev.id} and ${nd.id} applied up to ${ob.applied} but hold different KV maps`,
            });
        }
      }
    }

    if (rec !== undefined) {
      await rec.capture();
      // Liveness is judged by the healing phase above (F2's liveness property counts
      // lossy-but-connected periods as whole, which this fuzzer's fault mix is not).
      for (const v of allViolations(checkProperties(rec.model).filter((x) => x.property !== 'liveness')))
        extra.push({ check: `properties/${v.property}`, time: v.time, message: v.message });
    }

    // ---- the client history ----
    for (const msg of checkReads(cl.history, m.putIndex))
      extra.push({ check: 'linearizability', time: cl.time, message: msg });
    if (opts.linearizability ?? true) {
      const lin = checkLinearizability(cl.history, { budget: 200_000 });
      if (lin.status === 'violated')
        extra.push({
          check: 'linearizability',
          time: lin.fail?.time ?? cl.time,
          message: lin.fail?.message ?? 'not linearizable',
        });
    }
    traceHash = cl.traceHash();
  } finally {
    setMutant(undefined);
    await c?.dispose().catch(() => undefined);
  }
  const hist = c?.history ?? [];
  return {
    seed,
    events,
    mutant: opts.mutant,
    profile: p,
    violations: [...(mon?.violations ?? []), ...extra],
    time: c?.time ?? 0,
    actions,
    ops: hist.length,
    opsOk: hist.filter((o) => o.status === 'ok').length,
    traceHash: traceHash ?? '',
    ms: performance.now() - started,
  };
}

/** The command that reproduces one seed. */
export function reproCommand(seed: number, events: number, mutant?: string): string {
  return `npm run fuzz -- --seed ${seed} --events ${events}${mutant !== undefined ? ` --mutant ${mutant}` : ''}`;
}

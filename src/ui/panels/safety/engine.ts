// The safety panel's engine: runs the checkers of src/check over the run, off React's
// render path, and hands the panel a plain report.
//
// When: after an observation, at most once per `minIntervalMs` (a playing cluster
// produces observations every frame), in a macrotask, so rendering never waits for
// it. The report is memoized on the observation's (step, trace hash): seeking back to
// a checked step costs nothing. The linearizability search gets a step budget; when it
// runs out the panel says "undecided" rather than freezing the page.
//
// The shapes it hands out are in report.ts; checkers.ts is the only UI module that
// knows the checkers' API.

import { useEffect, useState } from 'react';
import { relinkEvents, type ModelStep } from '../../../check/model';
import { ModelBuilder } from '../../../cluster/check/fromCluster';
import type { ClusterObservation } from '../../../cluster/cluster';
import type { RecordedAction } from '../../../cluster/recorder';
import { controller, getState, raftStore } from '../../store';
import { readTrace } from '../../timeline/runData';
import { runCheckers } from './checkers';
import type { SafetyInput, SafetyReport } from './report';

// ---- the observation log (one per step of the current branch) ----

const observed = new Map<number, ClusterObservation>();
const modelOf = new Map<number, ModelStep>();
/** Entries per node log kept in the model (the newest); bounds memory on long runs. */
const logWindow = 500;
const builder = new ModelBuilder({ logWindow });
let lastBranches = 0;
let lastStep = -1;

function readDisk(id: number) {
  try {
    return controller.cluster?.disk(id);
  } catch {
    return undefined;
  }
}

function record(o: ClusterObservation, branches: number): void {
  // A fork (or a new cluster) replaces everything from the current step on.
  if (branches !== lastBranches)
    for (const s of [...observed.keys()])
      if (s >= o.step) {
        observed.delete(s);
        modelOf.delete(s);
      }
  if (o.step === 0) {
    observed.clear();
    modelOf.clear();
  }
  // Not the successor of the last step recorded (a seek, a fork, a new cluster): the
  // builder's memory of the previous step does not apply.
  if (o.step !== lastStep + 1 || branches !== lastBranches) builder.reset();
  lastBranches = branches;
  lastStep = o.step;
  // The durable logs are read now, from the main thread's disks (the run may have moved
  // on a little since the observation was taken: the disk is never older than it).
  modelOf.set(o.step, builder.add(o, readDisk));
  // Keep only what the per-step checkers read (time and nodes). The client history, log
  // lines, in-flight messages and Ready records grow with the run; holding them for every
  // step made memory grow with steps x history (gigabytes on a 10,000-entry log).
  observed.set(o.step, { ...o, inFlight: [], links: [], history: [], lastCycles: {}, logLines: [], upcoming: [] });
}

/**
 * Observations of steps <= `step` that still belong to the branch (the action behind
 * each has the same time; an import replaces the actions), oldest first.
 */
function observationsUpTo(step: number, actions: readonly RecordedAction[]): ClusterObservation[] {
  return [...observed.entries()]
    .filter(([s, o]) => s <= step && (s === 0 || actions[s - 1]?.time === o.time))
    .sort((a, b) => a[0] - b[0])
    .map(([, o]) => o);
}

/** The model steps of those observations, in order, with crash/restart events re-derived. */
function modelStepsOf(obs: readonly ClusterObservation[]): ModelStep[] {
  const steps: ModelStep[] = [];
  for (const o of obs) {
    const m = modelOf.get(o.step);
    if (m !== undefined && m.time === o.time) steps.push(m);
  }
  return relinkEvents(steps);
}

// ---- scheduling ----

const minIntervalMs = 250;
const linearizabilityBudget = 200_000;
const cache = new Map<string, SafetyReport>();
let current: SafetyReport | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
let lastRun = 0;
const listeners = new Set<() => void>();

function keyOf(o: ClusterObservation): string {
  return `${o.step}:${o.traceHash}`;
}

function compute(): void {
  timer = undefined;
  const s = getState().cluster;
  const o = s.observation;
  if (o === undefined) return;
  const key = keyOf(o);
  let report = cache.get(key);
  if (report === undefined) {
    const t = performance.now();
    const observations = observationsUpTo(o.step, s.actions);
    const electionTick = getState().settings.settings.electionTick;
    const input: SafetyInput = {
      observation: o,
      observations,
      modelSteps: modelStepsOf(observations),
      livenessBound: Math.max(200, 20 * electionTick),
      actions: s.actions,
      history: o.history,
      trace: readTrace(),
      linearizabilityBudget,
    };
    const r = runCheckers(input);
    report = { step: o.step, traceHash: o.traceHash, ...r, elapsedMs: performance.now() - t };
    if (cache.size > 200) cache.clear();
    cache.set(key, report);
  }
  lastRun = performance.now();
  current = report;
  for (const l of listeners) l();
}

function schedule(): void {
  if (timer !== undefined) return;
  const wait = Math.max(0, minIntervalMs - (performance.now() - lastRun));
  timer = setTimeout(compute, wait);
}

let installed = false;
/** The observation recorded last (closing a script shows it again: nothing to record). */
let lastFed: ClusterObservation | undefined;
function install(): void {
  if (installed) return;
  installed = true;
  const feed = () => {
    const c = getState().cluster;
    if (c.observation === undefined) return;
    lastFed = c.observation;
    record(c.observation, c.branches);
    if (listeners.size > 0) schedule();
  };
  feed();
  raftStore.subscribe((st, prev) => {
    // While an etcd script is shown, the observations are the script's, not the run's;
    // closing it shows again the observation last recorded.
    const o = st.cluster.observation;
    if (o !== prev.cluster.observation && !st.script.active && o !== lastFed) feed();
  });
}
install();

/** The latest safety report (undefined until the first one is computed). */
export function useSafetyReport(): SafetyReport | undefined {
  const [r, setR] = useState(current);
  useEffect(() => {
    const l = () => setR(current);
    listeners.add(l);
    schedule();
    return () => {
      listeners.delete(l);
    };
  }, []);
  return r;
}

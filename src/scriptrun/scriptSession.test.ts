// ScriptSession against etcd's own interaction files (read in place from ../shared, as
// the conformance suite does) and Raftlab's scripts in test/scripts: played command by
// command, every output equals etcd's; a seek back equals the straight run; a fork
// replaces the tail and keeps it as a branch; a refused command changes nothing.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { HarnessRun } from './harnessRun';
import { parseScript, ScriptError } from './scriptFile';
import { ScriptSession } from './scriptSession';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const etcdDir = resolve(repoRoot, '../shared/anchors/etcd-raft-testdata/testdata');
const ownDir = resolve(repoRoot, 'test/scripts');

function txtFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort();
}

function openFile(dir: string, file: string): ScriptSession {
  return ScriptSession.open(readFileSync(join(dir, file), 'utf8'), file);
}

/** Plays the whole session with next(), checking each command's output as it runs. */
function playAndCheck(s: ScriptSession): void {
  expect(s.currentStep).toBe(0);
  for (let k = 0; k < s.total; k++) {
    expect(s.next()).toBe(true);
    expect(s.currentStep).toBe(k + 1);
    const obs = s.observe();
    expect(obs.step).toBe(k + 1);
    expect(s.lastOutput(), `${s.commands[k]!.td.pos}: ${s.commands[k]!.td.directive}`).toBe(s.expected(k));
    expect(s.actual(k)).toBe(s.expected(k));
  }
  expect(s.next()).toBe(false);
  const sum = s.summary();
  expect(sum.differing).toEqual([]);
  expect(sum.matched).toBe(s.total);
}

const haveEtcd = existsSync(etcdDir);
if (!haveEtcd) {
  if (process.env.CI === 'true') {
    test('etcd interaction files (../shared/anchors/etcd-raft-testdata/testdata)', () => {
      throw new Error(`${etcdDir} not found: under CI the etcd files must be present`);
    });
  } else {
    console.log(`ScriptSession etcd tests skipped: ${etcdDir} not found.`);
    test.skip('etcd interaction files through ScriptSession (../shared not found)', () => {});
  }
} else {
  describe('ScriptSession plays every etcd interaction file step by step', () => {
    const files = txtFiles(etcdDir);
    test('there are etcd files', () => expect(files.length).toBeGreaterThanOrEqual(28));
    for (const file of files) test(file, () => playAndCheck(openFile(etcdDir, file)));
  });

  describe('ScriptSession seek and fork', () => {
    test('seeking back to any step gives the observation of the straight run', () => {
      for (const file of ['async_storage_writes.txt', 'probe_and_replicate.txt', 'snapshot_succeed_via_app_resp.txt']) {
        const s = openFile(etcdDir, file);
        const straight = [s.observe()];
        while (s.next()) straight.push(s.observe());
        expect(straight.some((o) => o.inFlight.length > 0)).toBe(true);
        for (let k = s.total; k >= 0; k -= 3) {
          s.seek(k);
          expect(s.currentStep).toBe(k);
          expect(s.observe(), `${file} step ${k}`).toEqual(straight[k]);
        }
        // Forward again from the start, in jumps.
        s.seek(0);
        s.seek(Math.floor(s.total / 2));
        expect(s.observe()).toEqual(straight[Math.floor(s.total / 2)]);
      }
    });

    test('message ids are stable within the session and follow the queue', () => {
      const s = openFile(etcdDir, 'probe_and_replicate.txt');
      let seen = new Map<number, string>();
      while (s.next()) {
        const o = s.observe();
        const ids = o.inFlight.map((e) => e.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.every((id) => id > 0)).toBe(true);
        // A message still queued keeps its id (same sender, recipient and type).
        const now = new Map(o.inFlight.map((e) => [e.id, `${e.from}>${e.to}:${e.msg.type}`]));
        for (const [id, what] of now) if (seen.has(id)) expect(seen.get(id)).toBe(what);
        seen = now;
      }
    });

    test('a fork replaces the tail, keeps it as a branch, and can be undone', () => {
      const s = openFile(etcdDir, 'prevote.txt');
      const total = s.total;
      const k = 4;
      s.seek(k);
      const cutTail = s.commands.slice(k).map((c) => c.td.directive);
      s.fork('stabilize');
      expect(s.total).toBe(k + 1);
      expect(s.currentStep).toBe(k + 1);
      expect(s.commands[k]!.origin).toBe('user');
      expect(s.expected(k)).toBeUndefined();
      expect(s.match(k)).toBeUndefined();
      expect(s.branches).toHaveLength(1);
      expect(s.branches[0]!.at).toBe(k);
      expect(s.branches[0]!.commands.map((c) => c.td.directive)).toEqual(cutTail);

      // The state is the harness after the first k script commands, then stabilize.
      const ref = new HarnessRun();
      for (const td of parseScript(readFileSync(join(etcdDir, 'prevote.txt'), 'utf8'), 'prevote.txt').slice(0, k))
        ref.apply(td);
      const refOut = ref.apply({ ...s.commands[k]!.td });
      expect(s.actual(k)).toBe(refOut);
      expect(s.observe()).toEqual(ref.observe());

      // Acting at the end appends; no new branch.
      s.fork('raft-state');
      expect(s.total).toBe(k + 2);
      expect(s.branches).toHaveLength(1);

      // Restoring the script's tail: everything matches again, the typed commands become a branch.
      s.restoreBranch(0);
      expect(s.total).toBe(total);
      expect(s.currentStep).toBe(k);
      expect(s.summary().matched).toBe(total);
      expect(s.branches).toHaveLength(1);
      expect(s.branches[0]!.commands.map((c) => c.td.directive)).toEqual(['stabilize', 'raft-state']);
      playAndCheckFrom(s, k);
    });
  });
}

/** Steps from step `from` to the end, checking each scripted command's output. */
function playAndCheckFrom(s: ScriptSession, from: number): void {
  for (let k = from; k < s.total; k++) {
    s.next();
    expect(s.lastOutput()).toBe(s.expected(k));
  }
}

describe("ScriptSession plays Raftlab's own scripts (test/scripts)", () => {
  for (const file of txtFiles(ownDir)) test(file, () => playAndCheck(openFile(ownDir, file)));
});

describe('ScriptSession refuses bad commands and leaves the session unchanged', () => {
  const script = ['add-nodes 3 voters=(1,2,3) index=2', '----', 'x', '', 'campaign 1', '----', 'x', ''].join('\n');

  test('an output that differs from the expected one is shown, not refused', () => {
    const s = ScriptSession.open(script, 'mine.txt');
    expect(s.total).toBe(2);
    expect(s.summary()).toEqual({ scripted: 2, matched: 0, differing: [0, 1] });
    expect(s.actual(1)).toContain('became candidate at term 1');
  });

  for (const [line, says] of [
    ['bogus 1', 'unknown command "bogus"'],
    ['propose 1', 'propose 1: the harness stops on this command'],
    ['campaign (1', "unbalanced '('"],
    ['deliver-msgs type=MsgNope', 'unknown message type MsgNope'],
    ['   ', 'Type a harness command'],
  ] as const) {
    test(`fork "${line}"`, () => {
      const s = ScriptSession.open(script, 'mine.txt');
      s.seek(1);
      const before = s.observe();
      expect(() => s.fork(line)).toThrow(ScriptError);
      expect(() => s.fork(line)).toThrow(says);
      expect(s.currentStep).toBe(1);
      expect(s.total).toBe(2);
      expect(s.branches).toHaveLength(0);
      expect(s.observe()).toEqual(before);
    });
  }

  test('a typed propose-conf-change takes its operations after ";"', () => {
    const s = ScriptSession.open(script, 'mine.txt');
    s.seek(2);
    s.fork('stabilize');
    s.fork('propose-conf-change 1 transition=explicit; v4');
    expect(s.actual(3)).toBe('ok\n');
    s.fork('process-ready 1');
    expect(s.actual(4)).toContain('EntryConfChangeV2 v4');
  });
});

// A ScriptSession plays an etcd interaction script through the harness one command at
// a time, for the UI's script mode (and for tests, in Node).
//
// - Opening parses the file (scriptFile.ts) and runs it once to its end: that gives
//   every command's actual output (compared with the file's expected output) and
//   refuses, naming the line, a script the harness stops on. Nothing of a refused
//   script is kept. The session then stands before the first command.
// - Step k means "k commands applied". Moving forward applies the next commands to the
//   live run; moving back rebuilds the harness and replays commands 0..k-1 (the harness
//   is deterministic, so this is the same state; scripts are short).
// - Forking at step k runs a command the user typed there: the script's tail from k on
//   is cut off and kept as a branch (as the recorder keeps the tail of a forked run),
//   and the typed command becomes command k. A branch can be restored later.
//
// A command typed by the user has no expected output: its `match` is undefined.

import type { ClusterObservation } from '../cluster/cluster';
import type { DiskState } from '../cluster/protocol';
import type { TestData } from '../interaction/datadriven';
import { HarnessRun } from './harnessRun';
import { ScriptError, parseCommandLine, parseScript } from './scriptFile';

/** One command of the session and what it printed when run in its place. */
export interface ScriptCommand {
  td: TestData;
  /** 'script': read from the file (it has an expected output); 'user': typed at a fork. */
  origin: 'script' | 'user';
  /** The output the harness printed (normalised as datadriven compares it). */
  actual: string;
}

/** A tail of commands cut off by a fork at step `at`. */
export interface ScriptBranch {
  at: number;
  commands: readonly ScriptCommand[];
}

export interface ScriptSummary {
  /** Commands read from the file that are still in the session. */
  scripted: number;
  /** Of those, the ones whose actual output equals the expected one. */
  matched: number;
  /** Indices (0-based) of the scripted commands that differ. */
  differing: number[];
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs `tds` from a fresh harness and returns the run (after all of them) and each
 * output. A command that makes the harness stop becomes a ScriptError naming its line.
 */
function runAll(tds: readonly TestData[]): { run: HarnessRun; outputs: string[] } {
  const run = new HarnessRun();
  const outputs: string[] = [];
  for (const td of tds) outputs.push(applyChecked(run, td));
  return { run, outputs };
}

function applyChecked(run: HarnessRun, td: TestData): string {
  try {
    return run.apply(td);
  } catch (e) {
    const msg = errorText(e);
    const why = msg.startsWith(`${td.pos}: `) ? msg.slice(td.pos.length + 2) : msg;
    throw new ScriptError(`${td.pos}: ${td.directive}: the harness stops on this command: ${why}`);
  }
}

export class ScriptSession {
  private cmds: ScriptCommand[];
  private live: HarnessRun;
  private readonly cut: ScriptBranch[] = [];

  private constructor(
    readonly name: string,
    cmds: ScriptCommand[],
  ) {
    this.cmds = cmds;
    this.live = new HarnessRun();
  }

  /** Opens a script's text; throws ScriptError (with the file and line) when it cannot be played. */
  static open(text: string, name: string): ScriptSession {
    const tds = parseScript(text, name);
    const { outputs } = runAll(tds);
    return new ScriptSession(
      name,
      tds.map((td, i) => ({ td, origin: 'script', actual: outputs[i]! })),
    );
  }

  /** Number of commands. */
  get total(): number {
    return this.cmds.length;
  }

  /** Commands applied (0 = before the first). */
  get currentStep(): number {
    return this.live.step;
  }

  get commands(): readonly ScriptCommand[] {
    return this.cmds;
  }

  get branches(): readonly ScriptBranch[] {
    return this.cut;
  }

  /** Command k's actual output (0-based). */
  actual(k: number): string | undefined {
    return this.cmds[k]?.actual;
  }

  /** Command k's expected output; undefined for a command the user typed. */
  expected(k: number): string | undefined {
    const c = this.cmds[k];
    return c?.origin === 'script' ? c.td.expected : undefined;
  }

  /** What the command just applied printed in this run (undefined at step 0). */
  lastOutput(): string | undefined {
    return this.live.outputs[this.live.step - 1];
  }

  /** Whether command k printed what the file expects (undefined: a typed command, nothing expected). */
  match(k: number): boolean | undefined {
    const e = this.expected(k);
    return e === undefined ? undefined : this.cmds[k]!.actual === e;
  }

  summary(): ScriptSummary {
    let scripted = 0;
    let matched = 0;
    const differing: number[] = [];
    this.cmds.forEach((c, i) => {
      if (c.origin !== 'script') return;
      scripted++;
      if (this.match(i)) matched++;
      else differing.push(i);
    });
    return { scripted, matched, differing };
  }

  /** Moves to step k (clamped to 0..total): forward by applying, back by replaying from the start. */
  seek(k: number): void {
    const target = Math.max(0, Math.min(this.cmds.length, Math.trunc(k)));
    if (target < this.live.step) this.live = new HarnessRun();
    while (this.live.step < target) this.live.apply(this.cmds[this.live.step]!.td);
  }

  next(): boolean {
    if (this.live.step >= this.cmds.length) return false;
    this.seek(this.live.step + 1);
    return true;
  }

  back(): boolean {
    if (this.live.step === 0) return false;
    this.seek(this.live.step - 1);
    return true;
  }

  /**
   * Runs a typed command at the current step k: the commands from k on are kept as a
   * branch and the typed one takes their place (the session is then at step k + 1).
   * A command that cannot be parsed or that stops the harness throws ScriptError and
   * changes nothing.
   */
  fork(line: string): void {
    const k = this.live.step;
    const td = parseCommandLine(line);
    let actual: string;
    try {
      actual = applyChecked(this.live, td);
    } catch (e) {
      // The failed command may have changed the harness half-way: rebuild step k.
      this.live = new HarnessRun();
      this.seek(k);
      throw e;
    }
    const tail = this.cmds.splice(k);
    if (tail.length > 0) this.cut.push({ at: k, commands: tail });
    this.cmds.push({ td, origin: 'user', actual });
  }

  /**
   * Puts branch i back: the commands from its fork point on become a branch in turn,
   * and the session stands at the fork point. The restored commands are run again
   * after the current prefix (it may differ from the one they were cut from); if the
   * harness stops on one, nothing changes.
   */
  restoreBranch(i: number): void {
    const b = this.cut[i];
    if (b === undefined) throw new ScriptError(`there is no branch ${i + 1}`);
    if (b.at > this.cmds.length)
      throw new ScriptError(`branch ${i + 1} was cut at command ${b.at + 1}, beyond the ${this.cmds.length} commands`);
    const tds = [...this.cmds.slice(0, b.at), ...b.commands].map((c) => c.td);
    const { outputs } = runAll(tds);
    const restored = b.commands.map((c, j) => ({ ...c, actual: outputs[b.at + j]! }));
    const tail = this.cmds.splice(b.at, this.cmds.length - b.at, ...restored);
    this.cut.splice(i, 1);
    if (tail.length > 0) this.cut.push({ at: b.at, commands: tail });
    this.live = new HarnessRun();
    this.seek(b.at);
  }

  /** The harness at the current step, as the UI renders a cluster. */
  observe(): ClusterObservation {
    return this.live.observe();
  }

  /** A node's storage at the current step (for the log strip). */
  disk(id: number): DiskState | undefined {
    return this.live.disk(id);
  }
}

// InteractionEnv: a little cluster of RawNodes driven command by command from a
// data-driven script (etcd's rafttest.InteractionEnv). Nothing happens on its own:
// messages sit in env.messages until a command delivers them, Readies are
// processed only when asked, and in async-storage-writes mode the storage "threads"
// run only when asked. Every step prints what it did into env.output.

import { RaftError } from '../../raft/errors';
import type { Config } from '../../raft/raft';
import type { RawNode } from '../../raft/rawNode';
import type { Message, Snapshot } from '../../raft/raftpb/types';
import { MemoryStorage } from '../../raft/storage';
import type { Ready } from '../../raft/types';
import type { TestData } from '../datadriven';
import { RedirectLogger } from './logger';

/** An error a command returns (etcd: a handler's error result): printed as the case's output. */
export class HarnessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessError';
  }
}

/** A broken script or harness bug (etcd: t.Fatal): aborts the file. */
export class HarnessFatal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessFatal';
  }
}

/**
 * A MemoryStorage whose snapshot() is the node's latest state-machine snapshot
 * (the last entry of its history) rather than what MemoryStorage holds.
 */
export class SnapOverrideStorage extends MemoryStorage {
  snapshotOverride: (() => Snapshot) | undefined;

  override snapshot(): Snapshot {
    if (this.snapshotOverride !== undefined) return this.snapshotOverride();
    return super.snapshot();
  }
}

/** One node of the environment. Its id is its position in env.nodes plus one. */
export interface InteractionNode {
  rawNode: RawNode;
  storage: SnapOverrideStorage;
  config: Config;
  /** Pending MsgStorageAppend messages (async storage writes only), oldest first. */
  appendWork: Message[];
  /** Pending MsgStorageApply messages (async storage writes only), oldest first. */
  applyWork: Message[];
  /**
   * The "appender" state machine's snapshots: history[0] is the initial state, and
   * each applied entry adds one (data = previous data + the entry's payload).
   */
  history: Snapshot[];
}

export interface InteractionOpts {
  /** Called on each node's Config before its RawNode is made; must not change the id. */
  onConfig?: (cfg: Config) => void;
  /** Test hook pinning a node's randomized election timeout (etcd: raft.SetRandomizedElectionTimeout). */
  setRandomizedElectionTimeout?: (rn: RawNode, timeout: number) => void;
  /** Seed of the per-node random sources (node id is mixed in). Default 1. */
  seed?: number;
  /**
   * Raftlab addition: called with every Ready a node takes (process-ready, stabilize),
   * before it is handled, so a viewer (the UI's script mode) can show it. Must not
   * change anything.
   */
  onReady?: (node: InteractionNode, rd: Ready) => void;
}

export type Handler = (env: InteractionEnv, td: TestData) => void;

export class InteractionEnv {
  readonly options: InteractionOpts;
  nodes: InteractionNode[] = [];
  /** In-flight messages, in the order they were sent. */
  messages: Message[] = [];
  readonly output = new RedirectLogger();

  constructor(options: InteractionOpts = {}) {
    this.options = options;
  }

  /** Runs f, then adds everything it printed to the previous output, each line indented by two spaces. */
  withIndent(f: () => void): void {
    const orig = this.output.buf;
    this.output.buf = '';
    try {
      f();
    } finally {
      const inner = this.output.buf;
      this.output.buf = orig + indentLines(inner);
    }
  }

  /**
   * Runs one command and returns its output: what it printed, "ok" if nothing,
   * with a returned error's text appended (or alone, at log level NONE).
   */
  handle(td: TestData, handlers: ReadonlyMap<string, Handler>): string {
    this.output.reset();
    let err: Error | undefined;
    try {
      const h = handlers.get(td.cmd);
      if (h === undefined) throw new HarnessError('unknown command');
      h(this, td);
    } catch (e) {
      if (e instanceof HarnessError || e instanceof RaftError) err = e;
      else throw e;
    }
    if (err !== undefined) {
      if (this.output.quiet()) return err.message;
      this.output.write(err.message);
    }
    if (this.output.len() === 0) return 'ok';
    return this.output.buf;
  }
}

/**
 * Go's bufio.Scanner line split followed by "  " + line + "\n" for each line: a
 * final line without newline still gets one; a trailing "\r" is dropped from lines.
 */
export function indentLines(s: string): string {
  if (s === '') return '';
  const lines = s.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let out = '';
  for (let line of lines) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    out += '  ' + line + '\n';
  }
  return out;
}

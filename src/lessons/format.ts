// What a parsed lesson is. A lesson file (files/<id>.txt) is a data-driven script in
// the harness's format (see parse.ts and README "Lessons"): a header case with the
// cluster's config and the lesson's title, then steps, each optionally preceded by an
// ask. Everything here is plain data; parse.ts builds it, runner.ts and check.ts use it.

import type { CmdArg } from '../interaction/datadriven';

/** Where a line came from, for errors: "files/figure-8.txt:12". */
export type Pos = string;

/** One cluster action of a step's setup, as written (resolved against the live cluster when run). */
export interface Command {
  pos: Pos;
  cmd: string;
  args: CmdArg[];
  /** The line as written, for messages. */
  text: string;
}

/** One comparison of a predicate: key=want or key!=want. */
export interface Check {
  key: string;
  /** '=' equal, '!' not equal, '<' at most, '>' at least (written =, !=, <=, >=). */
  op: '=' | '!' | '<' | '>';
  /** The wanted value as written ("3", "leader", "(1,2,3)" split into parts). */
  want: string[];
}

/** What a predicate is about. */
export type Subject = 'cluster' | 'node' | 'progress' | 'entry' | 'msg' | 'op';

/** A fact about the cluster: `expect` lines and the conditions of an ask's choices. */
export interface Predicate {
  pos: Pos;
  subject: Subject;
  /** node=N or node=(1,2,3) (node: each must hold), node=N (progress), peer=P, entry=I, msg=Type, op=last|N. */
  nodes: number[];
  node: number;
  peer: number;
  index: number;
  /** Message type name or "any"; op: "last" or the op id. */
  name: string;
  checks: Check[];
  text: string;
}

/** Something the player points at once the step has run. */
export interface Highlight {
  pos: Pos;
  kind: 'node' | 'entry' | 'field' | 'peer' | 'msg';
  node: number;
  /** entry: log index; peer: the follower's id. */
  value: number;
  /** field: the node panel field (term, commit...); msg: the selector predicate. */
  field: string;
  msg: Predicate | undefined;
}

export interface Choice {
  pos: Pos;
  label: string;
  when: Predicate;
}

/** A predict pause: asked before its step's setup runs, answered from the state after it. */
export interface Ask {
  pos: Pos;
  question: string;
  choices: Choice[];
  /** Shown once answered; may use {answer}. */
  explanation: string;
}

export interface Step {
  pos: Pos;
  /** Index of the part (cluster) the step runs on. */
  part: number;
  title: string;
  setup: Command[];
  expects: Predicate[];
  highlights: Highlight[];
  narration: string;
  ask: Ask | undefined;
}

/** The cluster a lesson runs on (a ClusterConfig without its runtime). */
export interface LessonConfig {
  nodes: number;
  seed: number;
  preVote: boolean;
  checkQuorum: boolean;
  electionTick: number;
  heartbeatTick: number;
  maxInflightMsgs: number;
  /** Bytes of entries per MsgApp (at least one entry is always sent). */
  maxSizePerMsg: number;
  snapCount: number;
  snapshotCatchUpEntries: number;
  readOnly: 'safe' | 'lease';
  mode: 'manual' | 'play';
}

/**
 * A stretch of the lesson on one cluster. Most lessons have one part; a `part`
 * directive starts a fresh cluster with other settings (PreVote on, then off...).
 */
export interface Part {
  pos: Pos;
  title: string;
  config: LessonConfig;
  /** Actions run on the fresh cluster before the part's first step. */
  prologue: Command[];
}

export interface Lesson {
  /** The file name without extension (the URL's ?lesson=). */
  id: string;
  file: string;
  /** Position in the lesson index (the number after `lesson`). */
  order: number;
  title: string;
  /** What it teaches, one or two sentences. */
  summary: string;
  parts: Part[];
  steps: Step[];
}

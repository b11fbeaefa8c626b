// The harness's logger: raft's log lines and the handlers' own output go into one
// text buffer, which becomes a test case's output. Lines are "LEVEL text".
//
// The buffer can be swapped out (InteractionEnv.withIndent does so to indent
// everything printed by a nested step, raft's log lines included).

import { RaftPanic } from '../../raft/errors';
import type { Logger } from '../../raft/logger';

/** etcd's level names, in order; index = numeric level. */
export const lvlNames = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'NONE'] as const;

export const LvlDebug = 0;
export const LvlInfo = 1;
export const LvlWarn = 2;
export const LvlError = 3;
export const LvlFatal = 4;
export const LvlNone = 5;

export class RedirectLogger implements Logger {
  /** The text written so far (since the last reset or buffer swap). */
  buf = '';
  /** Lines of this level or above are written; LvlNone silences everything. */
  lvl = LvlDebug;

  private printf(lvl: number, msg: string): void {
    if (this.lvl <= lvl) {
      this.write(`${lvlNames[lvl]!} ${msg}`);
      if (msg.length > 0 && !msg.endsWith('\n')) this.write('\n');
    }
  }

  debug(msg: string): void {
    this.printf(LvlDebug, msg);
  }
  info(msg: string): void {
    this.printf(LvlInfo, msg);
  }
  warning(msg: string): void {
    this.printf(LvlWarn, msg);
  }
  error(msg: string): void {
    this.printf(LvlError, msg);
  }
  fatal(msg: string): never {
    this.printf(LvlFatal, msg);
    throw new RaftPanic(msg);
  }
  panic(msg: string): never {
    this.printf(LvlFatal, msg);
    throw new RaftPanic(msg);
  }

  /** True at level NONE: nothing at all is written, not even the handlers' output. */
  quiet(): boolean {
    return this.lvl === LvlNone;
  }

  /** Appends text unless quiet. */
  write(s: string): void {
    if (this.quiet()) return;
    this.buf += s;
  }

  reset(): void {
    this.buf = '';
  }

  len(): number {
    return this.buf.length;
  }
}

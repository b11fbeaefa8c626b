// Logging without I/O: the library hands finished lines to a Logger the host supplies.
//
// differs from etcd: etcd's Logger takes printf-style formats; ours takes finished
// strings (callers use template literals, ids in hex via `id.toString(16)` where etcd
// prints %x). fatal and panic throw RaftPanic after logging: the library never exits.

import { RaftPanic } from './errors';

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warning(msg: string): void;
  error(msg: string): void;
  /** Logs and throws RaftPanic. */
  fatal(msg: string): never;
  /** Logs and throws RaftPanic. */
  panic(msg: string): never;
}

/** Levels in etcd's order; a logger prints a line when its level is >= the threshold. */
export const LogLevel = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3, FATAL: 4, NONE: 5 } as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];
export const logLevelNames: readonly string[] = Object.keys(LogLevel);

/** A Logger that passes each line, with its level, to a sink (the host decides where lines go). */
export class SinkLogger implements Logger {
  constructor(
    private readonly sink: (level: LogLevel, msg: string) => void,
    public threshold: LogLevel = LogLevel.INFO,
  ) {}
  debug(msg: string): void {
    if (this.threshold <= LogLevel.DEBUG) this.sink(LogLevel.DEBUG, msg);
  }
  info(msg: string): void {
    if (this.threshold <= LogLevel.INFO) this.sink(LogLevel.INFO, msg);
  }
  warning(msg: string): void {
    if (this.threshold <= LogLevel.WARN) this.sink(LogLevel.WARN, msg);
  }
  error(msg: string): void {
    if (this.threshold <= LogLevel.ERROR) this.sink(LogLevel.ERROR, msg);
  }
  fatal(msg: string): never {
    if (this.threshold <= LogLevel.FATAL) this.sink(LogLevel.FATAL, msg);
    throw new RaftPanic(msg);
  }
  panic(msg: string): never {
    if (this.threshold <= LogLevel.FATAL) this.sink(LogLevel.FATAL, msg);
    throw new RaftPanic(msg);
  }
}

/** A Logger that drops everything except fatal/panic, which still throw. The default. */
export const discardLogger: Logger = new SinkLogger(() => {}, LogLevel.NONE);

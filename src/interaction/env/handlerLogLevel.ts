// log-level L: DEBUG, INFO, WARN, ERROR, FATAL or NONE (case-insensitive).

import type { TestData } from '../datadriven';
import { HarnessError, HarnessFatal, type InteractionEnv } from './interactionEnv';
import { lvlNames } from './logger';

export function handleLogLevel(env: InteractionEnv, td: TestData): void {
  const a = td.cmdArgs[0];
  if (a === undefined) throw new HarnessFatal(`${td.pos}: log-level: missing level`);
  logLevel(env, a.key);
}

export function logLevel(env: InteractionEnv, name: string): void {
  const i = lvlNames.findIndex((s) => s.toLowerCase() === name.toLowerCase());
  if (i < 0) throw new HarnessError(`log levels must be either of [${lvlNames.join(' ')}]`);
  env.output.lvl = i;
}

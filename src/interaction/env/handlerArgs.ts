// The argument helpers the command handlers share: etcd's datadriven scanning of a
// directive's arguments, with Go's strconv error texts (a bad argument is a broken
// script: HarnessFatal).

import type { TestData } from '../datadriven';
import { HarnessFatal } from './interactionEnv';

/** Go's strconv.Atoi on a directive token; a bad token is a broken script. */
export function atoi(td: TestData, s: string): number {
  if (!/^[+-]?\d+$/.test(s))
    throw new HarnessFatal(`${td.pos}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  return Number(s);
}

/** The first argument as an integer. */
export function firstAsInt(td: TestData): number {
  const a = td.cmdArgs[0];
  if (a === undefined) throw new HarnessFatal(`${td.pos}: ${td.cmd}: missing argument`);
  return atoi(td, a.key);
}

/** The first argument as a node index (id - 1). */
export function firstAsNodeIdx(td: TestData): number {
  return firstAsInt(td) - 1;
}

/** Every value-less argument as a node index (id - 1), in order; key=value arguments are skipped. */
export function nodeIdxs(td: TestData): number[] {
  const out: number[] = [];
  for (const a of td.cmdArgs) {
    if (a.vals.length !== 0) continue;
    out.push(atoi(td, a.key) - 1);
  }
  return out;
}

/** Go's strconv.ParseUint(s, 10, 64) for datadriven's Scan into a uint64. */
export function scanUint(td: TestData, key: string, s: string): number {
  if (!/^\d+$/.test(s))
    throw new HarnessFatal(`${td.pos}: ${key}: strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new HarnessFatal(`${td.pos}: ${key}: value out of range: ${s}`);
  return n;
}

/** Go's strconv.ParseBool as datadriven's Scan into a bool uses it. */
export function parseGoBool(s: string): boolean | undefined {
  switch (s) {
    case '1':
    case 't':
    case 'T':
    case 'true':
    case 'TRUE':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'false':
    case 'FALSE':
    case 'False':
      return false;
  }
  return undefined;
}

export function scanBool(td: TestData, key: string, s: string): boolean {
  const b = parseGoBool(s);
  if (b === undefined)
    throw new HarnessFatal(`${td.pos}: ${key}: strconv.ParseBool: parsing ${JSON.stringify(s)}: invalid syntax`);
  return b;
}

/** datadriven's ScanArgs: the single value of key as an unsigned integer; missing is a broken script. */
export function scanArgUint(td: TestData, key: string): number {
  const a = td.cmdArgs.find((x) => x.key === key);
  if (a === undefined) throw new HarnessFatal(`${td.pos}: missing argument: ${key}`);
  const v = a.vals[0];
  if (v === undefined || a.vals.length !== 1) throw new HarnessFatal(`${td.pos}: ${key}: expected exactly one value`);
  return scanUint(td, key, v);
}

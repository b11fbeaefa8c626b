// Runs data-driven files against their drivers and compares with the expected output.
// Used by the `npm run datadriven` CLI and by the conformance test suite.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { parseDataDriven, type TestData } from './datadriven';
import type { DriverFactory } from './driver';
import { newQuorumDriver } from './quorumDriver';
import { newConfChangeDriver } from './confchangeDriver';
import { newInteractionDriver } from './env/interactionDriver';

/** Picks the driver by the file's folder, as etcd's three test packages do. */
export function driverFor(path: string): DriverFactory {
  const norm = path.split(sep).join('/');
  if (/(^|\/)quorum\/testdata\//.test(norm)) return newQuorumDriver;
  if (/(^|\/)confchange\/testdata\//.test(norm)) return newConfChangeDriver;
  return newInteractionDriver;
}

export interface CaseResult {
  td: TestData;
  actual: string;
  ok: boolean;
}

export interface FileResult {
  path: string;
  ok: boolean;
  cases: CaseResult[];
  /** Set when the file could not be parsed or a driver threw. */
  error?: string;
}

/** Adds the trailing newline datadriven adds before comparing. */
export function normalizeOutput(s: string): string {
  return s === '' || s.endsWith('\n') ? s : s + '\n';
}

export function runFile(path: string, factory: DriverFactory = driverFor(path)): FileResult {
  let cases: TestData[];
  try {
    cases = parseDataDriven(readFileSync(path, 'utf8'), path);
  } catch (e) {
    return { path, ok: false, cases: [], error: String(e instanceof Error ? e.message : e) };
  }
  const driver = factory();
  const results: CaseResult[] = [];
  for (const td of cases) {
    let actual: string;
    try {
      actual = normalizeOutput(driver.run(td));
    } catch (e) {
      const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
      results.push({ td, actual: `<exception> ${msg}\n`, ok: false });
      return { path, ok: false, cases: results, error: `${td.pos}: ${td.directive}: threw: ${msg}` };
    }
    results.push({ td, actual, ok: actual === td.expected });
  }
  return { path, ok: results.every((r) => r.ok), cases: results };
}

/** Expands files and directories (recursively) into the sorted list of .txt files. */
export function collectFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(join(p, name));
    } else if (p.endsWith('.txt')) {
      out.push(p);
    }
  };
  for (const p of paths) walk(p);
  return out;
}

/** A readable line diff of expected vs actual (unified-style, whole case). */
export function diffCase(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  // Longest common subsequence on lines; cases are small (hundreds of lines at most).
  const n = e.length;
  const m = a.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = e[i] === a[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && e[i] === a[j]) {
      out.push(`  ${e[i]}`);
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push(`+ ${a[j]}`);
      j++;
    } else {
      out.push(`- ${e[i]}`);
      i++;
    }
  }
  return out.join('\n');
}

/** The file's text with every case's expected output replaced by the actual one. */
export function rewriteFile(path: string, result: FileResult): string {
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: string[] = [];
  let li = 0;
  for (const c of result.cases) {
    // copy up to and including the "----" line that follows the directive
    while (li < c.td.line - 1) out.push(lines[li++]!);
    while (lines[li] !== '----') out.push(lines[li++]!);
    out.push(lines[li++]!);
    // skip the old expected block
    while (li < lines.length && lines[li] !== '') li++;
    out.push(...c.actual.replace(/\n$/, '').split('\n'));
  }
  while (li < lines.length) out.push(lines[li++]!);
  return out.join('\n');
}

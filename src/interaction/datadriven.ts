// A reader for the data-driven test format of cockroachdb/datadriven, which etcd
// raft's tests use (and Raftlab's own scripts and lessons too).
//
// A file is a sequence of test cases:
//   # comment lines (and blank lines) between cases are skipped
//   directive line:  cmd arg key=val key=(v1,v2) key=(nested(x),y)
//   optional input lines
//   ----
//   expected output, up to the first blank line
//
// Only the subset that etcd's files use is accepted; anything else is reported with
// its file and line rather than guessed at.

/** One argument of a directive: `key`, `key=val` or `key=(v1,v2,...)`. */
export interface CmdArg {
  key: string;
  vals: string[];
}

export interface TestData {
  /** "file:line" of the directive. */
  pos: string;
  /** 1-based line of the directive. */
  line: number;
  cmd: string;
  cmdArgs: CmdArg[];
  /** The input lines between the directive and "----", joined by "\n". */
  input: string;
  /** The expected output, each line ending in "\n" (empty string when none). */
  expected: string;
  /** The raw directive line, for messages and --rewrite. */
  directive: string;
}

export class DataDrivenParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDrivenParseError';
  }
}

/** Splits a directive line into whitespace-separated tokens, keeping parenthesised groups whole. */
export function tokenize(line: string, pos: string): string[] {
  const tokens: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of line) {
    if (ch === '(') depth++;
    if (ch === ')') {
      depth--;
      if (depth < 0) throw new DataDrivenParseError(`${pos}: unbalanced ')' in: ${line}`);
    }
    if ((ch === ' ' || ch === '\t') && depth === 0) {
      if (cur !== '') tokens.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (depth !== 0) throw new DataDrivenParseError(`${pos}: unbalanced '(' in: ${line}`);
  if (cur !== '') tokens.push(cur);
  return tokens;
}

/** Splits "a,b(c,d),e" at top-level commas. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out.map((v) => v.trim());
}

export function parseCmdArg(token: string): CmdArg {
  const eq = token.indexOf('=');
  if (eq < 0) return { key: token, vals: [] };
  const key = token.slice(0, eq);
  const val = token.slice(eq + 1);
  if (val.startsWith('(') && val.endsWith(')')) {
    const inner = val.slice(1, -1);
    return { key, vals: inner === '' ? [] : splitTopLevel(inner) };
  }
  return { key, vals: [val] };
}

/** Parses a whole file's text into its test cases. */
export function parseDataDriven(text: string, file = '<input>'): TestData[] {
  const lines = text.split('\n');
  const cases: TestData[] = [];
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const lineNo = i + 1;
    const pos = `${file}:${lineNo}`;
    const tokens = tokenize(trimmed, pos);
    const [cmd, ...rest] = tokens;
    if (cmd === undefined) throw new DataDrivenParseError(`${pos}: empty directive`);
    const cmdArgs = rest.map(parseCmdArg);
    i++;
    const input: string[] = [];
    while (i < lines.length && lines[i] !== '----') {
      input.push(lines[i]!);
      i++;
    }
    if (i >= lines.length) throw new DataDrivenParseError(`${pos}: directive "${trimmed}" has no "----" line`);
    i++; // skip ----
    let expected = '';
    while (i < lines.length && lines[i] !== '') {
      expected += lines[i] + '\n';
      i++;
    }
    cases.push({ pos, line: lineNo, cmd, cmdArgs, input: input.join('\n'), expected, directive: trimmed });
  }
  return cases;
}

// ---- argument helpers for command handlers ----

export function hasArg(td: TestData, key: string): boolean {
  return td.cmdArgs.some((a) => a.key === key);
}

/** The values of key=..., or undefined when absent. */
export function argVals(td: TestData, key: string): string[] | undefined {
  return td.cmdArgs.find((a) => a.key === key)?.vals;
}

/** The single value of key=val, or undefined when absent. Throws if it has several values. */
export function argVal(td: TestData, key: string): string | undefined {
  const vals = argVals(td, key);
  if (vals === undefined) return undefined;
  if (vals.length !== 1) throw new Error(`${td.pos}: ${key} wants one value, got ${vals.length}`);
  return vals[0];
}

/** Parses an unsigned decimal integer strictly (no signs, no exponents). */
export function parseUint(s: string, what = 'number'): number {
  if (!/^\d+$/.test(s)) throw new Error(`invalid ${what}: ${JSON.stringify(s)}`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new Error(`${what} out of range: ${s}`);
  return n;
}

export function parseBool(s: string): boolean {
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw new Error(`invalid bool: ${JSON.stringify(s)}`);
}

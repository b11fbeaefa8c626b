// Command-line options of the headless tools (sim, fuzz): node:util's parseArgs in
// strict mode, plus checked integers. Every mistake becomes a UsageError whose message
// names the option; the tool prints it with its usage line and exits 2.

import { parseArgs } from 'node:util';

/** A bad command line: unknown option, missing value, value out of range. */
export class UsageError extends Error {}

export type OptionTypes = Record<string, 'string' | 'boolean'>;

/** Parsed values by option name: a string, true for a flag given, undefined when absent. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** Parses `--name value` and `--flag` options; positional arguments are refused. */
export function parseOptions(argv: string[], types: OptionTypes): OptionValues {
  const options = Object.fromEntries(Object.entries(types).map(([name, type]) => [name, { type }]));
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as OptionValues;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The integer value of option `name` in [min, max], or `fallback` when it was not given. */
export function intOption(
  values: OptionValues,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in ${min}..${max}`;
    throw new UsageError(`--${name} needs ${range} (got ${JSON.stringify(raw)})`);
  }
  return v;
}

/** The string value of option `name`, or undefined when it was not given. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const raw = values[name];
  return typeof raw === 'string' ? raw : undefined;
}

/** Runs `parse`; a UsageError goes to `usage` (which prints it and exits), anything else is rethrown. */
export function parseOrExit<T>(parse: () => T, usage: (message: string) => never): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof UsageError) usage(e.message);
    throw e;
  }
}

// npm run fuzz -- --seeds N --events E [--seed S] [--mutant NAME] [--properties K] [--first] [--verbose]
//
// --properties K also records a step model every K actions and runs src/check/properties
// over it (slower); --first stops at the first failing seed.
//
// Deterministic simulation testing in-process: seeds S, S+1, ..., S+N-1 (default
// S = 1; with --seed alone, just that seed). One line per failing seed with the
// command that reproduces it, then `seeds N, events E, violations V`. Exit code 1 if
// any violation was found without --mutant; with --mutant, violations are expected
// (exit 1 when none was found: the mutant survived).

import { isMutantName, mutantNames, type MutantName } from '../../raft/mutation';
import { intOption, parseOptions, parseOrExit, stringOption, UsageError } from '../cli/args';
import { reproCommand, runSeed } from './fuzz';

interface Args {
  seeds: number | undefined;
  seed: number | undefined;
  events: number;
  mutant: MutantName | undefined;
  verbose: boolean;
  stopAtFirst: boolean;
  properties: number;
}

function usage(msg: string): never {
  process.stderr.write(
    `fuzz: ${msg}\nusage: npm run fuzz -- --seeds N --events E [--seed S] [--mutant NAME] [--properties K] [--first] [--verbose]\nmutants: ${mutantNames.join(', ')}\n`,
  );
  process.exit(2);
}

function parseCommandLine(argv: string[]): Args {
  const v = parseOptions(argv, {
    seeds: 'string',
    seed: 'string',
    events: 'string',
    mutant: 'string',
    properties: 'string',
    first: 'boolean',
    verbose: 'boolean',
  });
  const mutant = stringOption(v, 'mutant');
  if (mutant !== undefined && !isMutantName(mutant)) throw new UsageError(`unknown mutant ${JSON.stringify(mutant)}`);
  return {
    seeds: v.seeds === undefined ? undefined : intOption(v, 'seeds', 0),
    seed: v.seed === undefined ? undefined : intOption(v, 'seed', 0),
    events: intOption(v, 'events', 10_000),
    mutant,
    verbose: v.verbose === true,
    stopAtFirst: v.first === true,
    properties: intOption(v, 'properties', 0),
  };
}

async function main(): Promise<void> {
  const a = parseOrExit(() => parseCommandLine(process.argv.slice(2)), usage);
  const first = a.seed ?? 1;
  const count = a.seeds ?? (a.seed !== undefined ? 1 : 100);
  const t0 = performance.now();
  let violations = 0;
  let failing = 0;
  let totalEvents = 0;
  let ran = 0;
  for (let s = first; s < first + count; s++) {
    const r = await runSeed(s, a.events, {
      ...(a.mutant !== undefined ? { mutant: a.mutant } : {}),
      ...(a.properties > 0 ? { properties: a.properties } : {}),
    });
    ran++;
    totalEvents += a.events;
    if (a.verbose)
      process.stdout.write(
        `seed ${s}: ${r.ms.toFixed(0)} ms, t=${r.time}, ${r.actions} actions, ops ${r.opsOk}/${r.ops} ok, ${JSON.stringify(r.profile)}\n`,
      );
    if (r.violations.length > 0) {
      violations += r.violations.length;
      failing++;
      const v = r.violations[0]!;
      process.stdout.write(
        `FAIL seed ${s}: ${r.violations.length} violation(s), first [${v.check}] t=${v.time}: ${v.message} — reproduce: ${reproCommand(s, a.events, a.mutant)}\n`,
      );
      if (a.verbose)
        for (const x of r.violations.slice(1)) process.stdout.write(`    [${x.check}] t=${x.time}: ${x.message}\n`);
      if (a.stopAtFirst) break;
    }
  }
  const secs = (performance.now() - t0) / 1000;
  process.stdout.write(
    `# ${failing} failing seed(s); ${secs.toFixed(1)} s, ${Math.round(totalEvents / secs)} events/s${a.mutant !== undefined ? `, mutant ${a.mutant}` : ''}\n`,
  );
  process.stdout.write(`seeds ${ran}, events ${a.events}, violations ${violations}\n`);
  if (a.mutant === undefined) process.exit(violations > 0 ? 1 : 0);
  process.exit(violations > 0 ? 0 : 1);
}

main().catch((e: unknown) => {
  process.stderr.write(`fuzz: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(2);
});

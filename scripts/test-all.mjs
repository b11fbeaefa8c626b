#!/usr/bin/env node
// `npm test`: every test Raftlab has, in one command.
//   0. tsc --noEmit and eslint, one counted test each
//   1. vitest (unit, property and conformance tests), JSON report: test-results/vitest.json
//   2. Playwright (end-to-end, Debian's Chromium), JSON report: test-results/playwright.json
// Both runners stream their own output. The last line printed is always
// `N passed, M failed`, summed from the two JSON reports. The exit code is non-zero when
// anything failed or nothing ran. A runner that produced no report (it crashed, or the
// browser is missing) counts as one failure, as does a non-zero exit with no failed test
// in its report (e.g. vitest's unhandled errors).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const reportDir = join(root, 'test-results');
const vitestReport = join(reportDir, 'vitest.json');
const playwrightReport = join(reportDir, 'playwright.json');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function run(title, cmd, args, env) {
  process.stdout.write(`\n=== ${title} ===\n\n`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (res.error) {
    process.stderr.write(`${title}: could not start ${cmd}: ${res.error.message}\n`);
    return 1;
  }
  return res.status ?? 1;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Counts from vitest's JSON report; a file that failed to load counts as one failure. */
function vitestCounts(report) {
  let passed = report.numPassedTests ?? 0;
  let failed = report.numFailedTests ?? 0;
  for (const file of report.testResults ?? []) {
    const failedInFile = (file.assertionResults ?? []).filter((t) => t.status === 'failed').length;
    if (file.status === 'failed' && failedInFile === 0) failed++;
  }
  return { passed, failed };
}

/** Counts from Playwright's JSON report (tests, not retries). */
function playwrightCounts(report) {
  const s = report.stats ?? {};
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: s.unexpected ?? 0 };
}

function tally(title, code, report, count) {
  if (!report) {
    process.stderr.write(`${title}: no JSON report was written (exit code ${code}); counted as 1 failure.\n`);
    return { passed: 0, failed: 1 };
  }
  const c = count(report);
  if (code !== 0 && c.failed === 0) {
    process.stderr.write(`${title}: exited with code ${code} but reported no failed test; counted as 1 failure.\n`);
    c.failed = 1;
  }
  return c;
}

mkdirSync(reportDir, { recursive: true });
rmSync(vitestReport, { force: true });
rmSync(playwrightReport, { force: true });

const totals = { passed: 0, failed: 0 };
const add = (c) => {
  totals.passed += c.passed;
  totals.failed += c.failed;
};

// 0. Static checks: the type checker, the linter (purity and layering rules included) and
// the formatter's check, i.e. what `npm run typecheck` and `npm run lint` run.
// Each counts as one test, so a type error, a lint finding or an unformatted file fails
// the run like a test.
for (const [title, cmd, args] of [
  ['typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']],
  ['lint', bin('eslint'), ['.']],
  ['format', bin('prettier'), ['--check', '.']],
]) {
  const code = run(title, cmd, args, {});
  if (code === 0) process.stdout.write(`${title}: clean\n`);
  add(code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
}

// 1. vitest
const vitestCode = run(
  'vitest',
  bin('vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`],
  { NO_COLOR: '1' },
);
add(tally('vitest', vitestCode, readJson(vitestReport), vitestCounts));

// 2. Playwright
if (!existsSync(chromiumPath)) {
  process.stdout.write('\n=== playwright ===\n\n');
  process.stderr.write(
    `playwright: Chromium not found at ${chromiumPath}; the end-to-end tests cannot run.\n` +
      `  Install it with: apt-get update && apt-get install -y chromium\n` +
      `  or set CHROMIUM_PATH to a Chromium binary. Counted as 1 failure.\n`,
  );
  add({ passed: 0, failed: 1 });
} else {
  const pwCode = run('playwright', bin('playwright'), ['test'], {});
  add(tally('playwright', pwCode, readJson(playwrightReport), playwrightCounts));
}

process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed\n`);
process.exitCode = totals.failed > 0 || totals.passed === 0 ? 1 : 0;

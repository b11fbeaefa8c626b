// `npm run datadriven -- <file-or-dir>... [--rewrite]`
// Runs data-driven files (etcd's conformance files or Raftlab's own scripts), prints
// PASS/FAIL per file with a diff of each failing case, then "N passed, M failed".
// Exits 1 on any failure. With --rewrite, prints each file with the actual output
// in place of the expected output instead.

import { collectFiles, diffCase, rewriteFile, runFile } from './runner';

function main(argv: string[]): number {
  const rewrite = argv.includes('--rewrite');
  const paths = argv.filter((a) => a !== '--rewrite');
  if (paths.length === 0) {
    process.stderr.write('usage: npm run datadriven -- <file-or-dir>... [--rewrite]\n');
    return 2;
  }
  let files: string[];
  try {
    files = collectFiles(paths);
  } catch (e) {
    process.stderr.write(`datadriven: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const res = runFile(file);
    if (rewrite) {
      process.stdout.write(rewriteFile(file, res));
      continue;
    }
    if (res.ok) {
      passed++;
      process.stdout.write(`PASS ${file}\n`);
      continue;
    }
    failed++;
    process.stdout.write(`FAIL ${file}\n`);
    if (res.error) process.stdout.write(`  error: ${res.error}\n`);
    for (const c of res.cases) {
      if (c.ok) continue;
      process.stdout.write(`  ${c.td.pos}: ${c.td.directive}\n`);
      process.stdout.write(
        diffCase(c.td.expected, c.actual)
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n') + '\n',
      );
    }
  }
  if (!rewrite) process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 || files.length === 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));

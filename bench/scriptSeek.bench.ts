// Script mode's time travel: a seek back rebuilds the harness and replays the commands
// before the target, so its cost grows with the script. Measured on etcd's largest
// interaction files (read in place from ../shared): opening (parse + one full run),
// playing to the end command by command with an observation after each (what the UI
// does), and the worst seek (back to the last step: a replay of all but one command).
// Prints one line per file and one JSON line.
//
//   npm run bench:script-seek

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ScriptSession } from '../src/scriptrun/scriptSession';

const dir = resolve(import.meta.dirname, '../../shared/anchors/etcd-raft-testdata/testdata');
if (!existsSync(dir)) {
  console.error(`${dir} not found: the etcd files live outside the repository`);
  process.exit(2);
}

function median(f: () => void, runs = 9): number {
  f(); // warm-up (JIT)
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(runs / 2)]!;
}

const results = [];
for (const file of [
  'probe_and_replicate.txt',
  'async_storage_writes.txt',
  'async_storage_writes_append_aba_race.txt',
]) {
  const text = readFileSync(resolve(dir, file), 'utf8');
  const s = ScriptSession.open(text, file);
  const open = median(() => ScriptSession.open(text, file));
  const play = median(() => {
    s.seek(0);
    while (s.next()) s.observe();
  });
  const seekBack = median(() => {
    s.seek(s.total);
    s.seek(s.total - 1);
    s.observe();
  });
  console.log(
    `${file}: ${s.total} commands; open ${open.toFixed(1)} ms, play with observations ${play.toFixed(1)} ms, seek back to step ${s.total - 1} ${seekBack.toFixed(1)} ms`,
  );
  results.push({ file, commands: s.total, openMs: open, playMs: play, seekBackMs: seekBack });
}
console.log(JSON.stringify({ bench: 'script-seek', results }));

// Linearizability checker bench: a deterministic valid history of 1,700 operations by
// 50 clients over 4 keys (a seeded simulated register with overlapping operations),
// checked with the Wing & Gong / Lowe search. Prints the time and one JSON line.
//
//   npm run bench:lin

import { checkRegister } from '../src/check/linearizable/index';
import { generateRegisterHistory } from '../src/cluster/check/registerHistory';

const opts = { seed: 20261123, ops: 1700, clients: 50, keys: 4 };
const ops = generateRegisterHistory(opts);
const pending = ops.filter((o) => o.complete === Infinity).length;

// One warm-up run (JIT), then the measured runs.
checkRegister(ops, { budget: 50_000_000 });
const runs = 5;
const times: number[] = [];
let result = checkRegister(ops, { budget: 50_000_000 });
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  result = checkRegister(ops, { budget: 50_000_000 });
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(runs / 2)]!;
if (result.status !== 'ok') {
  console.error(`expected a linearizable history, got ${result.status}`);
  process.exitCode = 1;
}
console.log(
  `linearizability: ${ops.length} ops, ${opts.clients} clients, ${opts.keys} keys, ${pending} pending: ${result.status} in ${median.toFixed(1)} ms (median of ${runs}, ${result.steps} search steps)`,
);
console.log(
  JSON.stringify({
    bench: 'linearizability',
    ops: ops.length,
    clients: opts.clients,
    keys: opts.keys,
    pending,
    status: result.status,
    steps: result.steps,
    ms: Math.round(median * 10) / 10,
    minMs: Math.round(times[0]! * 10) / 10,
  }),
);

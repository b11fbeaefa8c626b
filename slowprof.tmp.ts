import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { Cluster } from './src/cluster/cluster';
import { inProcessRuntime } from './src/cluster/runtime/inProcess';
import { runSeekWorkload } from './bench/seekWorkload';
const c = await Cluster.create({ nodes: 9, seed: 13, runtime: inProcessRuntime });
await runSeekWorkload(c, 64010, 13);
const s = new Session(); s.connect();
await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 200 });
let tot = 0;
for (let i = 0; i < 15; i++) {
  await c.seek(63991);
  if (i === 5) await s.post('Profiler.start');
  const t = performance.now(); await c.seek(63992); const dt = performance.now() - t; if (i >= 5) tot += dt;
}
const { profile } = await s.post('Profiler.stop');
writeFileSync('/tmp/seek/restartstep.cpuprofile', JSON.stringify(profile));
console.log('mean ms', (tot / 10).toFixed(1));
process.exit(0);

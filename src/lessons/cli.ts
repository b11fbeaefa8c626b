// For lesson authors: runs lesson files headless and prints every step as the player
// would fill it, its checks, the right answer of its ask, and the cluster state.
//   npx tsx src/lessons/cli.ts src/lessons/files/figure-8.txt [...]
// Exits 1 if a file does not parse, a command fails, an expect does not hold or an
// ask has no single right answer.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { inProcessRuntime } from '../cluster/runtime/inProcess';
import { messageTypeNames } from '../raft/raftpb/types';
import { playLesson } from './headless';
import type { LiveState } from './live';
import { parseLesson } from './parse';

function dump(s: LiveState): string {
  const lines = [...s.nodes.values()].map(
    (n) =>
      `    ${n.id} ${n.status === 'alive' ? n.role : n.status} t${n.term} v${n.vote} c${n.commit} a${n.applied} ` +
      `log[${n.log.map((e) => e.term).join(' ')}]${n.snap > 0 ? ` snap${n.snap}` : ''} timeout${n.timeout}` +
      (n.progress.length > 0
        ? ` prs{${n.progress.map((p) => `${p.id}:${p.state.slice(5)} m${p.match} n${p.next} if${p.inflight}`).join(' ')}}`
        : ''),
  );
  const msgs = s.inFlight.map(
    (e) =>
      `${messageTypeNames[e.msg.type]} ${e.from}->${e.to} t${e.msg.term} i${e.msg.logTerm}/${e.msg.index} c${e.msg.commit} e${e.msg.entries.length}${e.msg.reject ? ` rej${e.msg.rejectHint}` : ''}`,
  );
  return `${lines.join('\n')}\n    in flight: ${msgs.join(', ') || 'none'}`;
}

let bad = 0;
for (const path of process.argv.slice(2)) {
  const file = relative(process.cwd(), path);
  try {
    const lesson = parseLesson(readFileSync(path, 'utf8'), file);
    console.log(`# ${lesson.id}: ${lesson.title} (${lesson.steps.length} steps)`);
    const run = await playLesson(lesson, inProcessRuntime, (k, o, s) => {
      const step = lesson.steps[k - 1]!;
      if (k === 1 || lesson.steps[k - 2]!.part !== step.part)
        console.log(`\n=== part: ${lesson.parts[step.part]!.title}`);
      console.log(`\n## ${k}. ${step.title}`);
      if (step.ask) console.log(`  ? ${step.ask.question} -> ${o.correct || o.askProblem}`);
      console.log(`  ${o.narration}`);
      if (step.ask) console.log(`  = ${o.explanation}`);
      for (const r of o.expects) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.text}${r.ok ? '' : `  <- ${r.why}`}`);
      console.log(dump(s));
      bad += o.failures.length + (step.ask && o.correct === 0 ? 1 : 0);
    });
    await run.cluster.dispose();
  } catch (e) {
    bad++;
    console.log(`ERROR ${(e as Error).message}`);
  }
}
process.exitCode = bad > 0 ? 1 : 0;

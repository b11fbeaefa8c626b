import { describe, expect, it } from 'vitest';
import type { RuntimeFactory } from './protocol';
import { inProcessRuntime } from './runtime/inProcess';
import { nodeWorkerRuntime } from './runtime/workerRuntime.node';
import { encodePut } from './stateMachines/kvStore';
import { TestLoop, testNodeConfig } from './testLoop';

/** One fixed scenario: election by timeout, puts, a crash, more puts, a restart, catch-up. */
async function scenario(factory: RuntimeFactory): Promise<TestLoop> {
  const loop = new TestLoop(factory);
  try {
    await loop.start([1, 2, 3], { snapCount: 3, snapshotCatchUpEntries: 1 });
    // Elect by ticking: which node wins depends on the seeded election timeouts.
    for (let i = 0; i < 30; i++) {
      await loop.tickAll();
      const leaders = [];
      for (const id of loop.live()) if ((await loop.observe(id)).role === 2) leaders.push(id);
      if (leaders.length === 1) break;
    }
    let leader = 0;
    for (const id of loop.live()) if ((await loop.observe(id)).role === 2) leader = id;
    if (leader === 0) throw new Error('no leader');
    for (let i = 0; i < 4; i++)
      await loop.run(leader, [{ kind: 'propose', data: encodePut(`k${i}`, `v${i}`, `r${i}`) }]);
    await loop.stabilize();
    const victim = leader === 3 ? 2 : 3;
    await loop.crash(victim);
    for (let i = 4; i < 10; i++)
      await loop.run(leader, [{ kind: 'propose', data: encodePut(`k${i}`, `v${i}`, `r${i}`) }]);
    await loop.stabilize();
    await loop.restart(victim);
    await loop.tickAll(5);
    for (const id of loop.live()) await loop.run(id, [{ kind: 'get', key: 'k9' }, { kind: 'observe' }]);
    return loop;
  } finally {
    await loop.terminateAll();
  }
}

describe('runtime parity', () => {
  it('in-process and worker_thread hosts give identical results for the same commands', async () => {
    const a = await scenario(inProcessRuntime);
    const b = await scenario(nodeWorkerRuntime);
    expect(a.transcript.length).toBeGreaterThan(50);
    expect(b.transcript.length).toBe(a.transcript.length);
    expect(b.transcript).toEqual(a.transcript);
    // And the scenario really replicated: the last reads see k9 everywhere.
    const reads = a.transcript.slice(-3).map((r) => r[0]);
    expect(reads).toEqual([
      { kind: 'value', value: 'v9', logLines: [] },
      { kind: 'value', value: 'v9', logLines: [] },
      { kind: 'value', value: 'v9', logLines: [] },
    ]);
  }, 120_000);

  it('a worker host that fails to boot rejects the factory', async () => {
    await expect(nodeWorkerRuntime({ config: testNodeConfig(0), voters: [1], learners: [] })).rejects.toThrow(
      /cannot use none as id/,
    );
  }, 60_000);
});

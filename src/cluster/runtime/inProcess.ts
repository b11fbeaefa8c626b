// The in-process runtime: a NodeHost on the calling thread (Node, tests, fuzzing,
// benchmarks). Commands and results are passed through structuredClone, so a host
// here sees exactly what it would see behind postMessage, and nothing the caller
// holds aliases the host's state: in-process and worker runs are interchangeable.

import { NodeHost } from '../nodeHost';
import type { BootInfo, HostCommand, HostResult, NodeRuntime, RuntimeFactory } from '../protocol';

class InProcessRuntime implements NodeRuntime {
  private host: NodeHost | undefined;
  readonly id: number;

  constructor(host: NodeHost) {
    this.host = host;
    this.id = host.id;
  }

  async run(commands: HostCommand[]): Promise<HostResult[]> {
    const host = this.host;
    if (host === undefined) throw new Error(`node ${this.id}: runtime terminated`);
    const results = host.run(structuredClone(commands));
    // A panicked host is a dead process: report it the way a crashed worker would.
    if (host.panicked !== undefined) throw new Error(host.panicked);
    return structuredClone(results);
  }

  async terminate(): Promise<void> {
    this.host = undefined;
  }
}

export const inProcessRuntime: RuntimeFactory = async (boot: BootInfo): Promise<NodeRuntime> => {
  return new InProcessRuntime(new NodeHost(structuredClone(boot)));
};

// The "appender" state machine of etcd's interaction harness: the state is a byte
// string, and applying an entry appends its payload to it (for a configuration
// change, the payload is the ConfChange's context). Running it makes a node's
// snapshots byte-identical to the harness's, so etcd scripts replay the same.

import type { ApplyOutcome, StateMachine } from './stateMachine';

const decoder = new TextDecoder();

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export class Appender implements StateMachine {
  readonly kind = 'appender' as const;
  private data: Uint8Array = new Uint8Array(0);

  applyNormal(data: Uint8Array): ApplyOutcome {
    this.data = concat(this.data, data);
    return { summary: `append ${decoder.decode(data)}` };
  }

  applyConfChange(context: Uint8Array): void {
    this.data = concat(this.data, context);
  }

  get(_key: string): string | undefined {
    return undefined;
  }

  snapshot(): Uint8Array {
    return this.data.slice();
  }

  restore(data: Uint8Array): void {
    this.data = data.slice();
  }

  /** The accumulated bytes. */
  content(): Uint8Array {
    return this.data.slice();
  }

  view(): Record<string, string> {
    return {};
  }
}

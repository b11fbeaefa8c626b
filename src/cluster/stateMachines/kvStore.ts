// raftexample's key-value store: a map from string keys to string values, changed
// only by committed put entries.
//
// Entry encoding (the payload of an EntryNormal entry), UTF-8 JSON of one object:
//   {"k": key, "v": value, "r": requestId}
// where r is the client's request id (so the client can tell when its put applied;
// it may be "" when there is none). Payloads that do not decode as such are applied
// as no-ops (summary "unknown <n>B"), so foreign data cannot break a node.
//
// Snapshot encoding: UTF-8 JSON of the pairs sorted by key, [[k, v], ...]; the empty
// byte string is the empty store.

import type { ApplyOutcome, StateMachine } from './stateMachine';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A decoded put. */
export interface Put {
  key: string;
  value: string;
  requestId: string;
}

/** Encodes a put as entry data. */
export function encodePut(key: string, value: string, requestId: string): Uint8Array {
  return encoder.encode(JSON.stringify({ k: key, v: value, r: requestId }));
}

/** Decodes entry data written by encodePut; undefined if it is not a put. */
export function decodePut(data: Uint8Array): Put | undefined {
  if (data.length === 0) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null) return undefined;
  const { k, v, r } = o as Record<string, unknown>;
  if (typeof k !== 'string' || typeof v !== 'string') return undefined;
  return { key: k, value: v, requestId: typeof r === 'string' ? r : '' };
}

export class KVStore implements StateMachine {
  readonly kind = 'kv' as const;
  private kv = new Map<string, string>();

  applyNormal(data: Uint8Array): ApplyOutcome {
    const p = decodePut(data);
    if (p === undefined) return { summary: `unknown ${data.length}B` };
    this.kv.set(p.key, p.value);
    const out: ApplyOutcome = { summary: `put ${p.key}=${p.value}` };
    if (p.requestId !== '') out.requestId = p.requestId;
    return out;
  }

  applyConfChange(_context: Uint8Array): void {
    // Membership changes do not touch the key-value map.
  }

  get(key: string): string | undefined {
    return this.kv.get(key);
  }

  snapshot(): Uint8Array {
    const pairs = [...this.kv.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return encoder.encode(JSON.stringify(pairs));
  }

  restore(data: Uint8Array): void {
    const kv = new Map<string, string>();
    if (data.length > 0) {
      const pairs = JSON.parse(decoder.decode(data)) as unknown;
      if (!Array.isArray(pairs)) throw new Error('kvstore: snapshot data is not a list of pairs');
      for (const p of pairs) {
        if (!Array.isArray(p) || typeof p[0] !== 'string' || typeof p[1] !== 'string') {
          throw new Error('kvstore: malformed pair in snapshot data');
        }
        kv.set(p[0], p[1]);
      }
    }
    this.kv = kv;
  }

  view(): Record<string, string> {
    return Object.fromEntries(this.kv);
  }

  size(): number {
    return this.kv.size;
  }
}

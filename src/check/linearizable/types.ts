// Shapes of the linearizability checker.

/** One operation on a KV register, as the checker sees it. */
export interface LinOp {
  id: number;
  key: string;
  kind: 'put' | 'get';
  /** put: the value written; get: the value read (undefined: the key did not exist). */
  value: string | undefined;
  invoke: number;
  /** Completion time; Infinity for an operation that never completed (it may or may not take effect). */
  complete: number;
}

export interface LinFailure {
  /** The operation that cannot be placed after the longest linearizable prefix found. */
  op: number;
  key: string;
  /** Its completion time: from there on, no order works. */
  time: number;
  message: string;
}

export interface LinResult {
  /** unknown: the step budget ran out before an answer. */
  status: 'ok' | 'violated' | 'unknown';
  /** Linearization point (time) of each placed operation, by op id (for violated: the longest prefix found). */
  points: Map<number, number>;
  /** Per key, the op ids in linearization order (for violated: the longest prefix found). */
  order: Map<string, number[]>;
  fail?: LinFailure;
  /** Local reads (consistency 'stale-possible'), not checked. */
  stale: number[];
  /** Other operations left out: non-KV ops, failed or pending reads. */
  excluded: number[];
  /** Search steps taken. */
  steps: number;
}

export interface LinOptions {
  /** Search steps allowed over all keys before answering 'unknown' (default 1,000,000). */
  budget?: number;
}

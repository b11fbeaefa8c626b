// Shapes of the linearizability checker.

/**
 * One client operation of a recorded history, as the checker reads it: plain data,
 * defined here so that src/check needs nothing from the layers above. The cluster's
 * ClientOp (src/cluster/client.ts) has all of these fields, so a cluster's history is
 * passed as it is.
 */
export interface HistoryOp {
  id: number;
  /** Only 'put' and 'get' are checked; any other kind is listed as excluded. */
  kind: string;
  key?: string;
  /** put: the value written. */
  value?: string;
  invokeTime: number;
  /** Missing while the operation is pending. */
  completeTime?: number;
  /** get: the value read (meaningful when found is not false). */
  result?: string;
  status: 'ok' | 'pending' | 'failed';
  /** get: a linearizable (ReadIndex) read, or a local one that may be stale (not checked). */
  consistency?: 'linearizable' | 'stale-possible';
  /** get: whether the key existed. */
  found?: boolean;
}

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

// A set of voters that decides by simple majority.

import { VoteLost, VotePending, VoteWon, type AckedIndexer, type Index, type VoteResult } from './quorum';

/**
 * A set of voter ids that uses majority quorums to make decisions.
 *
 * differs from etcd: etcd's MajorityConfig is a bare map; this class wraps a
 * Set and keeps, alongside it, the ids in sorted order plus a scratch buffer of
 * the same length, both rebuilt only when the membership changes. That keeps
 * committedIndex (called on every acknowledgement the leader receives)
 * allocation-free for configurations of any size.
 */
export class MajorityConfig {
  private readonly members: Set<number>;
  /** The members in ascending order; undefined when stale. */
  private sorted: number[] | undefined = undefined;
  /** Scratch space for committedIndex, as long as `sorted`. */
  private scratch: number[] = [];

  constructor(ids?: Iterable<number>) {
    this.members = new Set(ids);
  }

  get size(): number {
    return this.members.size;
  }

  has(id: number): boolean {
    return this.members.has(id);
  }

  add(id: number): this {
    if (!this.members.has(id)) {
      this.members.add(id);
      this.sorted = undefined;
    }
    return this;
  }

  delete(id: number): boolean {
    const had = this.members.delete(id);
    if (had) this.sorted = undefined;
    return had;
  }

  clear(): void {
    if (this.members.size === 0) return;
    this.members.clear();
    this.sorted = undefined;
  }

  /** The members in ascending order. The returned array is shared: do not modify it. */
  private ids(): readonly number[] {
    let s = this.sorted;
    if (s === undefined) {
      s = Array.from(this.members).sort((a, b) => a - b);
      this.sorted = s;
      this.scratch = new Array<number>(s.length).fill(0);
    }
    return s;
  }

  /** Iterates the members in ascending order. */
  [Symbol.iterator](): IterableIterator<number> {
    return this.ids()[Symbol.iterator]();
  }

  clone(): MajorityConfig {
    return new MajorityConfig(this.members);
  }

  /** "(1 2 3)": the members in ascending order, in hex, as etcd prints them. */
  toString(): string {
    let out = '(';
    const ids = this.ids();
    for (let i = 0; i < ids.length; i++) {
      if (i > 0) out += ' ';
      out += ids[i]!.toString(16);
    }
    return out + ')';
  }

  /**
   * A multi-line chart of what each member has acknowledged: one row per member
   * in id order, with a bar whose length is the rank of its index (equal indexes
   * get equal bars) and "?" for members with no known index.
   */
  describe(l: AckedIndexer): string {
    const n = this.members.size;
    if (n === 0) return '<empty majority quorum>';
    interface Row {
      id: number;
      idx: number;
      ok: boolean;
      bar: number;
    }
    const rows: Row[] = [];
    for (const id of this.ids()) {
      const idx = l.ackedIndex(id);
      rows.push({ id, idx: idx ?? 0, ok: idx !== undefined, bar: 0 });
    }
    // Rank by index (ties by id): the i-th smallest gets bar i, ties share a bar.
    const byIdx = rows.slice().sort((a, b) => (a.idx !== b.idx ? (a.idx < b.idx ? -1 : 1) : a.id - b.id));
    for (let i = 1; i < byIdx.length; i++) {
      const prev = byIdx[i - 1]!;
      const cur = byIdx[i]!;
      cur.bar = prev.idx < cur.idx ? i : prev.bar;
    }
    let out = ' '.repeat(n) + '    idx\n';
    for (const r of rows) {
      if (!r.ok) out += '?' + ' '.repeat(n);
      else out += 'x'.repeat(r.bar) + '>' + ' '.repeat(n - r.bar);
      out += ' ' + String(r.idx).padStart(5) + '    (id=' + r.id.toString(16) + ')\n';
    }
    return out;
  }

  /** The members as a new ascending array. */
  slice(): number[] {
    return this.ids().slice();
  }

  /**
   * The highest index acknowledged by a majority of the members. Members with no
   * known index count as having acknowledged 0. The empty config returns
   * Infinity, so that it never holds back the other half of a joint config.
   */
  committedIndex(l: AckedIndexer): Index {
    const ids = this.ids();
    const n = ids.length;
    if (n === 0) return Infinity;
    const srt = this.scratch;
    for (let i = 0; i < n; i++) srt[i] = l.ackedIndex(ids[i]!) ?? 0;
    if (n > 16) {
      srt.sort((a, b) => a - b);
    } else {
      // Insertion sort, ascending: n is small (typically 3 to 7).
      insertionSort(srt, n);
    }
    // The (n/2+1)-th largest value is acknowledged by a majority.
    return srt[n - ((n >> 1) + 1)]!;
  }

  /**
   * Decides an election from yes/no votes: won once a majority voted yes, lost
   * once a majority can no longer be reached, pending otherwise. The empty
   * config always wins, so it never vetoes the other half of a joint config.
   */
  voteResult(votes: ReadonlyMap<number, boolean>): VoteResult {
    const ids = this.ids();
    const n = ids.length;
    if (n === 0) return VoteWon;
    let yes = 0;
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const v = votes.get(ids[i]!);
      if (v === undefined) missing++;
      else if (v) yes++;
    }
    const q = (n >> 1) + 1;
    if (yes >= q) return VoteWon;
    if (yes + missing >= q) return VotePending;
    return VoteLost;
  }
}

/** Sorts a[0..n) ascending in place. */
function insertionSort(a: number[], n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

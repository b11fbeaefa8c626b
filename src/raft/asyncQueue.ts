// Small Promise-only building blocks for node.ts, which turns etcd's goroutine +
// channels design into a single-threaded one. Nothing here uses timers or the
// microtask queue directly: continuations run only through Promise resolution.

/**
 * A promise together with the functions that settle it, for code that hands out
 * a promise now and settles it later from somewhere else (a waiting proposal, a
 * parked reader of the Ready stream).
 *
 * Invariant: settled becomes true on the first resolve/reject; later calls are
 * ignored, so a waiter that is both aborted and served settles exactly once.
 */
export class Deferred<T> {
  readonly promise: Promise<T>;
  settled = false;
  private resolveFn!: (v: T) => void;
  private rejectFn!: (e: unknown) => void;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
  }

  resolve(v: T): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveFn(v);
  }

  reject(e: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectFn(e);
  }
}

/**
 * A FIFO queue with O(1) push and shift (a growable ring would do too; a head
 * cursor over an array that is compacted once half of it is consumed is simpler).
 * Used for the waiters of node.ts, which are served in arrival order as Go serves
 * goroutines blocked on one channel.
 */
export class FifoQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(v: T): void {
    this.items.push(v);
  }

  /** The oldest element, removed; undefined when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const v = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 32 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }

  /** The oldest element without removing it. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Removes the first element identical to v (an aborted waiter); false if absent. */
  remove(v: T): boolean {
    for (let i = this.head; i < this.items.length; i++) {
      if (this.items[i] === v) {
        this.items.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  /** Removes and returns every element, oldest first. */
  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return out;
  }
}

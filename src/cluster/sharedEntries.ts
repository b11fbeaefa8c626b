// Log entries held in common by the in-process host processes.
//
// Each host process keeps the entries it was sent by eid (EntryCache, entryTable.ts),
// so that a restore sends only what it lacks. Worker processes are separate heaps and
// must each receive every entry once. In-process "processes" share the main thread's
// heap, and entries are immutable values, so an entry sent to one of them can serve
// all: with separate caches, the first seeks into a region of a long run sent every
// host's log in full (tens of thousands of entries, 20-100 ms of structured clone),
// once for each process a node could land on.
//
// SharedEntries holds, per table, what any in-process process was sent or learned;
// each process's EntryCache reads and adds there (its own pending list stays its own),
// and each process's SharedEntryChannel answers "does the process hold eid e" from it.
// A table's entries are dropped once the main thread's EntryTable is collected.

import {
  EntryChannel,
  HeldEntries,
  forEachRun,
  type EntryTable,
  type HeldEntriesSource,
  type Interned,
} from './entryTable';

export class SharedEntries implements HeldEntriesSource {
  private readonly tables = new Map<number, HeldEntries>();
  private readonly gone = new FinalizationRegistry<number>((id) => this.tables.delete(id));
  private readonly watched = new WeakSet<EntryTable>();

  forTable(tableId: number): HeldEntries {
    let t = this.tables.get(tableId);
    if (t === undefined) this.tables.set(tableId, (t = new HeldEntries()));
    return t;
  }

  /** Drops the table's entries once the table itself is gone (no process can use it then). */
  watch(table: EntryTable): void {
    if (this.watched.has(table)) return;
    this.watched.add(table);
    this.gone.register(table, table.id);
  }

  /** Tables with entries held (for tests). */
  get tableCount(): number {
    return this.tables.size;
  }
}

/** The channel to one in-process process: it holds what the shared entries hold. */
export class SharedEntryChannel extends EntryChannel {
  constructor(private readonly shared: SharedEntries) {
    super();
  }

  override use(table: EntryTable): void {
    if (table === this.table) return;
    this.table = table;
    this.shared.watch(table);
  }

  /** Nothing to note: the process adds what it receives or learns to the shared entries. */
  override mark(table: EntryTable): void {
    this.use(table);
  }

  override holds(table: EntryTable, eid: number): boolean {
    this.use(table);
    return this.shared.forTable(table.id).byEid[eid] !== undefined;
  }

  override missing(table: EntryTable, runs: readonly number[]): (number | Interned)[] {
    this.use(table);
    const held = this.shared.forTable(table.id).byEid;
    const out: (number | Interned)[] = [];
    const listed = new Set<number>();
    forEachRun(runs, (eid) => {
      if (held[eid] !== undefined || listed.has(eid)) return;
      listed.add(eid);
      out.push(eid, table.get(eid));
    });
    return out;
  }
}

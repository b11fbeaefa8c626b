// A restart's boot info with the disk's log entries named by eid (see entryTable.ts).
//
// A node restarted after a long run boots from a disk of thousands of entries (etcd's
// RestartNode: the host re-applies them). Copying them into the host process cost as
// much as the rest of the restart; but the process usually holds most of them already
// (it hosted this node or another one of the same run), so, like a restore, the boot
// sends the entries as eid runs plus only the ones the process lacks. The host gets
// entries equal to the disk's, so what it does is the same as with a copied disk.

import type { Entry } from '../raft/raftpb/types';
import type { EntryCache, EntryChannel, EntryTable, Interned } from './entryTable';
import type { BootInfo, DiskState } from './protocol';

/** What a boot from an interned disk sends to a host process. */
export interface HostBootPayload {
  /** The boot info; its disk's entries are left empty (they are `runs`). */
  boot: BootInfo & { disk: DiskState };
  tableId: number;
  /** The disk's entries, in log order, as eid runs of the table. */
  runs: number[];
  /** The entries the process does not hold yet: [eid, entry, eid, entry, ...]. */
  missing: (number | Interned)[];
}

/**
 * The payload that boots `boot` (whose disk's entries are exactly `runs` of `table`)
 * in the process behind `channel`.
 */
export function hostBootPayload(
  boot: BootInfo & { disk: DiskState },
  table: EntryTable,
  runs: number[],
  channel: EntryChannel,
): HostBootPayload {
  return {
    boot: { ...boot, disk: { ...boot.disk, entries: [] } },
    tableId: table.id,
    runs,
    missing: channel.missing(table, runs),
  };
}

/** The boot info a payload stands for (in the process: the entries come from its cache). */
export function bootFromPayload(payload: HostBootPayload, cache: EntryCache): BootInfo {
  cache.receive(payload.tableId, payload.missing);
  const entries = cache.list(payload.runs) as Entry[];
  return { ...payload.boot, disk: { ...payload.boot.disk, entries } };
}

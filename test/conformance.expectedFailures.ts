// etcd data-driven files that are known not to pass yet, relative to
// ../shared/anchors/etcd-raft-testdata. The conformance suite requires each listed file
// to FAIL and every other file to pass, so this list only ever shrinks: when a listed
// file starts passing, the suite says so and the entry must be removed.

export const expectedFailures: readonly string[] = [];

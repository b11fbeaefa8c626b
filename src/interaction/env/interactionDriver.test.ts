import { describe, expect, it } from 'vitest';
import { parseDataDriven } from '../datadriven';
import { newInteractionDriver } from './interactionDriver';

/** Runs a script's directives (the expected blocks are ignored) and returns each output. */
function run(script: string): string[] {
  const d = newInteractionDriver();
  return parseDataDriven(script, 'test').map((td) => d.run(td));
}

describe('interaction driver', () => {
  it('prints errors of the harness itself', () => {
    const out = run(['bogus-cmd', '----', '', 'log-level LOUD', '----', ''].join('\n'));
    expect(out[0]).toBe('unknown command');
    expect(out[1]).toBe('log levels must be either of [DEBUG INFO WARN ERROR FATAL NONE]');
  });

  it('reports idle threads and empty queues', () => {
    const out = run(
      [
        'log-level NONE',
        '----',
        '',
        'add-nodes 1 voters=(1) index=2 async-storage-writes=true',
        '----',
        '',
        'log-level DEBUG',
        '----',
        '',
        'process-append-thread 1',
        '----',
        '',
        'process-apply-thread 1',
        '----',
        '',
        'deliver-msgs 1',
        '----',
        '',
        'raft-log 1',
        '----',
        '',
        '_breakpoint',
        '----',
        '',
      ].join('\n'),
    );
    expect(out).toEqual([
      'ok',
      'ok',
      'ok',
      'no append work to perform',
      'no apply work to perform',
      'no messages\n',
      'log is empty: first index=3, last index=2',
      'ok',
    ]);
  });

  it('elects a single node, replicates a proposal and compacts', () => {
    const out = run(
      [
        'log-level NONE',
        '----',
        '',
        'add-nodes 1 voters=(1) index=2',
        '----',
        '',
        'campaign 1',
        '----',
        '',
        'stabilize',
        '----',
        '',
        'propose 1 "foo"',
        '----',
        '',
        'stabilize',
        '----',
        '',
        'log-level DEBUG',
        '----',
        '',
        'raft-state',
        '----',
        '',
        'raft-log 1',
        '----',
        '',
        'status 1',
        '----',
        '',
        'compact 1 4',
        '----',
        '',
        'add-nodes 1 index=1 voters=(1)',
        '----',
        '',
      ].join('\n'),
    );
    expect(out[7]).toBe('1: StateLeader (Voter) Term:1 Lead:1\n');
    expect(out[8]).toBe('1/3 EntryNormal ""\n1/4 EntryNormal "\\"foo\\""\n');
    expect(out[9]).toBe('1: StateReplicate match=4 next=5\n');
    expect(out[10]).toBe('log is empty: first index=5, last index=4');
    expect(out[11]).toBe('index must be specified as > 1 due to bootstrap');
  });

  it('indents per-node output of multi-node commands and prints dropped messages', () => {
    const out = run(
      [
        'log-level NONE',
        '----',
        '',
        'add-nodes 2 voters=(1,2) index=2',
        '----',
        '',
        'campaign 1',
        '----',
        '',
        'log-level INFO',
        '----',
        '',
        'process-ready 1 2',
        '----',
        '',
        'deliver-msgs drop=(2)',
        '----',
        '',
      ].join('\n'),
    );
    expect(out[4]!.startsWith('> 1 handling Ready\n  Ready MustSync=true:\n  Lead:0 State:StateCandidate\n')).toBe(
      true,
    );
    expect(out[4]).toContain('\n> 2 handling Ready\n  <empty Ready>\n');
    expect(out[5]).toBe('dropped: 1->2 MsgVote Term:1 Log:1/2\n');
  });
});

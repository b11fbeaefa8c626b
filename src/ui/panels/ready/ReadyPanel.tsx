// The Ready inspector: the recent Ready cycles of the selected node, newest first, each
// both as etcd's text form (DescribeReady) and field by field, with what each stage did
// (persisted, sent, applied). In manual mode it runs the current Ready stage by stage:
// persist → send → apply → advance, each button enabled only when it is that stage's turn.

import { memo, useCallback, useSyncExternalStore, type ReactNode } from 'react';
import type { ReadyStage } from '../../../cluster/protocol';
import { stateTypeNames } from '../../../raft/types';
import { describeConfState, describeHardState, describeReadStates } from '../../../raft/describe';
import { controller, selectMode, selectSelectedNodeView, useRaft, type NodeView } from '../../store';
import { entryText, idText, messageText, timeText } from '../node/format';
import { NodePicker } from '../node/NodePanel';
import { cyclesOf, startCycleTracking, subscribeCycles, type CycleView } from './cycleRing';
import '../node/node.css';
import './ready.css';

startCycleTracking();

const stages: { stage: ReadyStage; label: string; hint: string }[] = [
  {
    stage: 'persist',
    label: 'Persist',
    hint: 'Stage 1: write HardState, Entries and Snapshot to the disk (then to MemoryStorage). Messages may only leave after this.',
  },
  { stage: 'send', label: 'Send', hint: "Stage 2: hand the Ready's Messages to the network." },
  {
    stage: 'apply',
    label: 'Apply',
    hint: 'Stage 3: apply CommittedEntries to the state machine (and configuration changes to raft).',
  },
  {
    stage: 'advance',
    label: 'Advance',
    hint: 'Stage 4: tell raft the Ready was handled (RawNode.Advance), so it can produce the next one.',
  },
];

/** The next stage a manual step may run for this node, or undefined if there is none. */
export function nextStage(v: NodeView): ReadyStage | undefined {
  if (v.pendingStages.length > 0) return v.pendingStages[0] as ReadyStage;
  return v.hasReady && v.alive ? 'persist' : undefined;
}

function useCycles(node: number): readonly CycleView[] {
  const get = useCallback(() => cyclesOf(node), [node]);
  return useSyncExternalStore(subscribeCycles, get, get);
}

function StageControls({ v }: { v: NodeView }) {
  const mode = useRaft(selectMode);
  const manual = mode === 'manual';
  const next = nextStage(v);
  const inProgress = v.pendingStages.length > 0;
  const doneCount = inProgress ? 4 - v.pendingStages.length : 0;
  return (
    <section className="ready-stages" aria-label="Ready stages" data-testid="ready-stages" data-next={next ?? ''}>
      <div className="ready-stage-row" role="group" aria-label={`Run the Ready of node ${v.id} stage by stage`}>
        {stages.map((s, i) => {
          const state = i < doneCount ? 'done' : s.stage === next ? 'next' : 'waiting';
          return (
            <button
              key={s.stage}
              type="button"
              className={`ready-stage is-${state}${state === 'next' && manual ? ' primary' : ''}`}
              data-testid={`ready-stage-${s.stage}`}
              data-state={state}
              disabled={!manual || state !== 'next'}
              title={s.hint}
              aria-label={`${i + 1}. ${s.label}${state === 'done' ? ' (done)' : state === 'next' ? ' (next)' : ''}`}
              onClick={() => void controller.runStage(v.id, s.stage)}
            >
              <span aria-hidden="true">{state === 'done' ? '✓' : `${i + 1}`}</span> {s.label}
            </button>
          );
        })}
        <button
          type="button"
          className="small"
          data-testid="ready-run-cycle"
          disabled={!manual || next === undefined}
          title="Run every remaining stage of this Ready, and any Ready that follows, at once"
          onClick={() => void controller.runCycle(v.id)}
        >
          Run whole cycle
        </button>
      </div>
      <p className="ready-status" data-testid="ready-status">
        {!manual ? (
          <>
            Stages run by hand only in manual mode.{' '}
            <button
              type="button"
              className="small"
              data-testid="ready-manual"
              onClick={() => void controller.setMode('manual')}
              title="Switch the scheduler to manual mode: nothing moves unless you pick it"
            >
              Switch to manual
            </button>
          </>
        ) : inProgress ? (
          `A Ready is in progress: next stage ${next ?? '—'}.`
        ) : next !== undefined ? (
          'A Ready is waiting: start it with Persist.'
        ) : (
          'No Ready is waiting on this node.'
        )}
      </p>
    </section>
  );
}

function Section({
  title,
  hint,
  children,
  testId,
}: {
  title: string;
  hint: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div className="rf" data-testid={testId}>
      <div className="rf-name" title={hint}>
        {title}
      </div>
      <div className="rf-value">{children}</div>
    </div>
  );
}

function Lines({ lines, empty }: { lines: readonly string[]; empty: string }) {
  if (lines.length === 0) return <span className="muted">{empty}</span>;
  const shown = lines.slice(0, 200);
  return (
    <ul className="rf-lines">
      {shown.map((l, i) => (
        <li key={i}>
          <code>{l}</code>
        </li>
      ))}
      {lines.length > shown.length && <li className="muted">… {lines.length - shown.length} more</li>}
    </ul>
  );
}

const CycleEntry = memo(function CycleEntry({ c, open, current }: { c: CycleView; open: boolean; current: boolean }) {
  const rd = c.ready;
  const summary = [
    `${rd.entries.length} entries`,
    `${rd.committedEntries.length} committed`,
    `${rd.messages.length} messages`,
    rd.hardState !== undefined ? 'HardState' : '',
    rd.snapshot !== undefined && rd.snapshot.metadata.index > 0 ? 'snapshot' : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <details
      className={`ready-cycle${current ? ' is-current' : ''}`}
      open={open}
      data-testid={`ready-cycle-${c.seq}`}
      data-stages={c.stagesDone.join(',')}
    >
      <summary>
        <b>Ready #{c.seq}</b> <span className="muted">t={timeText(c.time)}</span>{' '}
        <span className="ready-done" title="Stages done">
          {stages.map((s) => (c.stagesDone.includes(s.stage) ? `✓${s.stage}` : `·${s.stage}`)).join(' ')}
        </span>
        <span className="ready-sum"> — {summary}</span>
      </summary>
      <div className="ready-body">
        <Section title="SoftState" hint="Set only when the leader or the role changed since the previous Ready">
          {rd.softState === undefined ? (
            <span className="muted">unchanged</span>
          ) : (
            `lead ${idText(rd.softState.lead)} · ${stateTypeNames[rd.softState.raftState] ?? rd.softState.raftState}`
          )}
        </Section>
        <Section
          title="HardState"
          hint="Set only when term, vote or commit changed; persisted before messages are sent"
        >
          {rd.hardState === undefined ? (
            <span className="muted">unchanged</span>
          ) : (
            <code>{describeHardState(rd.hardState)}</code>
          )}
        </Section>
        <Section
          title="ReadStates"
          hint="Answers to ReadIndex requests: a read with this context may be served once applied reaches the index"
        >
          {rd.readStates.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <code>{describeReadStates(rd.readStates)}</code>
          )}
        </Section>
        <Section
          title="Entries"
          hint="Entries to append to stable storage (persist stage) before any message is sent"
          testId="ready-entries"
        >
          <Lines lines={rd.entries.map(entryText)} empty="none" />
        </Section>
        <Section title="Snapshot" hint="A snapshot to persist (received from the leader)">
          {rd.snapshot === undefined || rd.snapshot.metadata.index === 0 ? (
            <span className="muted">none</span>
          ) : (
            <code>{`index ${rd.snapshot.metadata.index} term ${rd.snapshot.metadata.term} ${describeConfState(rd.snapshot.metadata.confState)}`}</code>
          )}
        </Section>
        <Section
          title="CommittedEntries"
          hint="Entries now committed, to apply to the state machine (apply stage)"
          testId="ready-committed"
        >
          <Lines lines={rd.committedEntries.map(entryText)} empty="none" />
        </Section>
        <Section
          title="Messages"
          hint="Messages to send once the persist stage is done (send stage)"
          testId="ready-messages"
        >
          <Lines lines={rd.messages.map(messageText)} empty="none" />
        </Section>
        <Section
          title="MustSync"
          hint="Whether HardState and Entries must be written durably (fsync) rather than buffered"
        >
          {String(rd.mustSync)}
        </Section>
        <Section title="Persisted" hint="What the persist stage wrote to the disk">
          {c.persisted === undefined ? (
            <span className="muted">{c.stagesDone.includes('persist') ? 'nothing' : 'not yet'}</span>
          ) : (
            [
              c.persisted.hardState !== undefined ? `HardState ${describeHardState(c.persisted.hardState)}` : '',
              c.persisted.entries.length > 0 ? `${c.persisted.entries.length} entries` : '',
              c.persisted.snapshot !== undefined ? `snapshot ${c.persisted.snapshot.metadata.index}` : '',
              c.persisted.ownSnapshot !== undefined
                ? `own snapshot, compacted to ${c.persisted.ownSnapshot.compactedTo}`
                : '',
            ]
              .filter(Boolean)
              .join(' · ') || 'nothing'
          )}
        </Section>
        <Section title="Sent" hint="Messages the send stage handed to the network">
          {c.stagesDone.includes('send') ? (
            `${c.sent.length} message${c.sent.length === 1 ? '' : 's'}`
          ) : (
            <span className="muted">not yet</span>
          )}
        </Section>
        <Section title="Applied" hint="What the apply stage did with each committed entry">
          {c.stagesDone.includes('apply') ? (
            <Lines lines={c.applied.map((a) => `${a.term}/${a.index} ${a.summary}`)} empty="nothing" />
          ) : (
            <span className="muted">not yet</span>
          )}
        </Section>
        <div className="ready-text-title" title="etcd's DescribeReady text for this Ready">
          etcd text form
        </div>
        <pre
          className="ready-text"
          data-testid="ready-text"
          tabIndex={0}
          aria-label={`Ready ${c.seq} as etcd prints it`}
        >
          {c.readyText}
        </pre>
      </div>
    </details>
  );
});

function ReadyDetails({ v }: { v: NodeView }) {
  const cycles = useCycles(v.id);
  const inProgress = v.pendingStages.length > 0;
  const list = cycles.slice().reverse();
  return (
    <>
      <StageControls v={v} />
      <h3
        className="fields-title"
        title="The most recent Ready cycles this page observed for the node (at most 40), newest first"
      >
        Recent Readies ({cycles.length})
      </h3>
      {list.length === 0 ? (
        <p className="muted">No Ready observed for this node yet.</p>
      ) : (
        <div className="ready-list" data-testid="ready-list">
          {list.map((c, i) => (
            <CycleEntry key={c.seq} c={c} open={i === 0} current={i === 0 && inProgress} />
          ))}
        </div>
      )}
    </>
  );
}

export function ReadyPanel() {
  const v = useRaft(selectSelectedNodeView);
  return (
    <div className="ready-panel" data-testid="ready-panel" data-node={v?.id ?? 0}>
      <div className="panel-head">
        <NodePicker testId="ready-node-picker" />
      </div>
      {v === undefined ? <p className="muted">Select a node to see its Ready cycles.</p> : <ReadyDetails v={v} />}
    </div>
  );
}

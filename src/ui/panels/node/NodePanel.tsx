// The node panel: everything about the selected node. Its HardState, SoftState and
// ConfState as raft holds them, its applied index, its log as a strip of term-coloured
// cells, the leader's progress of each peer, the KV state machine's contents, and what
// its disk holds (which is all that survives a crash).
//
// It subscribes to the selected node's view only (the store reuses a view while nothing
// in it changed), so activity on other nodes does not re-render it.

import {
  selectNodeId,
  selectNodeIds,
  selectSelectedNode,
  selectSelectedNodeView,
  useRaft,
  type NodeView,
} from '../../store';
import { termColor } from '../../theme';
import { Fields, type FieldDef } from './Fields';
import { idsText, idText, shortState } from './format';
import { LogStrip } from './LogStrip';
import { ProgressTable } from './ProgressTable';
import { useNodeLog } from './useNodeLog';
import { questionsForNode } from '../../../explain';
import { WhyButton } from '../why/WhyButton';
import { useWhyQuestions } from '../why/whyStore';
import './node.css';

/** A node picker shared by the panels that show one node: it changes the app's selection. */
export function NodePicker({ label = 'Node', testId = 'node-picker' }: { label?: string; testId?: string }) {
  const ids = useRaft(selectNodeIds);
  const selected = useRaft(selectSelectedNode);
  return (
    <label className="node-picker">
      <span>{label}</span>
      <select value={selected} onChange={(e) => selectNodeId(Number(e.target.value))} data-testid={testId}>
        <option value={0}>— choose —</option>
        {ids.map((id) => (
          <option key={id} value={id}>
            node {id}
          </option>
        ))}
      </select>
    </label>
  );
}

function TermBadge({ term }: { term: number }) {
  const c = termColor(term);
  return (
    <span className="term-badge" style={{ background: c.hex, color: c.ink }} title={`term ${term} (colour: ${c.name})`}>
      {term}
    </span>
  );
}

function stateFields(v: NodeView): { hard: FieldDef[]; soft: FieldDef[]; conf: FieldDef[] } {
  const cs = v.observation?.confState;
  const hard: FieldDef[] = [
    {
      key: 'term',
      label: 'term',
      value: <TermBadge term={v.term} />,
      hint: 'Current term: the latest term this node has seen. Persisted before any message of the term is sent.',
    },
    {
      key: 'vote',
      label: 'vote',
      value: idText(v.vote),
      hint: 'The candidate this node voted for in the current term (none: no vote yet). Persisted, so a restart cannot vote twice.',
    },
    {
      key: 'commit',
      label: 'commit',
      value: v.commit,
      hint: 'Highest log index known to be committed (stored on a quorum).',
    },
  ];
  const soft: FieldDef[] = [
    {
      key: 'lead',
      label: 'lead',
      value: idText(v.lead),
      hint: 'The leader this node currently follows (none: unknown). Volatile: not persisted.',
    },
    {
      key: 'state',
      label: 'state',
      value: v.state ?? (v.panic === undefined ? `not running (${v.status})` : `not running (panicked: ${v.panic})`),
      hint: 'Role: StateFollower, StatePreCandidate, StateCandidate or StateLeader. Volatile.',
    },
    {
      key: 'applied',
      label: 'applied',
      value: v.applied,
      hint: 'Highest index applied to the state machine. applied <= commit always.',
    },
  ];
  const conf: FieldDef[] =
    cs === undefined
      ? [
          {
            key: 'voters',
            label: 'voters',
            value: 'not running',
            hint: 'The configuration is known only while the node runs (restart it to see it).',
          },
        ]
      : [
          {
            key: 'voters',
            label: 'voters',
            value: idsText(cs.voters),
            hint: 'Voters of the incoming (or only) configuration: their majority commits entries and elects leaders.',
          },
          {
            key: 'voters-outgoing',
            label: 'outgoing voters',
            value: idsText(cs.votersOutgoing),
            hint: 'Voters of the outgoing configuration; non-empty only in a joint configuration, where both majorities are needed.',
          },
          {
            key: 'learners',
            label: 'learners',
            value: idsText(cs.learners),
            hint: 'Learners receive the log but neither vote nor count for commitment.',
          },
          {
            key: 'learners-next',
            label: 'learners next',
            value: idsText(cs.learnersNext),
            hint: 'Outgoing voters that become learners once the joint configuration is left.',
          },
          {
            key: 'auto-leave',
            label: 'autoLeave',
            value: String(cs.autoLeave),
            hint: 'Whether the joint configuration is left automatically once it is committed.',
          },
        ];
  return { hard, soft, conf };
}

function KvTable({ kv }: { kv: Record<string, string> | undefined }) {
  if (kv === undefined)
    return (
      <p className="muted">
        The state machine lives only in the running process (it is rebuilt from the disk on restart).
      </p>
    );
  const keys = Object.keys(kv).sort();
  if (keys.length === 0)
    return (
      <p className="muted" data-testid="node-kv-empty">
        No keys yet. Use the Client tab to put one.
      </p>
    );
  return (
    <table className="kv-table" data-testid="node-kv">
      <caption className="rl-visually-hidden">Keys and values of the KV state machine</caption>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {keys.slice(0, 500).map((k) => (
          <tr key={k} data-testid={`node-kv-${k}`}>
            <th scope="row">{k}</th>
            <td>{kv[k]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NodeDetails({ v }: { v: NodeView }) {
  const log = useNodeLog(v);
  const { hard, soft, conf } = stateFields(v);
  const d = v.disk;
  const diskFields: FieldDef[] = [
    {
      key: 'hardstate',
      label: 'HardState',
      value: `term ${d.term} · vote ${idText(d.vote)} · commit ${d.commit}`,
      hint: 'The HardState last written to disk (what a restart starts from).',
    },
    {
      key: 'snapshot',
      label: 'snapshot',
      value: d.snapshotIndex > 0 ? `index ${d.snapshotIndex} · term ${d.snapshotTerm}` : 'none',
      hint: 'The latest snapshot on disk (index/term of the last entry it covers).',
    },
    {
      key: 'entries',
      label: 'entries',
      value:
        d.lastIndex >= d.firstIndex ? `${d.firstIndex} … ${d.lastIndex} (${d.lastIndex - d.firstIndex + 1})` : 'none',
      hint: 'Index range of the log entries on disk, after the snapshot.',
    },
  ];
  const progress = v.observation?.progress ?? [];
  return (
    <>
      <section aria-label="Log" className="node-section">
        <h3 className="fields-title" title="Each cell is one entry; its colour and number are its term">
          Log
        </h3>
        {log === undefined ? null : <LogStrip model={log.model} nodeId={v.id} />}
      </section>
      <div className="fields-row">
        <Fields
          title="HardState"
          hint="Persisted before messages are sent: term, vote, commit"
          fields={hard}
          testPrefix="node-field"
        />
        <Fields
          title="SoftState"
          hint="Volatile state: leader, role; and the applied index"
          fields={soft}
          testPrefix="node-field"
        />
      </div>
      <Fields
        title="ConfState"
        hint="The membership configuration this node has applied"
        fields={conf}
        testPrefix="node-field"
      />
      {progress.length > 0 && (
        <section aria-label="Progress" className="node-section">
          <h3 className="fields-title" title="The leader's tracker.Progress of every peer">
            Progress (leader's view of each peer)
          </h3>
          <ProgressTable progress={progress} lastIndex={v.lastIndex} self={v.id} />
        </section>
      )}
      <section aria-label="KV state machine" className="node-section">
        <h3 className="fields-title" title="raftexample's key-value store, as this node has applied it">
          KV contents
        </h3>
        <KvTable kv={v.observation?.kv} />
      </section>
      <Fields
        title="Disk"
        hint="The durable state: what raftexample keeps in its WAL and snapshot directory; it survives a crash"
        fields={diskFields}
        testPrefix="node-disk"
      />
    </>
  );
}

/** "Why no election?" for a follower, or a node that is not running (src/explain answers it). */
function CampaignWhy({ v }: { v: NodeView }) {
  const ask = v.state === 'StateFollower' || v.state === undefined;
  const qs = useWhyQuestions((s) => questionsForNode(v.id, s), ask, String(v.id));
  return (
    <>
      {qs
        .filter((q) => q.about === 'campaign')
        .map((q) => (
          <WhyButton
            key={q.about}
            question={q}
            label="Why no election?"
            title={`Why does node ${v.id} not start an election?`}
          />
        ))}
    </>
  );
}

export function NodePanel() {
  const v = useRaft(selectSelectedNodeView);
  return (
    <div className="node-panel" data-testid="node-panel" data-node={v?.id ?? 0}>
      <div className="panel-head">
        <NodePicker />
        {v !== undefined && (
          <span className="node-head-state">
            {v.status !== 'alive' ? v.status : shortState(v.state)}
            {v.paused ? ' · paused' : ''}
            {v.isLearner ? ' · learner' : ''}
          </span>
        )}
        {v !== undefined && <CampaignWhy v={v} />}
      </div>
      {v === undefined ? (
        <p className="muted">
          Select a node (click it in the cluster view, or choose it above) to inspect its state, log and progress.
        </p>
      ) : (
        <NodeDetails v={v} />
      )}
    </div>
  );
}

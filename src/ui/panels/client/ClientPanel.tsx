// The client panel: raftexample's HTTP API as forms. Put a key, get one (a local read,
// possibly stale, or a linearizable ReadIndex read), change the membership, transfer
// leadership, compact a log; and the history of every client operation with its outcome
// (the same history the linearizability checker reads).

import { memo, useState, type FormEvent } from 'react';
import type { ClientOp } from '../../../cluster/client';
import { controller, selectHistory, selectLeader, selectNodeIds, selectNodesById, useRaft } from '../../store';
import { questionsForOp } from '../../../explain';
import { WhyButton } from '../why/WhyButton';
import { useWhyQuestions } from '../why/whyStore';
import '../node/node.css';
import './client.css';

/** A select of node ids; value 0 = "auto" (the leader, or the cluster's default target). */
function NodeSelect({
  value,
  onChange,
  testId,
  label,
  auto = 'leader (auto)',
  only,
}: {
  value: number;
  onChange: (v: number) => void;
  testId: string;
  label: string;
  auto?: string | null;
  only?: (id: number) => boolean;
}) {
  const ids = useRaft(selectNodeIds);
  const shown = only === undefined ? ids : ids.filter(only);
  return (
    <label className="cf">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(Number(e.target.value))} data-testid={testId}>
        {auto !== null && <option value={0}>{auto}</option>}
        {auto === null && shown.length === 0 && <option value={0}>—</option>}
        {shown.map((id) => (
          <option key={id} value={id}>
            node {id}
          </option>
        ))}
      </select>
    </label>
  );
}

function prevent(fn: () => void) {
  return (e: FormEvent) => {
    e.preventDefault();
    fn();
  };
}

function PutForm() {
  const [key, setKey] = useState('x');
  const [value, setValue] = useState('1');
  const [node, setNode] = useState(0);
  return (
    <form
      className="client-form"
      aria-label="Put"
      onSubmit={prevent(() => key !== '' && void controller.put(key, value, node === 0 ? {} : { node }))}
    >
      <h3 className="fields-title" title="Propose a KV put; it is done when the node it was sent to applies it">
        Put
      </h3>
      <label className="cf">
        <span>key</span>
        <input value={key} onChange={(e) => setKey(e.target.value)} data-testid="put-key" required size={8} />
      </label>
      <label className="cf">
        <span>value</span>
        <input value={value} onChange={(e) => setValue(e.target.value)} data-testid="put-value" size={8} />
      </label>
      <NodeSelect value={node} onChange={setNode} testId="put-node" label="to" />
      <button
        type="submit"
        className="primary"
        data-testid="put-submit"
        title="Propose the put (a follower forwards it to the leader)"
      >
        Put
      </button>
    </form>
  );
}

function GetForm() {
  const [key, setKey] = useState('x');
  const [linearizable, setLinearizable] = useState(true);
  const [node, setNode] = useState(0);
  return (
    <form
      className="client-form"
      aria-label="Get"
      onSubmit={prevent(
        () => key !== '' && void controller.get(key, node === 0 ? { linearizable } : { node, linearizable }),
      )}
    >
      <h3
        className="fields-title"
        title="Read a key: locally (answered at once, may be stale) or with ReadIndex (linearizable: waits for the leader to confirm it still leads)"
      >
        Get
      </h3>
      <label className="cf">
        <span>key</span>
        <input value={key} onChange={(e) => setKey(e.target.value)} data-testid="get-key" required size={8} />
      </label>
      <NodeSelect value={node} onChange={setNode} testId="get-node" label="at" />
      <label
        className="cf cf-check"
        title="Checked: a ReadIndex read (linearizable). Unchecked: a local read of the node's state machine, which may be stale."
      >
        <input
          type="checkbox"
          checked={linearizable}
          onChange={(e) => setLinearizable(e.target.checked)}
          data-testid="get-linearizable"
        />
        <span>linearizable (ReadIndex)</span>
      </label>
      <button type="submit" className="primary" data-testid="get-submit">
        Get
      </button>
    </form>
  );
}

function MembershipForms() {
  const nodes = useRaft(selectNodesById);
  const leader = useRaft(selectLeader);
  const [newId, setNewId] = useState('');
  const [promoteId, setPromoteId] = useState(0);
  const [removeId, setRemoveId] = useState(0);
  const [transferId, setTransferId] = useState(0);
  const [compactIndex, setCompactIndex] = useState('');
  const [compactNode, setCompactNode] = useState(0);
  const idArg = (): number | undefined => {
    const n = Number(newId);
    return newId.trim() === '' || !Number.isInteger(n) || n <= 0 ? undefined : n;
  };
  const learner = (id: number) => nodes.get(id)?.isLearner === true && nodes.get(id)?.status !== 'removed';
  const present = (id: number) => nodes.get(id)?.status !== 'removed';
  const pick = (v: number, ok: (id: number) => boolean) => (v !== 0 && ok(v) ? v : ([...nodes.keys()].find(ok) ?? 0));
  const promoteTarget = pick(promoteId, learner);
  const removeTarget = pick(removeId, present);
  const transferTarget = pick(transferId, (id) => present(id) && id !== leader && !learner(id));
  const compactTarget = compactNode === 0 ? leader : compactNode;
  const compactDefault = nodes.get(compactTarget)?.applied ?? 0;
  return (
    <div className="client-membership">
      <h3
        className="fields-title"
        title="Configuration changes are proposed as log entries; each is done when it applies at the node that proposed it"
      >
        Membership and log
      </h3>
      <div className="client-form">
        <label className="cf">
          <span>new id</span>
          <input
            value={newId}
            onChange={(e) => setNewId(e.target.value)}
            placeholder="next"
            inputMode="numeric"
            size={4}
            data-testid="member-id"
          />
        </label>
        <button
          type="button"
          data-testid="client-add-node"
          onClick={() => void controller.addNode(idArg())}
          title="Start a new node and propose adding it as a voter (ConfChangeAddNode)"
        >
          Add node
        </button>
        <button
          type="button"
          data-testid="client-add-learner"
          onClick={() => void controller.addLearner(idArg())}
          title="Start a new node and propose adding it as a learner (ConfChangeAddLearnerNode)"
        >
          Add learner
        </button>
      </div>
      <div className="client-form">
        <NodeSelect
          value={promoteTarget}
          onChange={setPromoteId}
          testId="promote-node"
          label="learner"
          auto={null}
          only={learner}
        />
        <button
          type="button"
          data-testid="client-promote"
          disabled={promoteTarget === 0}
          onClick={() => void controller.promote(promoteTarget)}
          title="Propose promoting the learner to voter"
        >
          Promote
        </button>
        <NodeSelect
          value={removeTarget}
          onChange={setRemoveId}
          testId="remove-node"
          label="node"
          auto={null}
          only={present}
        />
        <button
          type="button"
          data-testid="client-remove"
          disabled={removeTarget === 0}
          onClick={() => void controller.removeNode(removeTarget)}
          title="Propose removing the node (ConfChangeRemoveNode)"
        >
          Remove
        </button>
      </div>
      <div className="client-form">
        <NodeSelect
          value={transferTarget}
          onChange={setTransferId}
          testId="transfer-node"
          label="to"
          auto={null}
          only={(id) => present(id) && id !== leader && !learner(id)}
        />
        <button
          type="button"
          data-testid="client-transfer"
          disabled={transferTarget === 0 || leader === 0}
          onClick={() => void controller.transferLeadership(transferTarget)}
          title="Ask the leader to hand leadership to this voter (MsgTransferLeader, then MsgTimeoutNow)"
        >
          Transfer leadership
        </button>
      </div>
      <form
        className="client-form"
        aria-label="Compact"
        onSubmit={prevent(
          () =>
            void controller.compact(
              Number(compactIndex === '' ? compactDefault : compactIndex),
              compactNode === 0 ? {} : { node: compactNode },
            ),
        )}
      >
        <label className="cf">
          <span>compact to</span>
          <input
            value={compactIndex}
            onChange={(e) => setCompactIndex(e.target.value)}
            placeholder={String(compactDefault)}
            inputMode="numeric"
            size={5}
            data-testid="compact-index"
          />
        </label>
        <NodeSelect value={compactNode} onChange={setCompactNode} testId="compact-node" label="on" />
        <button
          type="submit"
          data-testid="compact-submit"
          title="Compact the node's log up to this index (it must be applied); entries before it are dropped behind a snapshot"
        >
          Compact
        </button>
      </form>
    </div>
  );
}

const opLabels: Record<string, string> = {
  put: 'put',
  get: 'get',
  addNode: 'add node',
  addLearner: 'add learner',
  promote: 'promote',
  removeNode: 'remove',
  changeMembership: 'membership',
  leaveJoint: 'leave joint',
  transferLeadership: 'transfer',
  compact: 'compact',
};

function opWhat(op: ClientOp): string {
  if (op.kind === 'put') return `${op.key ?? ''}=${op.value ?? ''}`;
  if (op.kind === 'get') return op.key ?? '';
  return op.value ?? op.key ?? '';
}

function opResult(op: ClientOp): string {
  if (op.kind === 'get' && op.status === 'ok') return op.found === false ? '(not found)' : `"${op.result ?? ''}"`;
  return op.result ?? '';
}

const OpRow = memo(function OpRow({ op }: { op: ClientOp }) {
  // A pending or failed request: src/explain can say where it went and where it stopped.
  const whys = useWhyQuestions((s) => questionsForOp(op.id, s), op.status !== 'ok', `${op.id}:${op.status}`, false);
  return (
    <tr data-testid={`op-${op.id}`} data-status={op.status} data-kind={op.kind} className={`op-${op.status}`}>
      <td className="num">{op.id}</td>
      <td>{opLabels[op.kind] ?? op.kind}</td>
      <td className="op-what">{opWhat(op)}</td>
      <td className="num" title="The node the request was sent to">
        {op.node}
      </td>
      <td>
        <span
          className={`op-status op-status-${op.status}`}
          title={
            op.status === 'pending'
              ? 'Not done yet (it may never be, if the entry is lost)'
              : op.status === 'failed'
                ? 'Refused or lost'
                : 'Done'
          }
        >
          {op.status}
        </span>
        {whys.map((q) => (
          <WhyButton
            key={q.about}
            question={q}
            title={op.status === 'pending' ? 'Why is this request still pending?' : 'Why did this request fail?'}
          />
        ))}
        {op.consistency === 'stale-possible' && (
          <span
            className="flag flag-warn"
            title="A local read: answered from this node's state machine without asking the leader, so it may be stale"
            data-testid={`op-${op.id}-stale`}
          >
            stale-possible
          </span>
        )}
        {op.consistency === 'linearizable' && (
          <span
            className="flag"
            title={`A ReadIndex read${op.readIndex !== undefined ? ` at index ${op.readIndex}` : ''}: linearizable`}
          >
            linearizable
          </span>
        )}
      </td>
      <td className="op-result" data-testid={`op-${op.id}-result`}>
        {opResult(op)}
      </td>
      <td className="num muted" title="Invoked at → completed at (virtual time)">
        {op.invokeTime.toFixed(1)}
        {op.completeTime !== undefined ? `→${op.completeTime.toFixed(1)}` : ''}
      </td>
    </tr>
  );
});

function History() {
  const history = useRaft(selectHistory);
  const shown = history.slice(-200).reverse();
  return (
    <section className="client-history" aria-label="Client operations">
      <h3 className="fields-title" title="Every client operation, newest first, with its outcome">
        Requests ({history.length})
      </h3>
      {shown.length === 0 ? (
        <p className="muted">No request yet.</p>
      ) : (
        <div className="op-scroll" tabIndex={0} role="region" aria-label="Client operations, newest first">
          <table className="kv-table op-table" data-testid="client-history">
            <caption className="rl-visually-hidden">Client operations, newest first</caption>
            <thead>
              <tr>
                <th scope="col" title="Operation id">
                  #
                </th>
                <th scope="col">Op</th>
                <th scope="col">Key / args</th>
                <th scope="col" title="Node the request was sent to">
                  Node
                </th>
                <th scope="col">Status</th>
                <th scope="col">Result</th>
                <th scope="col" title="Virtual time invoked → completed">
                  Time
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((op) => (
                <OpRow key={op.id} op={op} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function ClientPanel() {
  return (
    <div className="client-panel" data-testid="client-panel">
      <PutForm />
      <GetForm />
      <History />
      <MembershipForms />
    </div>
  );
}

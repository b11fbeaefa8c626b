// The message inspector: every message on the wire (in flight or held), grouped per
// directed link in delivery order, with every field etcd's Message carries that matters
// for its type, and per-message deliver / drop / duplicate / delay / hold buttons.
//
// Selection is shared with the cluster view and the space-time diagram: choosing a
// message here highlights it there, and a message selected there is highlighted (and
// scrolled into view) here. The list subscribes to the envelopes; each row is a memo'd
// component that reads its own envelope by id, so a change to one message re-renders
// one row.

import { memo, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Envelope } from '../../../cluster/bus';
import { describeSnapshot } from '../../../raft/describe';
import {
  controller,
  selectClusterTime,
  selectInFlight,
  selectMessage,
  selectMessageId,
  selectSelectedNode,
  useRaft,
  type RaftlabState,
} from '../../store';
import { messageCategory } from '../../theme';
import { entryText, idText, messageText, messageTypeName, timeText } from '../node/format';
import { groupByLink } from './group';
import { questionsForMessage } from '../../../explain';
import { WhyButton } from '../why/WhyButton';
import { useWhyQuestions } from '../why/whyStore';
import { notInHarness, useScriptActive } from '../../scripts/mode';
import '../node/node.css';
import '../ready/ready.css';
import './messages.css';

const maxRows = 300;

function Fld({ name, hint, children }: { name: string; hint: string; children: ReactNode }) {
  return (
    <span className="mf" title={hint}>
      <span className="mf-name">{name}</span> {children}
    </span>
  );
}

/** The one-shot actions on a message on the wire (Hold, a toggle, is drawn apart). */
const wireActions: readonly {
  key: string;
  label: string;
  verb: string;
  title: string;
  run: (id: number) => unknown;
}[] = [
  {
    key: 'deliver',
    label: 'Deliver',
    verb: 'Deliver',
    title: 'Deliver this message now (out of order if need be)',
    run: (id) => controller.deliver(id),
  },
  { key: 'drop', label: 'Drop', verb: 'Drop', title: 'Drop (lose) this message', run: (id) => controller.drop(id) },
  {
    key: 'dup',
    label: 'Dup',
    verb: 'Duplicate',
    title: 'Put a copy of this message on the wire',
    run: (id) => controller.duplicate(id),
  },
  {
    key: 'delay',
    label: 'Delay',
    verb: 'Delay',
    title: 'Delay: send it to the back of its link, so the messages behind it overtake it',
    run: (id) => controller.delay(id),
  },
];

const MessageRow = memo(function MessageRow({ id }: { id: number }) {
  const env = useRaft(selectMessage(id));
  const isSelected = useCallback((s: RaftlabState) => s.selection.selectedMessage === id, [id]);
  const selected = useRaft(isSelected);
  const now = useRaft(selectClusterTime);
  // An etcd script is open: only delivering and dropping are harness commands (deliver-msgs).
  const script = useScriptActive();
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [selected]);
  // Rejections are what a student asks about; src/explain says whether it has an answer.
  const whys = useWhyQuestions((s) => questionsForMessage(id, s), env?.msg.reject === true, String(id), false);
  if (env === undefined) return null;
  const m = env.msg;
  const type = messageTypeName(m);
  const due = env.dueTime - now;
  return (
    <li
      ref={ref}
      className={`msg-row msg-cat-${messageCategory(type)}${selected ? ' is-selected' : ''}${env.held ? ' is-held' : ''}${m.reject ? ' is-reject' : ''}`}
      data-testid={`inflight-${id}`}
      data-type={type}
      data-from={env.from}
      data-to={env.to}
      data-due={env.dueTime}
      data-selected={selected ? 'true' : 'false'}
    >
      <div className="msg-line">
        <button
          type="button"
          className="msg-select"
          aria-pressed={selected}
          data-testid={`select-msg-${id}`}
          title={
            selected
              ? 'Selected (highlighted in the cluster view and the space-time diagram); click to clear'
              : 'Select this message: it is highlighted in every view'
          }
          onClick={() => selectMessageId(selected ? 0 : id)}
        >
          #{id} <b>{type}</b> {env.from}→{env.to}
        </button>
        <span className="msg-actions">
          {wireActions.map((a) => (
            <button
              key={a.key}
              type="button"
              className="small"
              data-testid={`${a.key}-${id}`}
              onClick={() => void a.run(id)}
              disabled={script && a.key !== 'deliver' && a.key !== 'drop'}
              title={
                script
                  ? a.key === 'deliver' || a.key === 'drop'
                    ? `${a.verb} every message queued for node ${env.to} (deliver-msgs)`
                    : notInHarness
                  : a.title
              }
              aria-label={`${a.verb} message ${id}`}
            >
              {a.label}
            </button>
          ))}
          <button
            type="button"
            className="small"
            data-testid={`hold-${id}`}
            aria-pressed={env.held}
            onClick={() => void controller.hold(id, !env.held)}
            disabled={script}
            title={
              script
                ? notInHarness
                : env.held
                  ? 'Release: let it be delivered when due'
                  : 'Hold: keep it on the wire until released or delivered by hand'
            }
            aria-label={`${env.held ? 'Release' : 'Hold'} message ${id}`}
          >
            {env.held ? 'Release' : 'Hold'}
          </button>
        </span>
      </div>
      <div className="msg-fields">
        <Fld name="term" hint="The sender's term (0 for local messages such as MsgProp)">
          {m.term}
        </Fld>
        <Fld
          name="log"
          hint="logTerm/index: for MsgApp, the term and index of the entry just before the entries; for votes, the candidate's last entry; for responses, the index acknowledged or rejected"
        >
          {m.logTerm}/{m.index}
        </Fld>
        <Fld name="commit" hint="The sender's commit index (MsgApp, MsgHeartbeat)">
          {m.commit}
        </Fld>
        {m.vote !== 0 && (
          <Fld name="vote" hint="For vote messages: the vote">
            {idText(m.vote)}
          </Fld>
        )}
        <Fld name="entries" hint="Number of log entries carried">
          {m.entries.length}
        </Fld>
        {m.reject && (
          <Fld
            name="reject"
            hint="The receiver rejected the request; rejectHint is its hint of where its log ends (for MsgAppResp)"
          >
            <span className="msg-reject">rejected, hint {m.rejectHint}</span>
          </Fld>
        )}
        {whys.map((q) => (
          <WhyButton key={q.about} question={q} title={`Why was it rejected? (${type} ${env.from}→${env.to})`} />
        ))}
        {m.snapshot !== undefined && m.snapshot.metadata.index > 0 && (
          <Fld name="snapshot" hint="The snapshot's metadata: last index and term it covers, and its configuration">
            {m.snapshot.metadata.index}/{m.snapshot.metadata.term}
          </Fld>
        )}
        <Fld
          name="due"
          hint="Virtual time at which the network delivers it (held messages wait); in brackets: ticks from now"
        >
          {timeText(env.dueTime)} ({due >= 0 ? '+' : ''}
          {timeText(due)})
        </Fld>
        <Fld name="sent" hint="Virtual time it was sent">
          {timeText(env.sendTime)}
        </Fld>
        <Fld name="size" hint="Approximate size on the wire, in bytes">
          {env.size} B
        </Fld>
        {env.held && (
          <span className="flag flag-warn" title="Held: it stays on the wire until released or delivered by hand">
            held
          </span>
        )}
        {env.duplicateOf !== undefined && (
          <span className="flag" title="A duplicate of another message">
            dup of #{env.duplicateOf}
          </span>
        )}
      </div>
      {selected && <MessageDetail env={env} />}
    </li>
  );
});

function MessageDetail({ env }: { env: Envelope }) {
  const m = env.msg;
  return (
    <div className="msg-detail" data-testid={`inflight-detail-${env.id}`}>
      <div className="muted" title="etcd's DescribeMessage text">
        etcd text form
      </div>
      <pre className="ready-text msg-text">{messageText(m)}</pre>
      {m.entries.length > 0 && (
        <ul className="rf-lines">
          {m.entries.slice(0, 50).map((e) => (
            <li key={e.index}>
              <code>{entryText(e)}</code>
            </li>
          ))}
          {m.entries.length > 50 && <li className="muted">… {m.entries.length - 50} more</li>}
        </ul>
      )}
      {m.snapshot !== undefined && m.snapshot.metadata.index > 0 && <code>{describeSnapshot(m.snapshot)}</code>}
    </div>
  );
}

export function MessagesPanel() {
  const inFlight = useRaft(selectInFlight);
  const selNode = useRaft(selectSelectedNode);
  const [onlySelected, setOnlySelected] = useState(false);
  const [heldOnly, setHeldOnly] = useState(false);
  const [typeFilter, setTypeFilter] = useState('');
  const groups = useMemo(() => {
    const t = typeFilter.trim().toLowerCase();
    return groupByLink(inFlight, (e) => {
      if (onlySelected && selNode !== 0 && e.from !== selNode && e.to !== selNode) return false;
      if (heldOnly && !e.held) return false;
      if (t !== '' && !messageTypeName(e.msg).toLowerCase().includes(t)) return false;
      return true;
    });
  }, [inFlight, onlySelected, heldOnly, typeFilter, selNode]);
  let budget = maxRows;
  const shownCount = groups.reduce((n, g) => n + g.ids.length, 0);
  return (
    <div className="messages-panel" data-testid="messages-panel" data-count={inFlight.length}>
      <div className="panel-head msg-filters">
        <span className="msg-count" data-testid="messages-count">
          {inFlight.length} on the wire{shownCount !== inFlight.length ? `, ${shownCount} shown` : ''}
        </span>
        <label title={selNode === 0 ? 'Select a node first' : `Only messages from or to node ${selNode}`}>
          <input
            type="checkbox"
            checked={onlySelected}
            onChange={(e) => setOnlySelected(e.target.checked)}
            data-testid="messages-only-selected"
          />{' '}
          only node {selNode === 0 ? '(none selected)' : selNode}
        </label>
        <label title="Only held messages">
          <input
            type="checkbox"
            checked={heldOnly}
            onChange={(e) => setHeldOnly(e.target.checked)}
            data-testid="messages-held-only"
          />{' '}
          held only
        </label>
        <label className="msg-type-filter">
          <span>type</span>
          <input
            type="search"
            value={typeFilter}
            onChange={(e) => setTypeFilter(e.target.value)}
            placeholder="e.g. MsgApp"
            data-testid="messages-type-filter"
          />
        </label>
      </div>
      {groups.length === 0 ? (
        <p className="muted">No message is on the wire{inFlight.length > 0 ? ' that matches the filters' : ''}.</p>
      ) : (
        groups.map((g) => {
          if (budget <= 0) return null;
          const ids = g.ids.slice(0, budget);
          budget -= ids.length;
          return (
            <section
              key={g.key}
              className="msg-link"
              aria-label={`Link ${g.from} to ${g.to}`}
              data-testid={`link-group-${g.from}-${g.to}`}
            >
              <h3 className="msg-link-title">
                {g.from} → {g.to}{' '}
                <span className="muted">
                  {g.ids.length} message{g.ids.length === 1 ? '' : 's'}
                  {g.held > 0 ? `, ${g.held} held` : ''}
                </span>
              </h3>
              <ul className="msg-list">
                {ids.map((id) => (
                  <MessageRow key={id} id={id} />
                ))}
              </ul>
            </section>
          );
        })
      )}
      {shownCount > maxRows && <p className="muted">Showing the first {maxRows} messages.</p>}
    </div>
  );
}

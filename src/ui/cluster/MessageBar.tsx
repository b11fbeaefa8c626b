// Actions on the selected message in flight (manual network control).

import { controller, selectMessageId, selectSelectedEnvelope, useRaft } from '../store';
import { typeName } from './MessagesLayer';
import { notInHarness, useScriptActive } from '../scripts/mode';

export function MessageBar() {
  const env = useRaft(selectSelectedEnvelope);
  // An etcd script is open: the harness delivers and drops per recipient (deliver-msgs).
  const script = useScriptActive();
  if (env === undefined) return null;
  const id = env.id;
  return (
    <div className="message-bar" role="toolbar" aria-label={`Message ${id}`} data-testid="message-bar">
      <span className="message-bar-title" title={`Message #${id}, sent at t=${env.sendTime}, due at t=${env.dueTime}`}>
        #{id} {typeName(env)} {env.from}→{env.to} term {env.msg.term}
        {env.msg.reject ? ' (reject)' : ''}
      </span>
      <button
        type="button"
        className="small"
        data-testid="msg-deliver"
        onClick={() => void controller.deliver(id)}
        title={script ? `Deliver every message queued for node ${env.to} (deliver-msgs)` : 'Deliver this message now'}
      >
        Deliver
      </button>
      <button
        type="button"
        className="small"
        data-testid="msg-drop"
        onClick={() => void controller.drop(id)}
        title={script ? `Drop every message queued for node ${env.to} (deliver-msgs drop)` : 'Drop (lose) this message'}
      >
        Drop
      </button>
      <button
        type="button"
        className="small"
        data-testid="msg-duplicate"
        onClick={() => void controller.duplicate(id)}
        disabled={script}
        title={script ? notInHarness : 'Send a copy of this message'}
      >
        Duplicate
      </button>
      <button
        type="button"
        className="small"
        data-testid="msg-delay"
        onClick={() => void controller.delay(id)}
        disabled={script}
        title={script ? notInHarness : 'Delay: send it to the back of its link, so the messages behind it overtake it'}
      >
        Delay
      </button>
      <button
        type="button"
        className="small"
        data-testid="msg-hold"
        onClick={() => void controller.hold(id, !env.held)}
        disabled={script}
        title={script ? notInHarness : 'Hold: keep it on the wire until released or delivered by hand'}
      >
        {env.held ? 'Release' : 'Hold'}
      </button>
      <button
        type="button"
        className="small ghost"
        onClick={() => selectMessageId(0)}
        title="Close"
        aria-label="Close message actions"
      >
        ✕
      </button>
    </div>
  );
}

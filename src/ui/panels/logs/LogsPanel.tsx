// The Logs panel: the log matrix, with a toggle that widens the side area (the matrix
// needs width; the cluster view keeps the rest).

import { selectSideWide, setSideWide, useRaft } from '../../store';
import { LogMatrix } from './LogMatrix';
import '../node/node.css';
import './logs.css';

/** The "wide" toggle shared by the panels that need width. */
export function WideToggle() {
  const wide = useRaft(selectSideWide);
  return (
    <button
      type="button"
      className="small wide-toggle"
      aria-pressed={wide}
      data-testid="side-wide"
      title={wide ? 'Give the cluster view its width back' : 'Widen this panel (the cluster view gets narrower)'}
      onClick={() => setSideWide(!wide)}
    >
      {wide ? '⇥ Narrow' : '⇤ Wide'}
    </button>
  );
}

export function LogsPanel() {
  return (
    <div className="logs-panel" data-testid="logs-panel">
      <div className="panel-head">
        <h3 className="fields-title" title="Every node's log, index by index, as in the Raft paper's figures">
          Logs side by side
        </h3>
        <WideToggle />
      </div>
      <LogMatrix />
    </div>
  );
}

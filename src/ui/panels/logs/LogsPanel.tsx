// The Logs panel: the log matrix in the side area, with a toggle that widens the side
// area (the matrix needs width) and one that docks the matrix in the bottom slot above
// the timeline instead, so it stays in view beside any side panel (the narration).

import { selectLogsDocked, selectSideWide, setLogsDocked, setSideWide, useRaft } from '../../store';
import { LogMatrix } from './LogMatrix';
import '../node/node.css';
import './logs.css';

/** The "wide" toggle shared by the panels that need width. */
export function WideToggle() {
  const wide = useRaft(selectSideWide);
  return (
    <button
      type="button"
      className="small"
      aria-pressed={wide}
      data-testid="side-wide"
      title={wide ? 'Give the cluster view its width back' : 'Widen this panel (the cluster view gets narrower)'}
      onClick={() => setSideWide(!wide)}
    >
      {wide ? '⇥ Narrow' : '⇤ Wide'}
    </button>
  );
}

function DockToggle({ testId }: { testId: string }) {
  const docked = useRaft(selectLogsDocked);
  return (
    <button
      type="button"
      className="small"
      aria-pressed={docked}
      data-testid={testId}
      title={
        docked
          ? 'Show the log matrix in its tab again'
          : 'Dock the log matrix under the cluster view, above the timeline'
      }
      onClick={() => setLogsDocked(!docked)}
    >
      {docked ? '⇧ Undock' : '⇩ Dock at bottom'}
    </button>
  );
}

function Head({ wide, dockId }: { wide: boolean; dockId: string }) {
  return (
    <div className="panel-head lm-head-bar">
      <h3 className="fields-title" title="Every node's log, index by index, as in the Raft paper's figures">
        Logs side by side
      </h3>
      <span className="lm-head-tools">
        {wide && <WideToggle />}
        <DockToggle testId={dockId} />
      </span>
    </div>
  );
}

export function LogsPanel() {
  const docked = useRaft(selectLogsDocked);
  return (
    <div className="logs-panel" data-testid="logs-panel">
      <Head wide={!docked} dockId="logs-dock" />
      {docked ? <p className="muted">The log matrix is docked under the cluster view.</p> : <LogMatrix />}
    </div>
  );
}

/** The matrix in the bottom slot (App renders it while docked). */
export function DockedLogs() {
  const docked = useRaft(selectLogsDocked);
  if (!docked) return null;
  return (
    <div className="logs-docked" data-testid="logs-docked">
      <Head wide={false} dockId="logs-undock" />
      <LogMatrix />
    </div>
  );
}

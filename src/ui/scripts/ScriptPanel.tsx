// The Script panel: the command just run (with its file:line), etcd's expected output
// beside Raftlab's actual output as a line diff (differing rows are marked − / + and
// outlined, not only coloured), whether they match, how many of the script's commands
// match, a command line to run a harness command here (a fork), and the branches that
// forks cut off.
//
// Test ids: script-panel (data-step, data-total, data-match="true|false|none"),
// script-summary (data-matched, data-scripted), script-diff, script-command-input.

import { useMemo, useState } from 'react';
import { harnessCommands } from '../../scriptrun/scriptFile';
import { lineDiff } from '../../scriptrun/lineDiff';
import { useRaft, type ScriptCommandView } from '../store';
import { scriptController } from './scriptController';

function Diff({ c }: { c: ScriptCommandView }) {
  const rows = useMemo(() => lineDiff(c.expected ?? '', c.actual), [c]);
  if (c.expected === undefined)
    return (
      <pre className="script-output" data-testid="script-output" aria-label="Output (Raftlab)">
        {c.actual}
      </pre>
    );
  return (
    <table className="script-diff" data-testid="script-diff">
      <thead>
        <tr>
          <th scope="col" aria-label="difference" />
          <th scope="col">Expected (etcd)</th>
          <th scope="col">Actual (Raftlab)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} className={r.same ? undefined : 'is-diff'} data-diff={r.same ? undefined : 'true'}>
            <td className="script-mark" title={r.same ? undefined : 'This row differs'}>
              {r.same ? '' : r.left === undefined ? '+' : r.right === undefined ? '−' : '≠'}
            </td>
            <td className={r.left === undefined ? 'is-none' : undefined}>{r.left ?? ''}</td>
            <td className={r.right === undefined ? 'is-none' : undefined}>{r.right ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Command({ c, n }: { c: ScriptCommandView; n: number }) {
  return (
    <code className="script-directive" data-testid={`script-directive-${n}`}>
      {c.directive}
      {c.input !== '' && `\n${c.input}`}
    </code>
  );
}

export function ScriptPanel() {
  const sc = useRaft((s) => s.script);
  const [line, setLine] = useState('');
  if (!sc.active) return <p className="muted">No script is open. Open one with Scripts… in the top bar.</p>;
  const total = sc.commands.length;
  const cur = sc.commands[sc.step - 1];
  const next = sc.commands[sc.step];
  const scripted = sc.commands.filter((c) => c.match !== undefined);
  const differing = sc.commands.flatMap((c, i) => (c.match === false ? [i + 1] : []));
  const matched = scripted.length - differing.length;
  const run = () => {
    if (scriptController.fork(line)) setLine('');
  };
  return (
    <div
      className="script-panel"
      data-testid="script-panel"
      data-step={sc.step}
      data-total={total}
      data-match={cur === undefined || cur.match === undefined ? 'none' : String(cur.match)}
    >
      <div className="script-head">
        <strong title={sc.name}>{sc.name}</strong>
        <p
          className={differing.length === 0 ? 'script-summary is-ok' : 'script-summary is-bad'}
          data-testid="script-summary"
          data-matched={matched}
          data-scripted={scripted.length}
        >
          {differing.length === 0 ? '✓' : '✗'} {matched} of {scripted.length} script commands print what etcd expects
          {differing.length > 0 && ` (✗ in the bar below: ${differing.join(', ')})`}
        </p>
      </div>
      {cur === undefined ? (
        <p className="muted">No command run yet: press Next › (or →) to run the first one.</p>
      ) : (
        <section aria-label="The command just run">
          <h3 className="script-title">
            Command {sc.step} of {total} <span className="muted">{cur.pos}</span>{' '}
            <span className={`script-badge ${cur.match === false ? 'is-bad' : 'is-ok'}`} data-testid="script-verdict">
              {cur.match === undefined
                ? '• typed here: nothing to compare with'
                : cur.match
                  ? '✓ same as etcd'
                  : '✗ differs from etcd'}
            </span>
          </h3>
          <Command c={cur} n={sc.step} />
          <Diff c={cur} />
        </section>
      )}
      {next !== undefined && (
        <p className="script-next">
          <span className="muted">Next: {next.pos}</span> <Command c={next} n={sc.step + 1} />
        </p>
      )}
      <form
        className="script-fork"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <label htmlFor="script-command-input">
          Run a harness command here
          {next !== undefined && <span className="muted"> (the rest of the script is kept as a branch)</span>}
        </label>
        <div>
          <input
            id="script-command-input"
            data-testid="script-command-input"
            list="script-commands"
            value={line}
            placeholder="e.g. deliver-msgs 2, stabilize, propose 1 foo"
            title="One harness command; for propose-conf-change give its operations after ';' (propose-conf-change 1; v4)"
            onChange={(e) => setLine(e.target.value)}
          />
          <button type="submit" disabled={line.trim() === ''}>
            Run
          </button>
        </div>
        <datalist id="script-commands">
          {harnessCommands.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      </form>
      {sc.branches.length > 0 && (
        <ul className="script-branches" aria-label="Branches cut off by your commands">
          {sc.branches.map((b, i) => (
            <li key={i}>
              Cut at step {b.at}: {b.count} command{b.count === 1 ? '' : 's'} from <code>{b.first}</code>{' '}
              <button type="button" className="small" onClick={() => scriptController.restoreBranch(i)}>
                Restore
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

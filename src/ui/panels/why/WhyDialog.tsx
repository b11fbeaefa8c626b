// The answer to a "Why?": src/explain's text, and the fields it was read from (name,
// value, where raft keeps it), with a link to the step the answer rests on. The nodes
// and messages it names are highlighted in the cluster view while it is open.
// Test contract: data-testid="why", data-reason = the answer's reason code.

import { Dialog } from '../../controls/Dialog';
import { seekTo } from '../../timeline/runData';
import { selectStep, useRaft } from '../../store';
import { closeWhy, useOpenWhy } from './whyStore';
import './why.css';

export function WhyDialog() {
  const w = useOpenWhy();
  const step = useRaft(selectStep);
  if (w === undefined) return null;
  const a = w.answer;
  return (
    <Dialog title={w.title} onClose={closeWhy} testId="why-dialog" wide>
      <div className="why" data-testid="why" data-reason={a?.reason ?? ''}>
        {a === undefined ? (
          <p>The run has moved on: there is nothing to explain about this any more.</p>
        ) : (
          <>
            <p className="why-text">{a.text}</p>
            {a.fields.length > 0 && (
              <table className="why-fields" data-testid="why-fields">
                <caption>What this answer is read from</caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Value</th>
                    <th scope="col">Source</th>
                  </tr>
                </thead>
                <tbody>
                  {a.fields.map((f, i) => (
                    <tr key={i}>
                      <th scope="row">{f.name}</th>
                      <td>{String(f.value)}</td>
                      <td>
                        <code>{f.source}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <div className="dialog-actions why-actions">
              <span className="muted why-code" title="The answer's stable reason code">
                {a.reason}
              </span>
              {a.step !== undefined && a.step !== step && (
                <button
                  type="button"
                  data-testid="why-seek"
                  title="Go to the step this answer rests on"
                  onClick={() => {
                    void seekTo(a.step!);
                    closeWhy();
                  }}
                >
                  Go to step {a.step}
                </button>
              )}
              <button type="button" className="primary" onClick={closeWhy}>
                OK
              </button>
            </div>
          </>
        )}
      </div>
    </Dialog>
  );
}

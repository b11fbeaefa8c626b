// Keyboard shortcuts and a short guide.

import { selectHelpOpen, setHelpOpen, useRaft } from '../store';
import { Dialog } from './Dialog';
import { shortcuts } from './shortcuts';

export function HelpOverlay() {
  const open = useRaft(selectHelpOpen);
  if (!open) return null;
  return (
    <Dialog title="Help" onClose={() => setHelpOpen(false)} testId="help-overlay" wide>
      <div className="help-cols">
        <section>
          <h3>Keyboard</h3>
          <table className="shortcut-table">
            <tbody>
              {shortcuts.map((s) => (
                <tr key={s.keys}>
                  <th scope="row">
                    <kbd>{s.keys}</kbd>
                  </th>
                  <td>{s.what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <h3>What you see</h3>
          <ul>
            <li>Each node is a real etcd raft node (TypeScript port of v3.7.0) in its own Web Worker.</li>
            <li>Click a node for its actions: crash, restart, pause, campaign, transfer leadership.</li>
            <li>Click a link to cut it; click it again to restore it. Partition… splits the cluster into groups.</li>
            <li>
              Drag a node out of its group’s shaded region to give it a group of its own, or into another group’s region
              to join it: links between groups are cut, links inside a group restored. Dragged back to the others (or
              Heal all), the network is healed and the nodes return to the ring. Keyboard: select or focus a node and
              press <kbd>n</kbd>.
            </li>
            <li>
              Click a message in flight to deliver, drop, duplicate, delay (to the back of its link, so others overtake
              it) or hold it.
            </li>
            <li>The arc around a node is its election timer: when it runs out, the node campaigns.</li>
            <li>Terms are coloured (colour-blind-safe palette) and always printed.</li>
            <li>
              Modes: Run (time flows while playing), Step (one event per Step), Manual (you pick every tick, delivery
              and Ready stage).
            </li>
            <li>
              The timeline: click or drag to seek. On the focused timeline <kbd>←</kbd>/<kbd>→</kbd> step,{' '}
              <kbd>Page Up</kbd>/<kbd>Page Down</kbd> jump ten steps, <kbd>Home</kbd>/<kbd>End</kbd> go to the start and
              the latest step. Acting in the past forks a new branch.
            </li>
            <li>Same seed + same actions = the same run.</li>
            <li>
              Lessons (top bar) narrate Raft step by step on the live cluster. <kbd>Page Down</kbd>/<kbd>→</kbd> next,{' '}
              <kbd>Page Up</kbd>/<kbd>←</kbd> back (a presenter clicker works), <kbd>f</kbd> full screen. Act on the
              cluster at any step to explore; “Back to the lesson” returns.
            </li>
          </ul>
        </section>
      </div>
    </Dialog>
  );
}

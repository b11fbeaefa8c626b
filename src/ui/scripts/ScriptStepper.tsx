// Script mode's timeline: one cell per command, marked ✓ (prints what etcd expects),
// ✗ (differs) or • (a command you typed); the commands already run are filled. Click a
// cell to go to the state after that command. Keyboard (controls/shortcuts.ts, wherever
// the focus is but in a text field): ←/→ one command, Home/End the start and the end.

import { getState, useRaft } from '../store';
import { scriptController } from './scriptController';

const keys: Record<string, (step: number, total: number) => number> = {
  ArrowLeft: (s) => s - 1,
  ArrowRight: (s) => s + 1,
  Home: () => 0,
  End: (_, t) => t,
};

/** The shortcut's match: a stepping key while a script is open. */
export const isScriptKey = (e: KeyboardEvent): boolean => getState().script.active && Object.hasOwn(keys, e.key);

/** Steps the script for ←, →, Home or End. */
export function scriptKey(e: KeyboardEvent): void {
  const s = getState().script;
  scriptController.seek(keys[e.key]!(s.step, s.commands.length));
}

export function ScriptStepper() {
  const commands = useRaft((s) => s.script.commands);
  const step = useRaft((s) => s.script.step);
  const total = commands.length;

  return (
    <div className="script-stepper" data-testid="script-stepper">
      <div className="script-stepper-head">
        <strong>Script</strong>{' '}
        <span className="muted">
          {step === 0 ? 'before the first command' : `after command ${step}`} of {total} · click a command to go there
        </span>
      </div>
      <div
        className="script-cells"
        role="slider"
        tabIndex={0}
        aria-label="Script position: commands run"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={step}
        aria-valuetext={`${step} of ${total} commands run`}
        aria-keyshortcuts="ArrowLeft ArrowRight Home End"
      >
        <span
          className={`script-cell is-start${step === 0 ? ' is-now' : ''}`}
          title="Before the first command"
          onClick={() => scriptController.seek(0)}
        >
          0
        </span>
        {commands.map((c, i) => (
          <span
            key={i}
            data-testid={`script-cell-${i + 1}`}
            className={`script-cell ${c.match === undefined ? 'is-user' : c.match ? 'is-ok' : 'is-bad'}${i < step ? ' is-run' : ''}${i + 1 === step ? ' is-now' : ''}`}
            title={`${i + 1}. ${c.pos}: ${c.directive}`}
            onClick={() => scriptController.seek(i + 1)}
          >
            {c.match === undefined ? '•' : c.match ? '✓' : '✗'}
          </span>
        ))}
      </div>
    </div>
  );
}

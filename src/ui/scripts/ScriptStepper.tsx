// Script mode's timeline: one cell per command, marked ✓ (prints what etcd expects),
// ✗ (differs) or • (a command you typed); the commands already run are filled. Click a
// cell to go to the state after that command. Keyboard: ←/→ one command (also when
// nothing else has the focus), Home/End the start and the end.

import { useEffect, type KeyboardEvent } from 'react';
import { getState, useRaft } from '../store';
import { scriptController } from './scriptController';

const keys: Record<string, (step: number, total: number) => number> = {
  ArrowLeft: (s) => s - 1,
  ArrowRight: (s) => s + 1,
  Home: () => 0,
  End: (_, t) => t,
};

function isTyping(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
}

export function ScriptStepper() {
  const commands = useRaft((s) => s.script.commands);
  const step = useRaft((s) => s.script.step);
  const total = commands.length;

  // ←/→ step through the script wherever the focus is, unless it takes keys itself.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const f = keys[e.key];
      if (f === undefined || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.target instanceof HTMLElement && e.target.closest('[role="slider"],[role="tablist"]')) return;
      e.preventDefault();
      const s = getState().script;
      scriptController.seek(f(s.step, s.commands.length));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    const f = keys[e.key];
    if (f === undefined) return;
    e.preventDefault();
    scriptController.seek(f(step, total));
  };

  return (
    <div className="script-stepper" data-testid="script-stepper">
      <div className="script-stepper-head">
        <strong>Script</strong>
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
        onKeyDown={onKeyDown}
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
            title={`${i + 1}. ${c.pos}: ${c.directive}${c.match === undefined ? ' (your command)' : c.match ? ' — same as etcd' : ' — DIFFERS from etcd'}`}
            onClick={() => scriptController.seek(i + 1)}
          >
            {c.match === undefined ? '•' : c.match ? '✓' : '✗'}
          </span>
        ))}
      </div>
    </div>
  );
}

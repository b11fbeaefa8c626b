// The lesson player: sits at the top of the side column, beside the cluster view.
//
// It shows the current step's title, then either its question (phase 'ask': the step
// has not run; the student predicts) or its narration filled from the live cluster
// (phase 'shown'). Everything a step says is re-checked against the live state on
// every observation: when the cluster no longer matches (the student took over), the
// player says so instead of showing a sentence that has become false.
//
// Test ids: lesson-player (data-lesson, data-step 1-based, data-total, data-phase,
// data-answered, data-chosen, data-correct, data-expect-count, data-expect-failures,
// data-mode lesson|explore, data-busy), lesson-next, lesson-back, lesson-choice-<n>,
// lesson-dot-<n>, lesson-return, lesson-exit, lesson-index.

import { useEffect, useMemo, useState } from 'react';
import { checkStep, type StepOutcome } from '../../lessons/check';
import type { Highlight, Step } from '../../lessons/format';
import { liveState, type LiveState } from '../../lessons/live';
import { matchMessages } from '../../lessons/predicates';
import { fillTemplate } from '../../lessons/template';
import {
  controller,
  selectLesson,
  selectNodeId,
  selectObservation,
  setActivePanel,
  setLessonIndexOpen,
  useRaft,
} from '../store';
import { lessonSession } from './session';
import './lessons.css';

/** CSS that marks what a step points at: SVG shapes and HTML boxes found by their test ids. */
function highlightCss(hs: readonly Highlight[], s: LiveState): string {
  const halo: string[] = [];
  const msg: string[] = [];
  const box: string[] = [];
  for (const h of hs) {
    if (h.kind === 'node') halo.push(`.stage [data-testid="node-${h.node}"] .node-halo`);
    else if (h.kind === 'entry') box.push(`[data-testid="log-cell-${h.value}"]`);
    else if (h.kind === 'field') box.push(`[data-testid="node-field-${h.field}"]`);
    else if (h.kind === 'peer') box.push(`[data-testid="progress-${h.value}"]`);
    else if (h.msg !== undefined) for (const e of matchMessages(s, h.msg)) msg.push(`[data-testid="msg-${e.id}"] rect`);
  }
  const rule = (sel: string[], body: string) => (sel.length > 0 ? `${sel.join(',')}{${body}}` : '');
  return (
    rule(
      halo,
      'fill:var(--halo);stroke:var(--lesson-mark);stroke-width:6px;animation:lesson-pulse 1.6s ease-in-out infinite',
    ) +
    rule(msg, 'stroke:var(--lesson-mark);stroke-width:4px') +
    rule(box, 'outline:3px solid var(--lesson-mark);outline-offset:2px')
  );
}

/**
 * The marks live in a constructed style sheet: the app's Content-Security-Policy allows
 * no inline <style> elements, and constructed sheets are not inline styles.
 */
const markSheet =
  typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype ? new CSSStyleSheet() : undefined;

function useMarks(css: string): void {
  useEffect(() => {
    if (markSheet === undefined) return;
    if (!document.adoptedStyleSheets.includes(markSheet))
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, markSheet];
    markSheet.replaceSync(css);
  }, [css]);
  useEffect(() => () => markSheet?.replaceSync(''), []);
}

function Facts({ o }: { o: StepOutcome }) {
  if (o.expects.length === 0) return null;
  return (
    <details className="lesson-facts">
      <summary>
        ✓ {o.expects.length} fact{o.expects.length === 1 ? '' : 's'} checked against the live cluster
      </summary>
      <ul>
        {o.expects.map((r, i) => (
          <li key={i}>
            <code>{r.text}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}

function Answer({ step, o, chosen, s }: { step: Step; o: StepOutcome; chosen: number; s: LiveState }) {
  const ask = step.ask!;
  const label = (n: number) => fillTemplate(ask.choices[n - 1]?.label ?? '', s);
  let verdict: string;
  let cls = 'lesson-verdict';
  if (o.correct === 0) {
    verdict = `The cluster does not match the lesson's answers now (${o.askProblem}).`;
    cls += ' is-warn';
  } else if (chosen <= 0) verdict = `Answer: ${label(o.correct)}.`;
  else if (chosen === o.correct) {
    verdict = `✓ Right: ${label(o.correct)}.`;
    cls += ' is-right';
  } else {
    verdict = `✗ You chose “${label(chosen)}”. The cluster says: ${label(o.correct)}.`;
    cls += ' is-wrong';
  }
  return (
    <div className="lesson-answer">
      <p className="lesson-question is-answered">{fillTemplate(ask.question, s)}</p>
      <p className={cls} data-testid="lesson-verdict">
        {verdict}
      </p>
      {o.correct > 0 && <p className="lesson-explanation">{o.explanation}</p>}
    </div>
  );
}

export function LessonPlayer() {
  const st = useRaft(selectLesson);
  const obs = useRaft(selectObservation);
  const [tryHint, setTryHint] = useState(false);
  const lesson = lessonSession.lesson;
  const step = lesson?.steps[st.step - 1];
  const live = useMemo(() => {
    const c = controller.cluster;
    if (obs === undefined || c === undefined) return undefined;
    try {
      return liveState(obs, (id) => c.disk(id));
    } catch {
      return undefined; // an observation of a cluster that was just replaced
    }
  }, [obs]);
  const outcome = useMemo(
    () => (step !== undefined && live !== undefined && st.phase === 'shown' ? checkStep(step, live) : undefined),
    [step, live, st.phase],
  );
  const onPath = st.phase === 'busy' || lessonSession.onPath();

  // Point at what the step names: select its node (the node panel follows) and mark the rest.
  useEffect(() => {
    if (step === undefined || st.phase !== 'shown') return;
    const h = step.highlights.find((x) => x.kind !== 'msg');
    if (h !== undefined) {
      selectNodeId(h.node);
      if (h.kind !== 'node') setActivePanel('node');
    }
  }, [step, st.phase]);
  useEffect(() => setTryHint(false), [st.step]);

  useMarks(
    step !== undefined && outcome !== undefined && live !== undefined && onPath
      ? highlightCss(step.highlights, live)
      : '',
  );

  if (lesson === undefined || step === undefined) return null;
  const total = lesson.steps.length;
  const failures = outcome?.failures.length ?? 0;
  const answered = st.phase === 'shown' && step.ask !== undefined;
  const part = lesson.parts.length > 1 ? lesson.parts[step.part] : undefined;
  return (
    <section
      className="lesson"
      aria-label={`Lesson: ${lesson.title}`}
      data-testid="lesson-player"
      data-lesson={lesson.id}
      data-step={st.step}
      data-total={total}
      data-phase={st.phase}
      data-answered={answered ? 'true' : 'false'}
      data-chosen={st.chosen}
      data-correct={outcome?.correct ?? 0}
      data-expect-count={outcome?.expects.length ?? 0}
      data-expect-failures={failures}
      data-mode={onPath ? 'lesson' : 'explore'}
      data-busy={st.phase === 'busy' ? 'true' : 'false'}
    >
      <header className="lesson-head">
        <span className="lesson-name" title={lesson.summary}>
          {lesson.order}. {lesson.title}
        </span>
        <span className="lesson-count">
          Step {st.step} of {total}
        </span>
        <button
          type="button"
          className="ghost small"
          data-testid="lesson-index"
          onClick={() => setLessonIndexOpen(true)}
          title="All lessons"
        >
          Lessons
        </button>
        <button
          type="button"
          className="ghost small"
          data-testid="lesson-exit"
          aria-label="Close the lesson"
          title="Close the lesson (the cluster stays as it is)"
          onClick={() => lessonSession.exit()}
        >
          ✕
        </button>
      </header>
      {part !== undefined && (
        <p className="lesson-part">
          Part {step.part + 1} of {lesson.parts.length}: {part.title}
        </p>
      )}
      <h2 className="lesson-title">{step.title}</h2>
      {!onPath && (
        <div className="lesson-explore" role="status" data-testid="lesson-explore">
          <p>
            <strong>You are exploring on your own.</strong> The run has left the lesson’s path; the lesson waits.
          </p>
          <button
            type="button"
            className="primary"
            data-testid="lesson-return"
            onClick={() => void lessonSession.returnToPath()}
          >
            Back to the lesson
          </button>
        </div>
      )}
      <div className="lesson-body" aria-live="polite">
        {st.phase === 'busy' && <p className="lesson-muted">The cluster is running this step…</p>}
        {st.phase === 'error' && (
          <p className="lesson-warn" data-testid="lesson-error">
            This step could not run: {st.error}
          </p>
        )}
        {st.phase === 'ask' && step.ask !== undefined && live !== undefined && (
          <div className="lesson-ask">
            <p className="lesson-kicker">Predict</p>
            <p className="lesson-question">{fillTemplate(step.ask.question, live)}</p>
            <div className="lesson-choices" role="group" aria-label="Your answer">
              {step.ask.choices.map((c, i) => (
                <button
                  key={i}
                  type="button"
                  className="lesson-choice"
                  data-testid={`lesson-choice-${i + 1}`}
                  disabled={!onPath}
                  onClick={() => void lessonSession.answer(i + 1)}
                >
                  {fillTemplate(c.label, live)}
                </button>
              ))}
            </div>
            <p className="lesson-muted">Then the step runs, and the real cluster gives the answer.</p>
          </div>
        )}
        {st.phase === 'shown' && outcome !== undefined && live !== undefined && (
          <>
            {answered && <Answer step={step} o={outcome} chosen={st.chosen} s={live} />}
            {failures === 0 ? (
              <p className="lesson-narration">{outcome.narration}</p>
            ) : (
              <div className="lesson-warn" data-testid="lesson-mismatch">
                <p>The cluster no longer matches what this step says:</p>
                <ul>
                  {outcome.failures.map((f, i) => (
                    <li key={i}>{f.why}</li>
                  ))}
                </ul>
              </div>
            )}
            <Facts o={outcome} />
          </>
        )}
      </div>
      <ol className="lesson-dots" aria-label="Steps">
        {lesson.steps.map((s, i) => (
          <li key={i}>
            <button
              type="button"
              className={i + 1 === st.step ? 'lesson-dot is-on' : 'lesson-dot'}
              data-testid={`lesson-dot-${i + 1}`}
              aria-label={`Step ${i + 1}: ${s.title}`}
              aria-current={i + 1 === st.step ? 'step' : undefined}
              title={`${i + 1}. ${s.title}`}
              disabled={st.phase === 'busy'}
              onClick={() => void lessonSession.jump(i + 1)}
            />
          </li>
        ))}
      </ol>
      {tryHint && (
        <p className="lesson-muted lesson-try">
          Use any control: click a node (tick, crash, campaign), a message (deliver, drop) or a link. Your actions fork
          the run; “Back to the lesson” brings the lesson’s path back.
        </p>
      )}
      <nav className="lesson-nav" aria-label="Lesson navigation">
        <button
          type="button"
          className="lesson-move"
          data-testid="lesson-back"
          disabled={st.step <= 1 || st.phase === 'busy'}
          onClick={() => void lessonSession.back()}
          title="Previous step (PageUp, ←)"
        >
          ‹ Back
        </button>
        {st.phase === 'shown' && onPath && (
          <button
            type="button"
            className="ghost small"
            data-testid="lesson-try"
            aria-expanded={tryHint}
            onClick={() => setTryHint(!tryHint)}
          >
            {st.step >= total ? 'The end. Try it yourself' : 'Try it yourself'}
          </button>
        )}
        <button
          type="button"
          className="lesson-move primary"
          data-testid="lesson-next"
          disabled={st.phase === 'busy' || (st.phase !== 'ask' && st.step >= total)}
          onClick={() => void lessonSession.next()}
          title={st.phase === 'ask' ? 'Show the answer (PageDown, →)' : 'Next step (PageDown, →)'}
        >
          {st.phase === 'ask' ? 'Reveal ›' : 'Next ›'}
        </button>
      </nav>
    </section>
  );
}

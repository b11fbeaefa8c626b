// The lesson index: every bundled lesson with its length and what it teaches, opened
// from the top bar's Lessons button. Lesson files that could not be read are listed
// with the reason (file and line), so a broken file is visible but harmless.
// Test ids: lesson-index-dialog, lesson-<id> (one button per lesson).

import { selectLessonIndexOpen, setLessonIndexOpen, useRaft } from '../store';
import { Dialog } from '../controls/Dialog';
import { lessonCatalog } from './catalog';
import { lessonSession } from './session';

export function LessonIndex() {
  const open = useRaft(selectLessonIndexOpen);
  if (!open) return null;
  const { lessons, problems } = lessonCatalog();
  return (
    <Dialog title="Lessons" onClose={() => setLessonIndexOpen(false)} testId="lesson-index-dialog" wide>
      <p className="lesson-muted">
        Each lesson runs the real etcd raft cluster step by step. Back and Next move through it (PageUp / PageDown or ←
        / → too); at any step you can take over the cluster and come back.
      </p>
      <ol className="lesson-list">
        {lessons.map((l) => (
          <li key={l.id}>
            <button
              type="button"
              className="lesson-card"
              data-testid={`lesson-${l.id}`}
              onClick={() => {
                setLessonIndexOpen(false);
                void lessonSession.open(l.id);
              }}
            >
              <span className="lesson-card-title">
                {l.order}. {l.title}
              </span>
              <span className="lesson-card-steps">{l.steps.length} steps</span>
              <span className="lesson-card-summary">{l.summary}</span>
            </button>
          </li>
        ))}
      </ol>
      {problems.length > 0 && (
        <div className="lesson-warn" data-testid="lesson-problems">
          <p>These lesson files could not be read:</p>
          <ul>
            {problems.map((p) => (
              <li key={p}>
                <code>{p}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Dialog>
  );
}

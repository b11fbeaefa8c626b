// A "Why?" button: shown only for questions src/explain can answer now (the caller
// passes them, from useWhyQuestions); a click (or Enter) opens the answer (WhyDialog).

import type { WhyQuestion } from '../../../explain';
import { askWhy } from './whyStore';
import './why.css';

/** The test id of a question's button: why-<about>-<ids>. */
export function whyTestId(q: WhyQuestion): string {
  switch (q.about) {
    case 'message':
      return `why-msg-${q.envelope}`;
    case 'event':
      return `why-event-${q.seq}`;
    case 'entry':
      return `why-entry-${q.node}-${q.index}`;
    case 'op':
      return `why-op-${q.op}`;
    case 'campaign':
      return `why-campaign-${q.node}`;
    case 'follower':
      return `why-follower-${q.node}`;
  }
}

export function WhyButton({
  question,
  label = 'Why?',
  title,
}: {
  question: WhyQuestion;
  label?: string;
  title: string;
}) {
  return (
    <button
      type="button"
      className="small why-button"
      data-testid={whyTestId(question)}
      aria-haspopup="dialog"
      title={title}
      onClick={(e) => {
        e.stopPropagation();
        askWhy(question, title);
      }}
    >
      {label}
    </button>
  );
}

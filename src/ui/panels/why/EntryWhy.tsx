// The "Why?" of one log entry on one node (log matrix and log strip details): why it is
// not committed yet, or committed but not applied there. Nothing to ask once applied.

import { questionsForEntry } from '../../../explain';
import { WhyButton } from './WhyButton';
import { useWhyQuestions } from './whyStore';

export function EntryWhy({
  node,
  index,
  committed,
  applied,
}: {
  node: number;
  index: number;
  committed: boolean;
  applied: boolean;
}) {
  const qs = useWhyQuestions((s) => questionsForEntry(node, index, s), !applied, `${node}:${index}`);
  const label = committed ? 'Why not applied?' : 'Why not committed?';
  return (
    <>
      {qs.map((q) => (
        <WhyButton
          key={q.about}
          question={q}
          label={label}
          title={`${label.slice(0, -1)} — entry ${index} on node ${node}`}
        />
      ))}
    </>
  );
}

// Narration placeholders, filled from the live cluster when a step is shown:
//   {leader}               the leader's id, or "none"
//   {term of 3}            a node fact (role, status, term, vote, lead, commit, applied,
//                          first, last, snap, timeout, voters, learners, outgoing, log);
//                          the node may be `leader`: {commit of leader}
//   {match of 3}           the leader's progress for node 3 (state, match, next, inflight)
//   {result}               the result of the last client operation
//   {answer}               in an ask's explanation: the right choice
// Unknown placeholders are parse errors, so a typo cannot reach a classroom.

import type { Pos } from './format';
import type { LiveState } from './live';
import { LessonError } from './predicates';

const nodeFields = [
  'role',
  'status',
  'term',
  'vote',
  'lead',
  'commit',
  'applied',
  'first',
  'last',
  'snap',
  'timeout',
  'voters',
  'learners',
  'outgoing',
  'log',
];
const progressFields = ['state', 'match', 'next', 'inflight'];
const placeholder = /\{([^{}]*)\}/g;

/** Throws a LessonError naming the line if the text has a placeholder that cannot be filled. */
export function checkTemplate(pos: Pos, text: string, allowAnswer: boolean): void {
  for (const m of text.matchAll(placeholder)) {
    const p = m[1]!.trim();
    if (p === 'leader' || p === 'result' || (allowAnswer && p === 'answer')) continue;
    const of = /^(\w+) of (\d+|leader)$/.exec(p);
    if (of !== null && (nodeFields.includes(of[1]!) || (progressFields.includes(of[1]!) && of[2] !== 'leader')))
      continue;
    throw new LessonError(
      `${pos}: unknown placeholder {${p}} (expected {leader}, {result}${allowAnswer ? ', {answer}' : ''}, ` +
        `{<field> of <node>} with a field among ${nodeFields.join(', ')}, or {<progress> of <node>} among ${progressFields.join(', ')})`,
    );
  }
  if (/[{}]/.test(text.replace(placeholder, ''))) throw new LessonError(`${pos}: unbalanced { or } in: ${text}`);
}

const idText = (n: number) => (n === 0 ? 'none' : String(n));

/** The text with its placeholders replaced by live values ("?" where a node is missing). */
export function fillTemplate(text: string, s: LiveState, extra: { answer?: string } = {}): string {
  return text.replace(placeholder, (_all, raw: string) => {
    const p = raw.trim();
    if (p === 'leader') return idText(s.leader);
    if (p === 'answer') return extra.answer ?? '?';
    if (p === 'result') return s.history[s.history.length - 1]?.result ?? 'none';
    const [field = '', , who = ''] = p.split(' ');
    const id = who === 'leader' ? s.leader : Number(who);
    if (progressFields.includes(field)) {
      const pr = s.nodes.get(s.leader)?.progress.find((x) => x.id === id);
      if (pr === undefined) return '?';
      return field === 'state' ? pr.state.slice(5).toLowerCase() : String(pr[field as 'match']);
    }
    const n = s.nodes.get(id);
    if (n === undefined) return '?';
    if (field === 'log') return n.log.map((e) => e.term).join(' ');
    const v = n[field as 'term' | 'voters'];
    if (Array.isArray(v)) return v.join(', ');
    return field === 'vote' || field === 'lead' ? idText(v as number) : String(v);
  });
}

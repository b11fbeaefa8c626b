import { describe, expect, it } from 'vitest';
import { parseCatalog, parseLesson } from './parse';

const header = `lesson 1 nodes=3 seed=2
process-ready 1 2 3
----
A title
What it teaches.
`;

const good = `${header}
ask Who leads?
Node 1 if leader=1
Nobody if leader=none
----
{answer}, in term {term of leader}.

step Node 1 campaigns
campaign 1
stabilize
expect leader=1
expect node=(1,2,3) term=2 commit>=4
highlight node=1 entry=4
----
Node {leader} leads term {term of 1}; node 3 follows {lead of 3}.

part prevote=true
process-ready 1 2 3
----
With PreVote

step Again
deliver MsgVote from=1 to=(2,3) nth=1
expect msg=MsgVoteResp reject=false count>=0
highlight msg=MsgVote from=1
----
Again: {match of 2}.
`;

describe('parseLesson', () => {
  it('reads a well-formed lesson: header, parts, steps, asks, expects and highlights', () => {
    const l = parseLesson(good, 'files/demo.txt');
    expect(l.id).toBe('demo');
    expect(l.order).toBe(1);
    expect(l.title).toBe('A title');
    expect(l.summary).toBe('What it teaches.');
    expect(l.parts.map((p) => [p.title, p.config.nodes, p.config.seed, p.config.preVote])).toEqual([
      ['A title', 3, 2, false],
      ['With PreVote', 3, 2, true],
    ]);
    expect(l.parts[0]!.prologue.map((c) => c.text)).toEqual(['process-ready 1 2 3']);
    expect(l.steps.map((s) => [s.title, s.part, s.setup.length, s.expects.length])).toEqual([
      ['Node 1 campaigns', 0, 2, 2],
      ['Again', 1, 1, 1],
    ]);
    const [s1, s2] = l.steps;
    expect(s1!.pos).toBe('files/demo.txt:13');
    expect(s1!.ask?.question).toBe('Who leads?');
    expect(s1!.ask?.choices.map((c) => [c.label, c.when.subject, c.pos])).toEqual([
      ['Node 1', 'cluster', 'files/demo.txt:8'],
      ['Nobody', 'cluster', 'files/demo.txt:9'],
    ]);
    expect(s1!.expects[1]).toMatchObject({ subject: 'node', nodes: [1, 2, 3], pos: 'files/demo.txt:17' });
    expect(s1!.expects[1]!.checks).toEqual([
      { key: 'term', op: '=', want: ['2'] },
      { key: 'commit', op: '>', want: ['4'] },
    ]);
    expect(s1!.highlights).toEqual([
      { pos: 'files/demo.txt:18', kind: 'entry', node: 1, value: 4, field: '', msg: undefined },
    ]);
    expect(s1!.narration).toBe('Node {leader} leads term {term of 1}; node 3 follows {lead of 3}.');
    expect(s2!.ask).toBeUndefined();
    expect(s2!.highlights[0]!.kind).toBe('msg');
    expect(s2!.highlights[0]!.msg?.name).toBe('MsgVote');
  });

  // Each malformed file is rejected with "file:line: what was expected".
  const malformed: [string, string, RegExp][] = [
    ['no header', `step A\n----\nText.\n`, /^bad\.txt:1: a lesson file starts with its "lesson" header/],
    ['header without its number', `lesson nodes=3\n----\nT\nS\n`, /^bad\.txt:1: lesson: expected its number/],
    [
      'unknown setting',
      `lesson 1 nodez=3\n----\nT\nS\n`,
      /^bad\.txt:1: lesson: unexpected "nodez" \(expected .*nodes=/,
    ],
    [
      'setting out of range',
      `lesson 1 nodes=12\n----\nT\nS\n`,
      /^bad\.txt:1: lesson: nodes= expects a whole number from 1 to 9, got "12"/,
    ],
    [
      'header without a summary',
      `lesson 1\n----\nOnly a title\n`,
      /^bad\.txt:3: lesson: expected the title, then a line/,
    ],
    [
      'missing ---- at the end',
      `${header}\nstep A\ncampaign 1\n`,
      /^bad\.txt:7: directive "step A" has no "----" line/,
    ],
    [
      'missing ---- before the next step',
      `${header}\nstep A\ncampaign 1\n\nstep B\n----\nText.\n`,
      /^bad\.txt:10: "step" cannot appear inside the step at line 7: is its "----" line missing\?/,
    ],
    ['step without narration', `${header}\nstep A\ncampaign 1\n----\n`, /^bad\.txt:7: step needs its narration/],
    ['step without a title', `${header}\nstep\n----\nText.\n`, /^bad\.txt:7: step needs a title/],
    [
      'unknown command',
      `${header}\nstep A\ncampaign 1\ndeliverr MsgVote\n----\nText.\n`,
      /^bad\.txt:9: unknown command "deliverr" \(expected expect, highlight, or one of: tick, /,
    ],
    [
      'unknown message type',
      `${header}\nstep A\ndeliver MsgVotez to=2\n----\nText.\n`,
      /^bad\.txt:8: msg= expects an etcd message type \(MsgApp, MsgVote, \.\.\.\) or any, got "MsgVotez"/,
    ],
    ['missing argument', `${header}\nstep A\ncrash\n----\nText.\n`, /^bad\.txt:8: crash: missing argument 1 \(n\)/],
    [
      'unexpected key',
      `${header}\nstep A\ntick 1 m=3\n----\nText.\n`,
      /^bad\.txt:8: tick: unexpected "m" \(it takes n=\)/,
    ],
    [
      'unknown fact key',
      `${header}\nstep A\nexpect node=1 rol=leader\n----\nText.\n`,
      /^bad\.txt:8: unknown key "rol" for a node fact \(expected one of: role, /,
    ],
    [
      'bad fact value',
      `${header}\nstep A\nexpect node=1 role=king\n----\nText.\n`,
      /^bad\.txt:8: role= expects one of follower, candidate, precandidate, leader, none, got "king"/,
    ],
    [
      'a word that is not key=value',
      `${header}\nstep A\nexpect leader\n----\nText.\n`,
      /^bad\.txt:8: expected key=value, got "leader"/,
    ],
    [
      'command after an expect',
      `${header}\nstep A\nexpect leader=none\ncampaign 1\n----\nText.\n`,
      /^bad\.txt:9: "campaign": a step's commands come before its expect and highlight lines/,
    ],
    [
      'unknown placeholder',
      `${header}\nstep A\n----\nNode {trem of 1} leads.\n`,
      /^bad\.txt:9: unknown placeholder \{trem of 1\} \(expected \{leader\}/,
    ],
    ['unbalanced brace', `${header}\nstep A\n----\nNode {leader leads.\n`, /^bad\.txt:9: unbalanced \{ or \}/],
    [
      'ask with one choice',
      `${header}\nask Who?\nNode 1 if leader=1\n----\nWhy.\n\nstep A\n----\nText.\n`,
      /^bad\.txt:7: ask needs 2 to 4 choices .* got 1/,
    ],
    [
      'choice without a condition',
      `${header}\nask Who?\nNode 1\nNode 2 if leader=2\n----\nWhy.\n\nstep A\n----\nText.\n`,
      /^bad\.txt:8: expected a choice "<label> if <fact>", got "Node 1"/,
    ],
    [
      'ask at the end',
      `${header}\nstep A\n----\nText.\n\nask Who?\nA if leader=1\nB if leader=2\n----\nWhy.\n`,
      /^bad\.txt:11: ask: expected a step after it/,
    ],
    [
      '{answer} outside an explanation',
      `${header}\nstep A\n----\nThe answer was {answer}.\n`,
      /^bad\.txt:9: unknown placeholder \{answer\}/,
    ],
    [
      'bad highlight',
      `${header}\nstep A\nhighlight node=1 field=colour\n----\nText.\n`,
      /^bad\.txt:8: highlight field= expects one of term, /,
    ],
    [
      'unbalanced parenthesis',
      `${header}\nstep A\nexpect node=(1,2 role=leader\n----\nText.\n`,
      /^bad\.txt:8: unbalanced '\('/,
    ],
    ['a lesson without steps', `${header}`, /^bad\.txt:1: lesson: needs at least one step/],
    [
      'an unknown case',
      `${header}\nchapter One\n----\nText.\n`,
      /^bad\.txt:7: expected "step", "ask" or "part", got "chapter"/,
    ],
  ];

  for (const [what, text, error] of malformed)
    it(`rejects a file with ${what}, naming the file and line`, () => {
      expect(() => parseLesson(text, 'bad.txt')).toThrow(error);
    });

  it('has at least ten malformed cases', () => expect(malformed.length).toBeGreaterThanOrEqual(10));
});

describe('parts', () => {
  it('a part before the first step names the first part and adds to its settings and prologue', () => {
    const l = parseLesson(
      `${header}\npart checkquorum=true\ncampaign 1\n----\nFirst\n\nstep A\nexpect leader=1\n----\nA.\n\npart prevote=true\n----\nSecond\n\nstep B\nexpect leader=1\n----\nB.\n`,
      'p.txt',
    );
    expect(
      l.parts.map((p) => [p.title, p.config.checkQuorum, p.config.preVote, p.prologue.map((c) => c.text)]),
    ).toEqual([
      ['First', true, false, ['process-ready 1 2 3', 'campaign 1']],
      ['Second', false, true, []],
    ]);
    expect(l.steps.map((s) => s.part)).toEqual([0, 1]);
  });

  it('rejects a part without steps', () => {
    expect(() => parseLesson(`${header}\nstep A\n----\nA.\n\npart\n----\nP\n\npart\n----\nQ\n`, 'p.txt')).toThrow(
      /^p\.txt:15: part: the part before it has no step/,
    );
    expect(() => parseLesson(`${header}\npart\n----\nP\n\npart\n----\nQ\n\nstep A\n----\nA.\n`, 'p.txt')).toThrow(
      /^p\.txt:11: part: the part before it has no step/,
    );
  });
});

describe('parseCatalog', () => {
  it('keeps the good files, reports the broken ones, and orders lessons by their number', () => {
    const second = good.replace('lesson 1 ', 'lesson 2 ');
    const { lessons, problems } = parseCatalog({
      'files/b.txt': second,
      'files/broken.txt': `${header}\nstep A\nfly 1\n----\nText.\n`,
      'files/a.txt': good,
    });
    expect(lessons.map((l) => l.id)).toEqual(['a', 'b']);
    expect(problems).toEqual([expect.stringMatching(/^files\/broken\.txt:8: unknown command "fly"/)]);
  });
});

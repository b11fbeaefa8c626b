// Malformed scripts: each is refused with a message that names the file and, where
// there is one, the line; a script whose outputs merely differ is not malformed.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { decodeScript, parseCommandLine, parseScript, ScriptError } from './scriptFile';
import { ScriptSession } from './scriptSession';

const anchors = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/anchors/etcd-raft-testdata');

function refusal(text: string, name = 'bad.txt'): string {
  try {
    ScriptSession.open(text, name);
  } catch (e) {
    expect(e).toBeInstanceOf(ScriptError);
    return (e as Error).message;
  }
  throw new Error('the script was accepted');
}

const ok = ['add-nodes 1 voters=(1) index=2', '----', 'ok', ''];

describe('malformed scripts are refused with their line', () => {
  test('unbalanced parentheses', () => {
    expect(refusal([...ok, '', 'add-nodes 2 voters=(1,2', '----', 'ok', ''].join('\n'))).toBe(
      "bad.txt:6: unbalanced '(' in: add-nodes 2 voters=(1,2",
    );
    expect(refusal(['campaign 1)', '----', ''].join('\n'))).toContain("bad.txt:1: unbalanced ')'");
  });

  test('an unknown command', () => {
    const m = refusal([...ok, '# a comment', 'elect-leader 1', '----', 'ok', ''].join('\n'));
    expect(m).toMatch(/^bad\.txt:6: unknown command "elect-leader"; the harness knows add-nodes, campaign, /);
  });

  test('a command the harness rejects fatally', () => {
    expect(refusal([...ok, 'propose 1 a b', '----', 'ok', ''].join('\n'))).toBe(
      'bad.txt:5: propose 1 a b: the harness stops on this command: expected exactly one key with no vals',
    );
    expect(refusal([...ok, 'tick-election one', '----', 'ok', ''].join('\n'))).toMatch(
      /^bad\.txt:5: tick-election one: the harness stops on this command: strconv\.Atoi: parsing "one"/,
    );
  });

  test('a directive without its "----" line', () => {
    expect(refusal([...ok, 'campaign 1', 'stabilize', ''].join('\n'))).toBe(
      'bad.txt:5: directive "campaign 1" has no "----" line',
    );
  });

  test('an empty file, and one with only comments', () => {
    expect(refusal('')).toBe('bad.txt is empty: an interaction script has at least one command');
    expect(refusal('\n\n')).toBe('bad.txt is empty: an interaction script has at least one command');
    expect(refusal('# nothing here\n\n# still nothing\n')).toBe(
      'bad.txt has no commands (only comments and blank lines)',
    );
  });

  test("files of etcd's quorum and confchange drivers are not interaction scripts", () => {
    expect(refusal(['committed cfg=(1,2,3) idx=(100,101,99)', '----', '100', ''].join('\n'), 'q.txt')).toBe(
      'q.txt:1: "committed" is a command of etcd\'s quorum test driver (quorum/testdata), not of the interaction harness: this file is not an interaction script',
    );
    expect(refusal(['# c', 'simple', 'v1', '----', 'ok', ''].join('\n'), 'c.txt')).toMatch(
      /^c\.txt:2: "simple" is a command of etcd's confchange test driver/,
    );
  });

  test.runIf(existsSync(anchors))("etcd's own quorum and confchange files", () => {
    for (const f of ['quorum/testdata/joint_commit.txt', 'confchange/testdata/simple_safety.txt']) {
      const m = refusal(readFileSync(resolve(anchors, f), 'utf8'), f);
      expect(m).toMatch(new RegExp(`^${f.replace(/\./g, '\\.')}:\\d+: ".*" is a command of etcd's`));
    }
  });
});

describe('binary files', () => {
  test('bytes that are not UTF-8', () => {
    expect(() => decodeScript(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe]), 'x.png')).toThrow(
      'x.png is not a text file (it is not valid UTF-8)',
    );
  });

  test('a NUL byte, with its line', () => {
    const bytes = new TextEncoder().encode('# ok\nadd-nodes 1\n\u0000\u0001');
    expect(() => decodeScript(bytes, 'x.bin')).toThrow('x.bin:3: a NUL byte: this is a binary file');
  });

  test('text passes through', () => {
    expect(decodeScript(new TextEncoder().encode('campaign 1\n----\nok\n'), 'a.txt')).toBe('campaign 1\n----\nok\n');
  });
});

describe('typed commands', () => {
  test('one directive, input lines after ";"', () => {
    const td = parseCommandLine('propose-conf-change 1 v1=true; v2');
    expect(td.cmd).toBe('propose-conf-change');
    expect(td.cmdArgs).toEqual([
      { key: '1', vals: [] },
      { key: 'v1', vals: ['true'] },
    ]);
    expect(td.input).toBe('v2');
    expect(td.expected).toBe('');
    expect(td.pos).toBe('your command');
  });

  test('refusals', () => {
    expect(() => parseCommandLine('')).toThrow('Type a harness command');
    expect(() => parseCommandLine('vote cfg=(1)')).toThrow('quorum test driver');
    expect(() => parseScript('x\n----\n', 'f')).toThrow('f:1: unknown command "x"');
  });
});

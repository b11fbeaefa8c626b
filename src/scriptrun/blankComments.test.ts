import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseDataDriven } from '../interaction/datadriven';
import { blankComments } from './blankComments';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dirs = [resolve(root, 'test/scripts'), resolve(root, '../shared/anchors/etcd-raft-testdata/testdata')].filter(
  existsSync,
);

describe('blankComments', () => {
  test('blanks comment lines between cases only, keeping the line count', () => {
    const text = [
      '# about',
      'campaign 1',
      '----',
      '# not a comment',
      'ok',
      '',
      '  # indented',
      'stabilize',
      '# in',
      '----',
      'ok',
      '',
    ].join('\n');
    expect(blankComments(text)).toBe(
      ['', 'campaign 1', '----', '# not a comment', 'ok', '', '', 'stabilize', '# in', '----', 'ok', ''].join('\n'),
    );
  });

  test('every script reads the same without its comments', () => {
    let files = 0;
    let shorter = 0;
    for (const dir of dirs) {
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.txt'))) {
        const text = readFileSync(join(dir, f), 'utf8');
        const blanked = blankComments(text);
        expect(blanked.split('\n').length).toBe(text.split('\n').length);
        expect(parseDataDriven(blanked, f)).toEqual(parseDataDriven(text, f));
        files++;
        if (blanked.length < text.length) shorter++;
      }
    }
    expect(files).toBeGreaterThanOrEqual(6);
    expect(shorter).toBeGreaterThan(0);
  });
});

// Reading an interaction script that a user opened (a file, a dropped file, a bundled
// script) or a command line typed at a fork, into the harness's test cases.
//
// Everything that can be checked without running is checked here, and every refusal
// is a ScriptError whose message names the file and, where there is one, the line:
// a file that is not UTF-8 text, an empty one, one the data-driven reader rejects
// (unbalanced parentheses, a directive without "----"), and commands the harness does
// not know, with a word for the drivers of etcd's quorum/ and confchange/ folders,
// whose files look alike but are not interaction scripts. What only a run can tell
// (a command the harness rejects fatally) is checked by ScriptSession.

import { DataDrivenParseError, parseDataDriven, type TestData } from '../interaction/datadriven';
import { handlers } from '../interaction/env/handler';

/** A script or command that cannot be opened or run; the message says what and where. */
export class ScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptError';
  }
}

/** Scripts are small (etcd's largest is 30 KB); anything much larger is not one. */
export const maxScriptBytes = 4 * 1024 * 1024;

/** Commands of etcd's other two data-driven drivers, and the folder their files live in. */
const otherDrivers: Record<string, string> = {
  committed: 'quorum',
  vote: 'quorum',
  simple: 'confchange',
  'enter-joint': 'confchange',
  'leave-joint': 'confchange',
};

/** The harness's commands, for messages and the command line's suggestions. */
export const harnessCommands: readonly string[] = [...handlers.keys()].filter((c) => !c.startsWith('_')).sort();

/** The file's bytes as text; refuses what is not UTF-8 text (a binary file). */
export function decodeScript(bytes: Uint8Array, name: string): string {
  if (bytes.length > maxScriptBytes)
    throw new ScriptError(`${name} is too large for an interaction script (${bytes.length} bytes)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ScriptError(`${name} is not a text file (it is not valid UTF-8): open an etcd interaction script (.txt)`);
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    throw new ScriptError(`${name}:${line}: a NUL byte: this is a binary file, not an interaction script`);
  }
  return text;
}

/** Refuses a command the harness does not know, naming its line. */
function checkCommand(td: TestData): void {
  if (handlers.has(td.cmd)) return;
  const driver = otherDrivers[td.cmd];
  if (driver !== undefined)
    throw new ScriptError(
      `${td.pos}: "${td.cmd}" is a command of etcd's ${driver} test driver (${driver}/testdata), ` +
        'not of the interaction harness: this file is not an interaction script',
    );
  throw new ScriptError(`${td.pos}: unknown command "${td.cmd}"; the harness knows ${harnessCommands.join(', ')}`);
}

/** Parses a whole script into its commands; throws ScriptError for anything malformed. */
export function parseScript(text: string, name: string): TestData[] {
  let cases: TestData[];
  try {
    cases = parseDataDriven(text, name);
  } catch (e) {
    if (e instanceof DataDrivenParseError) throw new ScriptError(e.message);
    throw e;
  }
  if (cases.length === 0)
    throw new ScriptError(
      text.trim() === ''
        ? `${name} is empty: an interaction script has at least one command`
        : `${name} has no commands (only comments and blank lines)`,
    );
  for (const td of cases) checkCommand(td);
  return cases;
}

/**
 * A command typed by the user: one directive line; a ";" starts its input lines, one
 * per further ";" (`propose-conf-change 1; v2 l3`). It has no expected output.
 */
export function parseCommandLine(line: string, pos = 'your command'): TestData {
  const [directive = '', ...input] = line.split(';').map((s) => s.trim());
  if (directive === '' || directive.startsWith('#')) throw new ScriptError('Type a harness command, e.g. stabilize');
  const text = [directive, ...input, '----', ''].join('\n');
  let td: TestData;
  try {
    td = parseScript(text, pos)[0]!;
  } catch (e) {
    // The reader names line 1 of the text made up here: the user's command has no line.
    // The list of commands is offered where the user types: name the word only.
    if (!(e instanceof ScriptError)) throw e;
    throw new ScriptError(e.message.replace(`${pos}:1: `, `${pos}: `).replace(/; the harness knows .*/, ''));
  }
  return { ...td, pos, line: 0 };
}

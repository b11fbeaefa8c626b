// Ways into script mode: a file chosen or dropped, and the project's own scripts
// (test/scripts), bundled as lazily loaded chunks so they cost nothing until chosen.
// etcd's files are never bundled: they are opened from disk like any other file.

import { maxScriptBytes } from '../../scriptrun/scriptFile';
import { pushNotice } from '../store';
import { scriptController } from './scriptController';

const own = import.meta.glob<string>('../../../test/scripts/*.txt', { query: '?raw', import: 'default' });

/** Raftlab's own scripts: file name and a loader for its text. */
export const bundledScripts = Object.entries(own)
  .map(([path, load]) => ({ name: path.slice(path.lastIndexOf('/') + 1), load }))
  .sort((a, b) => a.name.localeCompare(b.name));

export async function openScriptFile(file: File): Promise<boolean> {
  if (file.size > maxScriptBytes) {
    pushNotice('error', `Script not opened: ${file.name} is too large for an interaction script (${file.size} bytes)`);
    return false;
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    pushNotice(
      'error',
      `Script not opened: could not read ${file.name} (${e instanceof Error ? e.message : String(e)})`,
    );
    return false;
  }
  return scriptController.openBytes(bytes, file.name);
}

export async function openBundled(name: string): Promise<boolean> {
  const s = bundledScripts.find((b) => b.name === name);
  if (s === undefined) return false;
  return scriptController.openText(await s.load(), `test/scripts/${s.name}`);
}

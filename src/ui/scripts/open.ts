// Ways into script mode: a file chosen or dropped, and the project's own scripts
// (test/scripts), bundled in one chunk loaded when first listed (ownScripts.ts).
// etcd's files are never bundled: they are opened from disk like any other file.

import { maxScriptBytes } from '../../scriptrun/scriptFile';
import { pushNotice } from '../store';
import { scriptController } from './scriptController';

/** Raftlab's own scripts (their names and texts), loaded on first use. */
export function loadOwnScripts(): Promise<readonly { name: string; text: string }[]> {
  return import('./ownScripts').then((m) => m.ownScripts);
}

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

export async function openOwn(name: string): Promise<boolean> {
  const s = (await loadOwnScripts()).find((b) => b.name === name);
  return s !== undefined && scriptController.openText(s.text, `test/scripts/${s.name}`);
}

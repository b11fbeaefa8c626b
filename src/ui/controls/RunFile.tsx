// Export and import of a recorded run as a .json file. Everything stays in the browser:
// the export is a Blob behind a temporary object URL, the import reads a local file.

import { useRef } from 'react';
import { DropMenu } from './DropMenu';
import { controller, getState, pushNotice, selectClusterStatus, selectSettings, selectStep, useRaft } from '../store';

/** Files larger than this are refused before reading: an exported run is far smaller. */
const maxImportBytes = 64 * 1024 * 1024;

/** The download's file name: the seed and the recorder step make it recognisable. */
function exportFileName(): string {
  const s = getState();
  return `raftlab-run-seed${selectSettings(s).seed}-step${selectStep(s)}.json`;
}

/** Offers `text` as a file download without any network request. */
function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the URL once click() returns; release it a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The highest id among the notices shown now (notice ids only grow). */
function lastNoticeId(): number {
  return getState().ui.notices.reduce((m, n) => Math.max(m, n.id), 0);
}

export function exportRunToFile(): void {
  const text = controller.exportRun();
  if (text === undefined) {
    // exportRun has shown the failure already, unless the cluster is still booting.
    if (selectClusterStatus(getState()) !== 'ready') pushNotice('warning', 'Export: the cluster is still starting');
    return;
  }
  const name = exportFileName();
  download(text, name);
  pushNotice('info', `Run exported as ${name}`);
}

/**
 * Imports a run file's text. The controller reports a malformed file or a failed replay
 * as an error notice and leaves the session as it was; success gets its own notice.
 */
export async function importRunFromText(text: string, name: string): Promise<boolean> {
  const before = lastNoticeId();
  await controller.importRun(text);
  const failed = getState().ui.notices.some((n) => n.id > before && n.kind === 'error');
  if (!failed) pushNotice('info', `Run imported from ${name}: now at step ${selectStep(getState())}`);
  return !failed;
}

/** The top bar's "File" menu (test ids `file-menu`, `export-run`, `import-run`, `import-file`). */
export function FileMenu() {
  const status = useRaft(selectClusterStatus);
  const input = useRef<HTMLInputElement>(null);
  const ready = status === 'ready';

  const onFile = async (file: File | undefined) => {
    if (file === undefined) return;
    if (file.size > maxImportBytes) {
      pushNotice('error', `Import failed: ${file.name} is too large to be a run file`);
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      pushNotice('error', `Import failed: could not read ${file.name} (${e instanceof Error ? e.message : String(e)})`);
      return;
    }
    await importRunFromText(text, file.name);
  };

  return (
    <>
      <DropMenu
        label="File"
        testId="file-menu"
        listLabel="Run file"
        disabled={!ready}
        title="Run file: export this run as a .json file, or import one"
      >
        {(close) => (
          <>
            <button
              type="button"
              data-testid="export-run"
              onClick={() => {
                close();
                exportRunToFile();
              }}
              title="Download this run (settings, seed and every recorded action) as a .json file"
            >
              Export run (.json)
            </button>
            <button
              type="button"
              data-testid="import-run"
              onClick={() => {
                close();
                input.current?.click();
              }}
              title="Replace this run with one from a .json file exported by Raftlab (it is replayed; a malformed file changes nothing)"
            >
              Import run…
            </button>
          </>
        )}
      </DropMenu>
      {/* Outside the menu, so the file chooser's answer arrives after the menu closed. */}
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        data-testid="import-file"
        aria-label="Run file to import"
        hidden
        onChange={(e) => {
          const el = e.currentTarget;
          const file = el.files?.[0];
          // Clear the value so choosing the same file again fires another change.
          void onFile(file).finally(() => {
            el.value = '';
          });
        }}
      />
    </>
  );
}

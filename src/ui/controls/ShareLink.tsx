// "Share": a link that carries the whole run (runLink.ts), shown in a field and copied
// to the clipboard. A run too long for a link says so and offers the file export.

import { useState } from 'react';
import { maxLinkChars } from '../../cluster/runLink';
import { controller, pushNotice, selectClusterStatus, useRaft } from '../store';
import { Dialog } from './Dialog';
import { exportRunToFile } from './RunFile';

type Shared = { url: string; chars: number; tooLong: boolean; copied: boolean };

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function ShareLinkButton() {
  const status = useRaft(selectClusterStatus);
  const [shared, setShared] = useState<Shared | undefined>(undefined);

  const make = async () => {
    const link = controller.shareLink();
    if (link === undefined) {
      pushNotice('warning', 'Share: the cluster is still starting');
      return;
    }
    const copied = link.tooLong ? false : await copy(link.url);
    setShared({ ...link, copied });
  };

  return (
    <>
      <button
        type="button"
        data-testid="share-link"
        disabled={status !== 'ready'}
        onClick={() => void make()}
        title="Share: a link that opens this run, at this step, in any browser (copied to the clipboard)"
      >
        Share
      </button>
      {shared !== undefined && (
        <Dialog title="Share this run" testId="share-dialog" wide onClose={() => setShared(undefined)}>
          {shared.tooLong ? (
            <p className="share-note" data-testid="share-too-long">
              This run is too long for a link ({Math.ceil(shared.chars / 1024)} KB; links up to {maxLinkChars / 1024} KB
              travel safely through mail and chat). Send it as a file instead.
            </p>
          ) : (
            <p className="share-note" data-testid="share-status">
              {shared.copied
                ? 'Link copied. Whoever opens it sees this run, at this step, replayed exactly.'
                : 'Copy this link (Ctrl+C): whoever opens it sees this run, at this step, replayed exactly.'}
            </p>
          )}
          <input
            className="share-url"
            data-testid="share-url"
            aria-label="Link to this run"
            readOnly
            value={shared.url}
            onFocus={(e) => e.currentTarget.select()}
          />
          <div className="dialog-actions">
            {shared.tooLong && (
              <button type="button" className="primary" data-testid="share-export" onClick={exportRunToFile}>
                Export as a file
              </button>
            )}
            <button type="button" onClick={() => setShared(undefined)}>
              Close
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

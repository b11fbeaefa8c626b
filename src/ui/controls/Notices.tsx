// Errors, warnings and hints from actions: nothing a failed action does is silent.

import { dismissNotice, selectNotices, useRaft } from '../store';

export function Notices() {
  const notices = useRaft(selectNotices);
  return (
    <div className="notices" role="status" aria-live="polite" data-testid="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} data-testid={`notice-${n.kind}`}>
          <span>{n.text}</span>
          <button
            type="button"
            className="ghost small"
            onClick={() => dismissNotice(n.id)}
            aria-label="Dismiss"
            title="Dismiss"
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}

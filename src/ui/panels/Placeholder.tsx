// A stand-in for a panel that is not written yet.

export function Placeholder({ what }: { what: string }) {
  return (
    <div className="panel-placeholder">
      <p>{what}</p>
      <p className="muted">Coming soon.</p>
    </div>
  );
}

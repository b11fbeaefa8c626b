// Small SVG icons for the timeline's marks and buttons, drawn as paths so they do not
// depend on which symbol fonts the machine has (a projector laptop may lack them).
// Each icon is centred on (0, 0) and fits in a square of side `size`.

import type { MarkKind } from './model';

export function MarkIcon({ kind, size }: { kind: MarkKind; size: number }) {
  const r = size / 2;
  const s = (v: number) => (v * r).toFixed(2);
  switch (kind) {
    case 'election': {
      // A five-pointed star.
      const pts: string[] = [];
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const rr = i % 2 === 0 ? 1 : 0.45;
        pts.push(`${s(Math.cos(a) * rr)},${s(Math.sin(a) * rr)}`);
      }
      return <polygon className="icon-fill" points={pts.join(' ')} />;
    }
    case 'crash':
      return (
        <path
          className="icon-stroke"
          d={`M${s(-0.75)},${s(-0.75)}L${s(0.75)},${s(0.75)}M${s(0.75)},${s(-0.75)}L${s(-0.75)},${s(0.75)}`}
        />
      );
    case 'restart':
      // An open circle with an arrow head.
      return (
        <g>
          <path
            className="icon-stroke"
            d={`M${s(0.7)},${s(-0.2)}A${s(0.75)},${s(0.75)} 0 1 1 ${s(0.2)},${s(-0.72)}`}
            fill="none"
          />
          <path className="icon-fill" d={`M${s(0.05)},${s(-1)}L${s(0.55)},${s(-0.7)}L${s(0.05)},${s(-0.4)}Z`} />
        </g>
      );
    case 'partition':
    case 'cut':
      // Two parallel slashes: the network split.
      return (
        <path
          className="icon-stroke"
          d={`M${s(-0.55)},${s(0.8)}L${s(-0.05)},${s(-0.8)}M${s(0.15)},${s(0.8)}L${s(0.65)},${s(-0.8)}`}
        />
      );
    case 'heal':
    case 'restore':
      // Two linked rings.
      return (
        <g fill="none">
          <circle className="icon-stroke" cx={s(-0.35)} cy={0} r={s(0.45)} />
          <circle className="icon-stroke" cx={s(0.35)} cy={0} r={s(0.45)} />
        </g>
      );
    case 'pause':
      return (
        <path
          className="icon-fill"
          d={`M${s(-0.6)},${s(-0.7)}h${s(0.4)}v${s(1.4)}h${s(-0.4)}ZM${s(0.2)},${s(-0.7)}h${s(0.4)}v${s(1.4)}h${s(-0.4)}Z`}
        />
      );
    case 'resume':
      return <path className="icon-fill" d={`M${s(-0.5)},${s(-0.75)}L${s(0.7)},0L${s(-0.5)},${s(0.75)}Z`} />;
    case 'fork':
      // A branch: one stem splitting in two.
      return (
        <path
          className="icon-stroke"
          fill="none"
          d={`M0,${s(0.9)}L0,${s(0.1)}L${s(-0.6)},${s(-0.8)}M0,${s(0.1)}L${s(0.6)},${s(-0.8)}`}
        />
      );
  }
}

/** An icon as a standalone inline SVG (legends, buttons). */
export function InlineIcon({ kind, size = 14, className }: { kind: MarkKind; size?: number; className?: string }) {
  return (
    <svg
      className={`inline-icon${className === undefined ? '' : ` ${className}`}`}
      width={size}
      height={size}
      viewBox={`${-size / 2 - 1} ${-size / 2 - 1} ${size + 2} ${size + 2}`}
      aria-hidden="true"
      focusable="false"
    >
      <MarkIcon kind={kind} size={size} />
    </svg>
  );
}

/** Transport icons for the timeline's buttons. */
export function NavIcon({ kind, size = 14 }: { kind: 'first' | 'back' | 'forward' | 'last'; size?: number }) {
  const h = size / 2;
  const tri = (dir: 1 | -1, x0: number) =>
    dir === 1
      ? `M${x0 - h * 0.55},${-h * 0.75}L${x0 + h * 0.55},0L${x0 - h * 0.55},${h * 0.75}Z`
      : `M${x0 + h * 0.55},${-h * 0.75}L${x0 - h * 0.55},0L${x0 + h * 0.55},${h * 0.75}Z`;
  const d =
    kind === 'back'
      ? tri(-1, 0)
      : kind === 'forward'
        ? tri(1, 0)
        : kind === 'first'
          ? `${tri(-1, h * 0.2)}M${-h * 0.85},${-h * 0.75}h${h * 0.3}v${h * 1.5}h${-h * 0.3}Z`
          : `${tri(1, -h * 0.2)}M${h * 0.55},${-h * 0.75}h${h * 0.3}v${h * 1.5}h${-h * 0.3}Z`;
  return (
    <svg width={size} height={size} viewBox={`${-h} ${-h} ${size} ${size}`} aria-hidden="true" focusable="false">
      <path d={d} fill="currentColor" />
    </svg>
  );
}

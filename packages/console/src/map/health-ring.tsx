import type { Health } from './graph-model';
import { ringArcs, RING_STATUSES } from './signals';

export const STATUS_ORDER = RING_STATUSES;
export const STATUS_LABEL = { ok: 'OK', error: 'Error (4xx)', fault: 'Fault (5xx)', throttle: 'Throttle (429)' } as const;

/**
 * A ring split into arcs by share of requests: green ok, yellow error (4xx), red fault (5xx),
 * purple throttle (429), as X-Ray's console draws it, except that a small share is drawn as a
 * visible arc (`MIN_ARC_SHARE`) rather than a hairline; the node prints the true share. Grey
 * when there were no requests.
 */
export function HealthRing({ health, size = 64, stroke = 6 }: { health: Health; size?: number; stroke?: number }) {
  const r = (size - stroke) / 2;
  const c = 2 * Math.PI * r;
  let offset = 0;
  return (
    <svg className="health-ring" width={size} height={size} viewBox={`0 0 ${size} ${size}`} aria-hidden="true">
      <circle cx={size / 2} cy={size / 2} r={r} className="ring-empty" strokeWidth={stroke} fill="none" />
      {ringArcs(health).map((a) => {
        const len = a.drawn * c;
        const arc = (
          <circle
            key={a.status}
            cx={size / 2}
            cy={size / 2}
            r={r}
            fill="none"
            strokeWidth={stroke}
            className={`ring-arc status-${a.status}`}
            data-status={a.status}
            data-share={a.share.toFixed(4)}
            data-drawn={a.drawn.toFixed(4)}
            strokeDasharray={`${len} ${c - len}`}
            strokeDashoffset={-offset}
            transform={`rotate(-90 ${size / 2} ${size / 2})`}
          />
        );
        offset += len;
        return arc;
      })}
    </svg>
  );
}

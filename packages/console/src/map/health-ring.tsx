import type { Health } from './graph-model';

export const STATUS_ORDER = ['ok', 'error', 'fault', 'throttle'] as const;
export const STATUS_LABEL = { ok: 'OK', error: 'Error (4xx)', fault: 'Fault (5xx)', throttle: 'Throttle (429)' } as const;

/**
 * A ring split into arcs by share of requests: green ok, yellow error (4xx), red fault (5xx),
 * purple throttle (429), as X-Ray's console draws it. Grey when there were no requests.
 */
export function HealthRing({ health, size = 64, stroke = 6 }: { health: Health; size?: number; stroke?: number }) {
  const r = (size - stroke) / 2;
  const c = 2 * Math.PI * r;
  const total = health.ok + health.error + health.fault + health.throttle;
  let offset = 0;
  return (
    <svg className="health-ring" width={size} height={size} viewBox={`0 0 ${size} ${size}`} aria-hidden="true">
      <circle cx={size / 2} cy={size / 2} r={r} className="ring-empty" strokeWidth={stroke} fill="none" />
      {total > 0 &&
        STATUS_ORDER.map((s) => {
          const n = health[s];
          if (n === 0) return null;
          const len = (n / total) * c;
          const arc = (
            <circle
              key={s}
              cx={size / 2}
              cy={size / 2}
              r={r}
              fill="none"
              strokeWidth={stroke}
              className={`ring-arc status-${s}`}
              data-status={s}
              data-share={(n / total).toFixed(4)}
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

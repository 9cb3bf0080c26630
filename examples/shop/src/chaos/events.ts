/** The kinds of incident chaos causes. */
export const CHAOS_KINDS = ['service-kill', 'dynamodb-latency', 'payments-faults', 'payments-throttling'] as const;
export type ChaosKind = (typeof CHAOS_KINDS)[number];

/**
 * One line of the chaos log. An incident has a `start` and an `end` event with the same
 * `incident` number; turning chaos on or off is a `toggle` event (incident 0).
 */
export interface ChaosEvent {
  /** When it happened, ISO 8601 (UTC), to look up on the map and in traces. */
  readonly time: string;
  readonly incident: number;
  readonly kind: ChaosKind | 'chaos';
  readonly phase: 'start' | 'end' | 'toggle';
  /** The process affected: a service name, `dynamodb`, or `chaos` for toggles. */
  readonly target: string;
  readonly message: string;
}

export function formatChaosEvent(e: ChaosEvent): string {
  const id = e.incident ? `#${e.incident} ` : '';
  return `${e.time} chaos ${id}${e.phase === 'toggle' ? '' : `${e.phase} `}${e.kind === 'chaos' ? '' : `${e.kind} `}${e.target === 'chaos' ? '' : `${e.target}: `}${e.message}`;
}

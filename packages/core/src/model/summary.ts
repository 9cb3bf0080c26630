import type { RootCauses } from '../trace/root-causes.js';
import type { AnnotationValue, NodeRef } from './span.js';

export interface ServiceRef extends NodeRef {
  readonly accountId: string | null;
}

export interface TraceSummary {
  /** 32 hex digits. */
  readonly traceId: string;
  /** Earliest span start, epoch seconds. */
  readonly startTime: number;
  /** Earliest start to latest end over the whole trace, seconds. */
  readonly duration: number;
  /** The root segment's own duration, seconds; null while the trace has no root segment. */
  readonly responseTime: number | null;
  readonly hasFault: boolean;
  readonly hasError: boolean;
  readonly hasThrottle: boolean;
  readonly isPartial: boolean;
  readonly http: {
    readonly url: string | null;
    readonly status: number | null;
    readonly method: string | null;
    readonly userAgent: string | null;
    readonly clientIp: string | null;
  } | null;
  readonly annotations: ReadonlyArray<{ readonly key: string; readonly value: AnnotationValue; readonly services: readonly ServiceRef[] }>;
  readonly users: ReadonlyArray<{ readonly name: string; readonly services: readonly ServiceRef[] }>;
  readonly services: readonly ServiceRef[];
  readonly entryPoint: ServiceRef | null;
  readonly resourceArns: readonly string[];
  readonly instanceIds: readonly string[];
  readonly availabilityZones: readonly string[];
  /** Number of stored spans; grows as more of the trace arrives. */
  readonly revision: number;
  /** The time the trace matched the query on (its filing time, or its latest event in range). */
  readonly matchedTime: number;
  readonly rootCauses: RootCauses;
}

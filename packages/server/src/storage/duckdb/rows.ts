import {
  NO_ATTRIBUTES,
  SPAN_KINDS,
  STATUS_CODES,
  type AnnotationValue,
  type Attributes,
  type Span,
  type SpanEvent,
  type SpanException,
  type SpanKind,
  type SpanLink,
  type SpanSource,
  type TraceSpan,
} from '@fluoro/core';
import type { Row } from './connection.js';

/** A `spans` row of (at least) `TRACE_SPAN_COLUMNS` (schema.ts) as what a trace model reads of a span. */
export function rowToTraceSpan(r: Row): TraceSpan {
  const str = (k: string): string | null => (r[k] as string | null) ?? null;
  const hasHttp = ['http_method', 'http_url', 'http_status', 'http_user_agent', 'http_client_ip'].some((k) => r[k] != null);
  const segmentId = str('segment_id');
  return {
    traceId: r['trace_id'] as string,
    id: r['id'] as string,
    parentId: str('parent_id'),
    kind: (r['is_segment'] ? 'segment' : 'subsegment') as SpanKind,
    name: r['name'] as string,
    startTime: r['start_time'] as number,
    endTime: (r['end_time'] as number | null) ?? null,
    inProgress: r['in_progress'] as boolean,
    owner: segmentId ? { segmentId, service: str('service')!, serviceType: str('service_type')! } : null,
    error: r['error'] as boolean,
    fault: r['fault'] as boolean,
    throttle: r['throttle'] as boolean,
    http: hasHttp
      ? {
          method: str('http_method'),
          url: str('http_url'),
          userAgent: str('http_user_agent'),
          clientIp: str('http_client_ip'),
          status: (r['http_status'] as number | null) ?? null,
        }
      : null,
    user: str('user_name'),
    resourceArn: str('resource_arn'),
    accountId: str('account_id'),
    instanceId: str('instance_id'),
    availabilityZone: str('availability_zone'),
    annotations: r['annotations'] ? (JSON.parse(r['annotations'] as string) as Record<string, AnnotationValue>) : {},
    exceptions: r['exceptions'] ? (JSON.parse(r['exceptions'] as string) as SpanException[]) : [],
    downstream: r['downstream_name'] ? { name: r['downstream_name'] as string, type: r['downstream_type'] as string } : null,
    traceTime: r['trace_time'] as number,
  };
}

/** A `spans` row (all columns) as a span. */
export function rowToSpan(r: Row): Span {
  const str = (k: string): string | null => (r[k] as string | null) ?? null;
  return {
    ...rowToTraceSpan(r),
    source: r['source'] as SpanSource,
    docId: r['doc_id'] as string,
    doc: str('doc'),
    resource: json<Attributes>(r['resource']) ?? NO_ATTRIBUTES,
    scope: r['scope_name'] ? { name: r['scope_name'] as string, version: str('scope_version') ?? '' } : null,
    attributes: json<Attributes>(r['attributes']) ?? NO_ATTRIBUTES,
    events: json<SpanEvent[]>(r['events']) ?? [],
    links: json<SpanLink[]>(r['links']) ?? [],
    status: { code: STATUS_CODES[Number(r['status_code'])] ?? 'unset', message: str('status_message') ?? '' },
    spanKind: SPAN_KINDS[Number(r['span_kind'])] ?? 'unspecified',
  };
}

function json<T>(v: unknown): T | null {
  return typeof v === 'string' ? (JSON.parse(v) as T) : null;
}

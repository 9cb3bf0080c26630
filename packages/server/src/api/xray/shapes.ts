import type { TimeSeriesPoint } from '../../signals/traces/query.js';
import {
  nodeKey,
  rootCauseJson,
  toXrayTraceId,
  type AnnotationValue,
  type GraphStats,
  type HistogramBucket,
  type ServiceGraph,
  type ServiceRef,
  type TraceSummary,
} from '@fluoro/core';
import type * as Xray from '@fluoro/contracts';

/** Fluoro's graph and summary records in the X-Ray API's shapes (service-2.json). */

/** Services and edges have the same statistics (`ServiceStatistics`, `EdgeStatistics`). */
function statistics(s: GraphStats): Xray.ServiceStatistics & Xray.EdgeStatistics {
  return {
    OkCount: s.ok,
    ErrorStatistics: { ThrottleCount: s.throttle, OtherCount: s.error, TotalCount: s.throttle + s.error },
    FaultStatistics: { OtherCount: s.fault, TotalCount: s.fault },
    TotalCount: s.total,
    TotalResponseTime: s.totalResponseTime,
  };
}

function histogram(h: readonly HistogramBucket[]): Xray.Histogram {
  return h.map((b) => ({ Value: b.value, Count: b.count }));
}

/** `Services` of GetServiceGraph / GetTraceGraph: one entry per node, each with its outgoing edges. */
export function toServices(graph: ServiceGraph): Xray.Service[] {
  const nodes = [...graph.nodes].sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
  const refs = new Map(nodes.map((n, i) => [nodeKey(n), i]));
  return nodes.map((n, i) => {
    const edges = graph.edges
      .filter((e) => nodeKey(e.source) === nodeKey(n))
      .map((e): Xray.Edge => ({
        ReferenceId: refs.get(nodeKey(e.target)),
        StartTime: e.startTime,
        EndTime: e.endTime,
        SummaryStatistics: statistics(e.stats),
        ResponseTimeHistogram: histogram(e.responseTimeHistogram),
        Aliases: [],
      }))
      .sort((a, b) => a.ReferenceId! - b.ReferenceId!);
    const service: Xray.Service = {
      ReferenceId: i,
      Name: n.name,
      Names: [n.name],
      Root: n.root,
      Type: n.type,
      State: n.state,
      StartTime: n.startTime,
      EndTime: n.endTime,
      Edges: edges,
    };
    if (n.accountId) service.AccountId = n.accountId;
    if (n.stats) {
      service.SummaryStatistics = statistics(n.stats);
      service.DurationHistogram = histogram(n.durationHistogram);
      service.ResponseTimeHistogram = histogram(n.responseTimeHistogram);
    }
    return service;
  });
}

function serviceId(s: ServiceRef): Xray.ServiceId {
  const out: Xray.ServiceId = { Name: s.name, Names: [s.name], Type: s.type };
  if (s.accountId) out.AccountId = s.accountId;
  return out;
}

function annotationValue(v: AnnotationValue): Xray.AnnotationValue {
  if (typeof v === 'string') return { StringValue: v };
  if (typeof v === 'number') return { NumberValue: v };
  return { BooleanValue: v };
}

export function toTraceSummary(s: TraceSummary): Xray.TraceSummary {
  const annotations: Xray.Annotations = {};
  for (const a of s.annotations) {
    (annotations[a.key] ??= []).push({ AnnotationValue: annotationValue(a.value), ServiceIds: a.services.map(serviceId) });
  }
  const out: Xray.TraceSummary = {
    Id: toXrayTraceId(s.traceId),
    StartTime: s.startTime,
    Duration: s.duration,
    HasFault: s.hasFault,
    HasError: s.hasError,
    HasThrottle: s.hasThrottle,
    IsPartial: s.isPartial,
    Annotations: annotations,
    Users: s.users.map((u) => ({ UserName: u.name, ServiceIds: u.services.map(serviceId) })),
    ServiceIds: s.services.map(serviceId),
    ResourceARNs: s.resourceArns.map((ARN) => ({ ARN })),
    InstanceIds: s.instanceIds.map((Id) => ({ Id })),
    AvailabilityZones: s.availabilityZones.map((Name) => ({ Name })),
    FaultRootCauses: s.rootCauses.fault.map(rootCauseJson),
    ErrorRootCauses: s.rootCauses.error.map(rootCauseJson),
    ResponseTimeRootCauses: s.rootCauses.responseTime.map(rootCauseJson),
    Revision: s.revision,
    MatchedEventTime: s.matchedTime,
  };
  if (s.responseTime !== null) out.ResponseTime = s.responseTime;
  if (s.entryPoint) out.EntryPoint = serviceId(s.entryPoint);
  if (s.http) {
    const http: Xray.Http = {};
    if (s.http.url !== null) http.HttpURL = s.http.url;
    if (s.http.status !== null) http.HttpStatus = s.http.status;
    if (s.http.method !== null) http.HttpMethod = s.http.method;
    if (s.http.userAgent !== null) http.UserAgent = s.http.userAgent;
    if (s.http.clientIp !== null) http.ClientIp = s.http.clientIp;
    out.Http = http;
  }
  return out;
}

export function toTimeSeriesStatistics(p: TimeSeriesPoint): Xray.TimeSeriesServiceStatistics {
  const Timestamp = p.timestamp;
  const stats = statistics(p.stats);
  const ResponseTimeHistogram = histogram(p.responseTimeHistogram);
  return p.kind === 'service'
    ? { Timestamp, ServiceSummaryStatistics: stats, ResponseTimeHistogram }
    : { Timestamp, EdgeSummaryStatistics: stats, ResponseTimeHistogram };
}

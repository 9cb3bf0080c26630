import type { DecodeThread } from '../../ingest/decode-thread.js';
import { assembleTrace, parseTraceId, toXrayTraceId } from '@fluoro/core';
import type { IncomingHttpHeaders } from 'node:http';
import type { BatchGetTracesResult, GetTraceSummariesResult, Trace, XrayOperationName, XrayOperations } from '@fluoro/contracts';
import type { FluoroConfig } from '../../config/schema.js';
import { FluoroError, invalidRequest } from '../../platform/errors/catalog.js';
import type { DocumentIngest } from '../../ingest/xray/documents.js';
import { IngestRejected } from '../../pipeline/pipeline.js';
import type { TracePipeline } from '../../signals/traces/trace-pipeline.js';
import type { SummaryCursor, TimeRange, TimeRangeType, TraceQueries } from '../../signals/traces/query.js';
import { graphWindow } from '../../signals/traces/query.js';
import type { Counter } from '../../platform/telemetry/metrics.js';
import { checkedRange } from '../inputs.js';
import { decodeToken, encodeToken, isOffset, type StateCheck } from './next-token.js';

const isCursor: StateCheck<SummaryCursor> = (s): s is SummaryCursor =>
  typeof s === 'object' && s !== null && Number.isFinite((s as SummaryCursor).time) && typeof (s as SummaryCursor).traceId === 'string';
import type { SamplingContext } from './sampling-operations.js';
import { toServices, toTimeSeriesStatistics, toTraceSummary } from './shapes.js';

/**
 * Documents one PutTraceSegments may carry. X-Ray documents no number, only the body size; a bound
 * keeps a call's work and its answer (one entry per refused document) small.
 */
export const MAX_DOCUMENTS_PER_CALL = 10_000;

/** What the ingest operations (PutTraceSegments, PutTelemetryRecords) need. */
export interface XrayIngestContext {
  readonly pipeline: TracePipeline;
  readonly documents: DocumentIngest;
  /** Parses the documents off the main thread. */
  readonly decoder: DecodeThread;
  readonly telemetryRecords: Counter;
}

/** What the read operations (traces, graphs, time series) need. */
export interface XrayReadContext {
  readonly traces: TraceQueries;
  readonly api: FluoroConfig['api'];
}

/** What the whole API needs; each group of handlers takes only its part. */
export interface XrayApiContext extends XrayIngestContext, XrayReadContext {
  readonly sampling: SamplingContext;
}

/** An operation's request body, validated against the model (`validateInput`). */
export type Input<N extends XrayOperationName> = XrayOperations[N]['input'];
/** What an operation answers; tests hold every response to the model (`outputProblems`). */
export type Output<N extends XrayOperationName> = XrayOperations[N]['output'];

/** What a handler sees of the HTTP request besides its body. */
export interface XrayRequest {
  readonly headers: IncomingHttpHeaders;
}

export type OperationHandler<N extends XrayOperationName, C = XrayApiContext> = (
  input: Input<N>,
  request: XrayRequest,
  ctx: C,
) => Promise<Output<N>>;

/** Handlers by operation name, given context `C`; an operation without one answers "not implemented". */
export type OperationHandlers<C = XrayApiContext> = { readonly [N in XrayOperationName]?: OperationHandler<N, C> };

/** Traces read per BatchGetTraces page, and the response size after which a page ends early. */
const TRACES_PER_PAGE = 25;
const PAGE_BYTES = 4 * 1024 * 1024;

/** The X-Ray operations that take data in. */
export const XRAY_INGEST_HANDLERS: OperationHandlers<XrayIngestContext> = {
  async PutTraceSegments(input, _request, ctx) {
    if (input.TraceSegmentDocuments.length > MAX_DOCUMENTS_PER_CALL) {
      throw invalidRequest(
        `TraceSegmentDocuments holds ${input.TraceSegmentDocuments.length} documents; at most ${MAX_DOCUMENTS_PER_CALL} are taken per call (the X-Ray daemon sends 50)`,
      );
    }
    const parsed = await ctx.decoder.documents(input.TraceSegmentDocuments);
    if (!parsed.ok) throw new FluoroError('ServiceUnavailable', `${parsed.message}; none of the spans were stored`, 1);
    const unprocessed = ctx.documents.count('http', input.TraceSegmentDocuments.length, parsed.rejections, parsed.unindexed);
    const { batch, bytes } = parsed;
    if (batch) {
      try {
        await ctx.pipeline.submit(batch, bytes);
      } catch (err) {
        if (!(err instanceof IngestRejected)) throw err;
        throw err.reason === 'overloaded'
          ? new FluoroError('Throttled', `${err.message}; ${err.outcome(batch.length, 'spans')}`, 1)
          : new FluoroError('ServiceUnavailable', `${err.message}; ${err.outcome(batch.length, 'spans')}`, 1);
      }
    }
    return {
      UnprocessedTraceSegments: unprocessed.map((r) =>
        r.id ? { Id: r.id, ErrorCode: r.code, Message: r.message } : { ErrorCode: r.code, Message: r.message },
      ),
    };
  },

  /** X-Ray daemons report their health every minute; Fluoro counts the records and keeps nothing. */
  async PutTelemetryRecords(input, _request, ctx) {
    ctx.telemetryRecords.inc(undefined, input.TelemetryRecords.length);
    return {};
  },
};

/** The X-Ray trace and graph operations Fluoro implements (sampling: sampling-operations.ts). */
export const XRAY_READ_HANDLERS: OperationHandlers<XrayReadContext> = {
  async BatchGetTraces(input, _request, ctx) {
    const given = input.TraceIds;
    const offset = input.NextToken ? decodeToken(input.NextToken, ['BatchGetTraces', given], isOffset) : 0;
    const unprocessed: string[] = [];
    const wanted: Array<{ given: string; id: string }> = [];
    const seen = new Set<string>();
    for (const g of given) {
      const id = parseTraceId(g);
      if (!id) {
        if (offset === 0) unprocessed.push(g);
      } else if (!seen.has(id)) {
        seen.add(id);
        wanted.push({ given: g, id });
      }
    }
    const page = wanted.slice(offset, offset + TRACES_PER_PAGE);
    const found = await ctx.traces.getTraces(page.map((w) => w.id));
    const traces: Trace[] = [];
    let size = 0;
    let taken = 0;
    for (const w of page) {
      if (size > PAGE_BYTES) break;
      taken++;
      const spans = found.get(w.id);
      if (!spans) {
        unprocessed.push(w.given);
        continue;
      }
      const trace = assembleTrace(spans);
      const segments = trace.documents.map((d) => ({ Id: d.id, Document: JSON.stringify(d.document) }));
      for (const s of segments) size += s.Document.length;
      traces.push({ Id: toXrayTraceId(w.id), Duration: trace.duration, LimitExceeded: false, Segments: segments });
    }
    const out: BatchGetTracesResult = { Traces: traces, UnprocessedTraceIds: unprocessed };
    if (offset + taken < wanted.length) out.NextToken = encodeToken(['BatchGetTraces', given], offset + taken);
    return out;
  },

  async GetTraceSummaries(input, _request, ctx) {
    const range = timeRange(input, ctx.api.maxQueryWindowHours);
    const rangeType: TimeRangeType = input.TimeRangeType ?? 'TraceId';
    const text = input.FilterExpression?.trim() ?? '';
    const filter = text ? ctx.traces.filter({ text, member: 'FilterExpression' }) : null;
    const request = ['GetTraceSummaries', range, rangeType, text];
    const after = input.NextToken ? decodeToken(input.NextToken, request, isCursor) : null;
    const page = await ctx.traces.summaries({ range, rangeType, filter, limit: ctx.api.summariesPageSize, after });
    const out: GetTraceSummariesResult = {
      TraceSummaries: page.summaries.map(toTraceSummary),
      ApproximateTime: page.next ? page.next.time : range.start,
      TracesProcessedCount: page.tracesProcessed,
    };
    if (page.next) out.NextToken = encodeToken(request, page.next);
    return out;
  },

  async GetServiceGraph(input, _request, ctx) {
    const range = timeRange(input, ctx.api.maxQueryWindowHours);
    checkGroup(input);
    const graph = await ctx.traces.serviceGraph({ range });
    const window = graphWindow(range);
    return { StartTime: window.start, EndTime: window.end, Services: toServices(graph), ContainsOldGroupVersions: false };
  },

  async GetTimeSeriesServiceStatistics(input, _request, ctx) {
    const range = timeRange(input, ctx.api.maxQueryWindowHours);
    checkGroup(input);
    const period = input.Period ?? 60;
    if (period < 60 || period % 60 !== 0)
      throw invalidRequest(`Period must be a whole number of minutes in seconds (60, 300, 3600…), not ${period}`);
    if ((range.end - range.start) / period > 10_080)
      throw invalidRequest(`the range holds ${Math.ceil((range.end - range.start) / period)} periods of ${period} s; the limit is 10080`);
    const text = input.EntitySelectorExpression?.trim();
    const selector = ctx.traces.selector(text ? { text, member: 'EntitySelectorExpression' } : null);
    const points = await ctx.traces.timeSeries(range, period, selector);
    return { TimeSeriesServiceStatistics: points.map(toTimeSeriesStatistics), ContainsOldGroupVersions: false };
  },

  async GetTraceGraph(input, _request, ctx) {
    const ids = [...new Set(input.TraceIds.map(parseTraceId).filter((id): id is string => id !== null))];
    const graph = await ctx.traces.serviceGraph({ traceIds: ids });
    return { Services: toServices(graph) };
  },
};

function timeRange(input: { readonly StartTime: number; readonly EndTime: number }, maxHours: number): TimeRange {
  return checkedRange(input.StartTime, input.EndTime, maxHours);
}

function checkGroup(input: { readonly GroupName?: string; readonly GroupARN?: string }): void {
  const name = input.GroupName;
  const arn = input.GroupARN;
  if ((name && name !== 'Default') || (arn && !arn.endsWith('/Default'))) {
    throw invalidRequest(`group ${name ?? arn} does not exist; only the Default group (all traces) is available`);
  }
}

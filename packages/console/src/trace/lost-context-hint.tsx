import { batchGetTrace, getTraceSummaries } from '../api/fluoro';
import type { TraceSummary } from '../api/xray-types';
import { Link } from '../app/link';
import { useApi } from '../app/use-api';
import { formatTime } from '../time/format';
import {
  asCallee,
  calleeFilter,
  callerFilter,
  callerWindow,
  callWindow,
  openAt,
  startedDuring,
  unansweredCalls,
  type UnansweredCall,
} from './lost-context';
import { buildTimeline, type TimelineModel } from './timeline-model';

/** A call in the trace `callerTrace` that the trace `callee` began during. */
interface Lost {
  callerTrace: string;
  call: UnansweredCall;
  callee: TraceSummary;
}

/** The traces that began during this trace's unanswered calls. */
async function findCallees(id: string, model: TimelineModel, signal: AbortSignal): Promise<Lost[]> {
  const found = await Promise.all(
    unansweredCalls(model).map(async (call) => {
      const r = await getTraceSummaries(callWindow(call), calleeFilter(call), undefined, signal);
      const callee = startedDuring(call, r.TraceSummaries ?? [], id);
      return callee ? { callerTrace: id, call, callee } : null;
    }),
  );
  return found.filter((x): x is Lost => x !== null);
}

/** The trace whose unanswered call this one began during, if this one began a trace. */
async function findCaller(id: string, model: TimelineModel, signal: AbortSignal): Promise<Lost | null> {
  const callee = asCallee(model, id);
  if (!callee) return null;
  const r = await getTraceSummaries(callerWindow(callee), callerFilter(callee), undefined, signal);
  for (const candidate of openAt(callee, r.TraceSummaries ?? [])) {
    const t = await batchGetTrace(candidate.Id!, signal);
    if (t.documents.length === 0) continue;
    const call = unansweredCalls(buildTimeline(t.documents), Infinity).find((c) => startedDuring(c, [callee], candidate.Id!));
    if (call) return { callerTrace: candidate.Id!, call, callee };
  }
  return null;
}

/**
 * Says when a request became two traces because the trace context was lost on a call (issue 12):
 * on the caller's trace, which trace the callee began; on the callee's, which trace called it.
 * A guess drawn from other traces, so a failed lookup shows nothing rather than an error: the
 * trace itself is on the page either way.
 */
export function LostContextHint({ id, model }: { id: string; model: TimelineModel }) {
  const found = useApi(
    (signal) =>
      Promise.all([findCallees(id, model, signal), findCaller(id, model, signal)]).then(([down, up]) => (up ? [up, ...down] : down)),
    [id, model],
  );
  if (!found.data || found.data.length === 0) return null;
  return (
    <section className="notice notice-warn lost-context" aria-label="Lost trace context" data-testid="lost-context">
      {found.data.map((x) => (
        <p
          key={`${x.callerTrace}/${x.call.id}`}
          data-testid="lost-context-hint"
          data-trace-id={x.callerTrace === id ? x.callee.Id : x.callerTrace}
        >
          {x.callerTrace === id ? (
            <>
              The call to <code>{x.call.url}</code> at {formatTime(x.call.start, true)} got no segment from the service it called, but trace{' '}
              <TraceLink id={x.callee.Id!} /> began at <b>{x.callee.EntryPoint?.Name}</b> during that call:{' '}
            </>
          ) : (
            <>
              This trace began during a call from trace <TraceLink id={x.callerTrace} /> (<b>{x.call.caller}</b> calling{' '}
              <code>{x.call.url}</code> at {formatTime(x.call.start, true)}), which got no segment:{' '}
            </>
          )}
          <Cause lost={x} /> See “Traces that cross X-Ray and OTel services” (propagators) in docs/opentelemetry.md.
        </p>
      ))}
    </section>
  );
}

function TraceLink({ id }: { id: string }) {
  return (
    <Link className="mono" href={`/traces/${id}`}>
      {id}
    </Link>
  );
}

/** An X-Ray SDK always sends `X-Amzn-Trace-Id`; of any other caller the page cannot tell what it sent. */
function Cause({ lost }: { lost: Lost }) {
  const callee = <b>{lost.callee.EntryPoint?.Name}</b>;
  if (lost.call.xraySdk) return <>{callee} did not follow the X-Amzn-Trace-Id header it was sent.</>;
  return (
    <>
      <b>{lost.call.caller}</b> and {callee} do not share a trace header (X-Amzn-Trace-Id or traceparent).
    </>
  );
}

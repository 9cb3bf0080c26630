import { SpanKind, SpanStatusCode, trace, type Attributes, type Span, type SpanOptions } from '@opentelemetry/api';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { serveUntilStopped } from './control.js';
import type { Customer } from './customer.js';
import { portOf } from './env.js';
import { answerErrors, HttpError } from './http-error.js';
import { shutdownTracing } from './otel-shutdown.js';
import { SHOP_PACKAGE } from './version.js';
import type { ServiceName } from '../topology.js';

export { SpanKind, SpanStatusCode };
export const tracer = trace.getTracer('fluoro-demo-shop', SHOP_PACKAGE.version);

/**
 * Starts an Express service of an OpenTelemetry-instrumented process (the SDK itself is started by
 * `otel-preload.ts`). Faults (5xx) are recorded on the request's span as exceptions, which Fluoro
 * turns into the segment's `cause`.
 */
export function startOtelService(name: ServiceName, routes: (app: Express) => void): void {
  const app = express();
  app.use(express.json());
  routes(app);
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof HttpError && err.status < 500)) recordFault(trace.getActiveSpan(), err);
    answerErrors(err, req, res, next);
  });
  serveUntilStopped(app.listen(portOf(name), '127.0.0.1'), shutdownTracing);
}

export function recordFault(span: Span | undefined, err: unknown): void {
  if (!span) return;
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/**
 * Sets attributes that Fluoro should index as annotations: Fluoro (like the Collector's X-Ray
 * exporter) makes annotations of the attributes a span lists in `aws.xray.annotations`.
 */
export function annotate(span: Span | undefined, values: Record<string, string | number | boolean>): void {
  if (!span) return;
  const existing = ((span as unknown as { attributes?: Attributes }).attributes?.['aws.xray.annotations'] as string[] | undefined) ?? [];
  span.setAttributes(values);
  span.setAttribute('aws.xray.annotations', [...new Set([...existing, ...Object.keys(values)])]);
}

/** Records who the request is for on the request's span: the user and the tier annotation. */
export function recordCustomer(c: Customer | null): void {
  const span = trace.getActiveSpan();
  if (!span || !c) return;
  span.setAttribute('enduser.id', c.id);
  annotate(span, { customer_tier: c.tier });
}

/** Runs `fn` in a new active span, ending it (with the error recorded, if any) when `fn` settles. */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T> | T): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      recordFault(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

import type { NextFunction, Request, Response } from 'express';

/**
 * A request the service refuses on purpose (4xx), or a downstream failure it reports (5xx). Thrown
 * by handlers; {@link answerErrors} turns it into the JSON answer.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = status >= 500 ? 'ServiceFault' : 'ClientError';
  }
}

/** The last error handler of every shop service: a JSON body with the error's message. */
export function answerErrors(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const status =
    err instanceof HttpError
      ? err.status
      : typeof (err as { status?: unknown }).status === 'number'
        ? (err as { status: number }).status
        : 500;
  const extra = err instanceof HttpError ? err.extra : {};
  if (!res.headersSent) res.status(status).json({ error: (err as Error).message ?? String(err), ...extra });
}

/**
 * Answers client errors (4xx) and passes faults on. X-Ray services put it before the SDK's
 * `closeSegment()`, which records whatever reaches it as a fault of the segment: a refused request
 * is the client's error, not the service's fault.
 */
export function answerClientErrors(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (err instanceof HttpError && err.status < 500) answerErrors(err, req, res, next);
  else next(err);
}

/** Relays a downstream service's 4xx answer as this service's own. */
export function relayClientError(status: number, body: unknown, what: string): never {
  const message =
    typeof body === 'object' && body && typeof (body as { error?: unknown }).error === 'string'
      ? (body as { error: string }).error
      : `${what} answered ${status}`;
  throw new HttpError(status, message);
}

/** A downstream call that failed (network error, timeout or 5xx), as this service's 502. */
export function downstreamFault(what: string, cause: unknown): HttpError {
  const reason =
    cause instanceof Error ? `${(cause as NodeJS.ErrnoException).code ?? cause.name}: ${cause.message}` : `answered ${String(cause)}`;
  return new HttpError(502, `${what} failed: ${reason}`);
}

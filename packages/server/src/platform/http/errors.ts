import { FluoroError } from '../errors/catalog.js';
import type { Logger } from '../telemetry/logger.js';
import type { HttpResponse } from './router.js';

/**
 * The one place an error becomes an HTTP response. The shape is what AWS SDKs and the AWS CLI
 * parse for restJson1 services: `x-amzn-ErrorType` header, `__type`, and the message under both
 * `message` and `Message`.
 */
export function errorResponse(err: unknown, requestId: string, log: Logger): HttpResponse {
  const e =
    err instanceof FluoroError
      ? err
      : new FluoroError('InternalFailure', `internal error (request ${requestId}): ${(err as Error)?.message ?? String(err)}`);
  if (e.code === 'InternalFailure') log.error('request failed', { requestId, error: (err as Error)?.stack ?? String(err) });
  const headers: Record<string, string> = { 'x-amzn-ErrorType': e.type };
  if (e.retryAfter !== undefined) headers['retry-after'] = String(e.retryAfter);
  return {
    status: e.status,
    headers,
    body: JSON.stringify({ __type: e.type, code: e.code, message: e.message, Message: e.message }),
    contentType: 'application/json',
  };
}

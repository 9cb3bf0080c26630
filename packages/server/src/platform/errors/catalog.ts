/**
 * Every error an HTTP client of Fluoro can get, with a stable code, its HTTP status and the error
 * type X-Ray clients look for (header `x-amzn-ErrorType`, body `__type`). Handlers throw
 * `FluoroError`; `http/errors.ts` is the one place that turns it into a response.
 * `docs/errors.md` lists the same catalog; a test keeps the two in step.
 */
export const ERROR_CATALOG = {
  InvalidRequest: {
    status: 400,
    type: 'InvalidRequestException',
    summary: 'The request is malformed or a parameter is invalid; the message names it.',
  },
  OperationNotImplemented: {
    status: 400,
    type: 'InvalidRequestException',
    summary: 'A known X-Ray operation that this version of Fluoro does not implement yet.',
  },
  StoreUnsupported: {
    status: 400,
    type: 'InvalidRequestException',
    summary:
      'The request needs a capability the configured storage backend does not declare (filters, root-cause filters, entity selectors, analytics); the message names it.',
  },
  UnknownOperation: { status: 404, type: 'UnknownOperationException', summary: 'No operation or page at this method and path.' },
  MethodNotAllowed: { status: 405, type: 'MethodNotAllowedException', summary: 'The path exists but not for this HTTP method.' },
  PayloadTooLarge: { status: 413, type: 'PayloadTooLargeException', summary: 'The request body is larger than `api.maxBodyBytes`.' },
  Throttled: {
    status: 429,
    type: 'ThrottledException',
    summary: 'The ingest queue is full; retry after the `Retry-After` seconds. Nothing of the request was stored.',
  },
  ServiceUnavailable: {
    status: 503,
    type: 'ServiceUnavailableException',
    summary: 'Fluoro is shutting down or its store failed to write; nothing of the request was stored. Retry.',
  },
  RuleLimitExceeded: {
    status: 400,
    type: 'RuleLimitExceededException',
    summary: 'CreateSamplingRule when there are already `sampling.maxRules` rules besides Default.',
  },
  InternalFailure: { status: 500, type: 'InternalFailure', summary: 'A bug: the message and the server log say what failed.' },
} as const satisfies Record<string, { status: number; type: string; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export class FluoroError extends Error {
  readonly status: number;
  readonly type: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Seconds a client should wait before retrying (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.status = ERROR_CATALOG[code].status;
    this.type = ERROR_CATALOG[code].type;
  }
}

export const invalidRequest = (message: string): FluoroError => new FluoroError('InvalidRequest', message);

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
  MissingAuthentication: {
    status: 401,
    type: 'MissingAuthenticationTokenException',
    summary: 'Access keys are configured and the request carries no credentials Fluoro accepts (SigV4, Bearer, Basic).',
  },
  IncompleteSignature: {
    status: 400,
    type: 'IncompleteSignatureException',
    summary: 'The `Authorization` header is not a complete AWS Signature Version 4 (or its date header is missing).',
  },
  UnrecognizedClient: {
    status: 403,
    type: 'UnrecognizedClientException',
    summary: 'The access key ID, bearer token or Basic credentials are not those of a configured key.',
  },
  InvalidSignature: {
    status: 403,
    type: 'InvalidSignatureException',
    summary: "The SigV4 signature does not match the request and the key's secret, or it was made more than 15 minutes from now.",
  },
  AccessDenied: {
    status: 403,
    type: 'AccessDeniedException',
    summary: 'The key is valid but none of its roles may call this route (ingest, read, admin).',
  },
  ForbiddenHost: {
    status: 403,
    type: 'AccessDeniedException',
    summary:
      'The `Host` header names a host this listener does not serve (DNS rebinding); loopback names and the bound address are served, others when listed in `api.allowedHosts`.',
  },
  ForbiddenOrigin: {
    status: 403,
    type: 'AccessDeniedException',
    summary: 'A write sent by a web page of another origin; same-origin pages and those in `api.allowedOrigins` may write.',
  },
  UnsupportedMediaType: {
    status: 415,
    type: 'UnsupportedMediaTypeException',
    summary:
      "A request body without a content type, or with one a web page may send across origins without asking (`text/plain`, forms); send the API's own type, e.g. `application/json`.",
  },
  HeadersTooLarge: {
    status: 431,
    type: 'RequestHeaderFieldsTooLargeException',
    summary: 'The request line and headers are longer than `api.maxHeaderBytes`.',
  },
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
  StoreFailed: {
    status: 503,
    type: 'ServiceUnavailableException',
    summary:
      'The store met a fatal error (a full disk during a checkpoint) and is being opened again; retry after `Retry-After`. A write that met the failure is written again once the store is back; if it is not back within 10 s the answer says the spans may not be stored, and resending is safe (the same ids replace).',
  },
  StoreDamaged: {
    status: 500,
    type: 'StoreDamagedException',
    summary:
      "A read met damaged data in the store's file (a checksum that does not match); `/readyz` says so too. Restore the data directory from a backup, or move it aside to start empty.",
  },
  QueryTimeout: {
    status: 503,
    type: 'ServiceUnavailableException',
    summary: 'A read ran longer than `storage.duckdb.readTimeoutSeconds` and was stopped; narrow the window or the filter.',
  },
  RequestAbandoned: {
    status: 499,
    type: 'RequestAbandonedException',
    summary: 'The client closed its connection before the answer; its read was stopped. Only counted: no one receives this answer.',
  },
  RuleLimitExceeded: {
    status: 400,
    type: 'RuleLimitExceededException',
    summary: 'CreateSamplingRule when there are already `sampling.maxRules` rules besides Default.',
  },
  ResourceNotFound: {
    status: 404,
    type: 'ResourceNotFoundException',
    summary: 'The ARN names no sampling rule or group Fluoro holds (TagResource, UntagResource, ListTagsForResource).',
  },
  TooManyTags: { status: 400, type: 'TooManyTagsException', summary: 'A resource would hold more than 50 tags.' },
  MalformedPolicyDocument: {
    status: 400,
    type: 'MalformedPolicyDocumentException',
    summary: 'A resource policy document is not a JSON policy with a Statement.',
  },
  InvalidPolicyRevisionId: {
    status: 400,
    type: 'InvalidPolicyRevisionIdException',
    summary: 'The PolicyRevisionId given is not the resource policy’s current one.',
  },
  PolicySizeLimitExceeded: { status: 400, type: 'PolicySizeLimitExceededException', summary: 'A resource policy document is over 5 KB.' },
  PolicyCountLimitExceeded: {
    status: 400,
    type: 'PolicyCountLimitExceededException',
    summary: 'There would be more than 5 resource policies.',
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

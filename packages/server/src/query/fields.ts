/**
 * The span fields a query plan may refer to: what every trace store keeps per span, named
 * logically (each backend maps them to its columns, `storage/sql/columns.ts`).
 */
export type SpanField =
  | 'traceId'
  | 'id'
  | 'parentId'
  | 'isSegment'
  | 'service'
  | 'serviceType'
  | 'name'
  | 'startTime'
  | 'endTime'
  | 'inProgress'
  | 'error'
  | 'fault'
  | 'throttle'
  | 'httpMethod'
  | 'httpUrl'
  | 'httpStatus'
  | 'httpUserAgent'
  | 'httpClientIp'
  | 'user'
  | 'resourceArn'
  | 'accountId'
  | 'instanceId'
  | 'availabilityZone'
  | 'annotations'
  | 'exceptions'
  | 'downstreamName'
  | 'downstreamType'
  | 'traceTime'
  | 'source'
  | 'docId'
  | 'doc'
  | 'resource'
  | 'scopeName'
  | 'scopeVersion'
  | 'attributes'
  | 'events'
  | 'links'
  | 'statusCode'
  | 'statusMessage'
  | 'spanKind';

/**
 * Per-row facts that need a join over the trace's spans: whether a segment is a root (its parent
 * is not in the trace), and the segment that answers a call (its callee).
 */
export type JoinedField = 'isRoot' | 'calleeService' | 'calleeType' | 'calleeAccount';

export type RowField = SpanField | JoinedField;

/** The joins each joined field needs. */
export const JOIN_OF: Readonly<Record<JoinedField, 'root' | 'callee'>> = {
  isRoot: 'root',
  calleeService: 'callee',
  calleeType: 'callee',
  calleeAccount: 'callee',
};

/** Fields read by every filtered query: identity, tree links and times. */
export const ALWAYS_READ: readonly SpanField[] = ['traceId', 'id', 'parentId', 'isSegment', 'startTime', 'endTime'];

/** What the callee join reads of the answering segment. */
export const CALLEE_READS: readonly SpanField[] = ['service', 'serviceType', 'accountId'];

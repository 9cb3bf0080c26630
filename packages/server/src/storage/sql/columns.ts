import type { RowField } from '../../query/fields.js';
import { ident, type SqlFragment } from './fragment.js';

/**
 * Column names of the span fields in every SQL layout Fluoro writes (DuckDB's `spans` table, and
 * ClickHouse's), plus the columns a query's joins add (`is_root`, `callee_*`).
 */
export const COLUMN: Readonly<Record<RowField, string>> = {
  traceId: 'trace_id',
  id: 'id',
  parentId: 'parent_id',
  isSegment: 'is_segment',
  service: 'service',
  serviceType: 'service_type',
  name: 'name',
  startTime: 'start_time',
  endTime: 'end_time',
  inProgress: 'in_progress',
  error: 'error',
  fault: 'fault',
  throttle: 'throttle',
  httpMethod: 'http_method',
  httpUrl: 'http_url',
  httpStatus: 'http_status',
  httpUserAgent: 'http_user_agent',
  httpClientIp: 'http_client_ip',
  user: 'user_name',
  resourceArn: 'resource_arn',
  accountId: 'account_id',
  instanceId: 'instance_id',
  availabilityZone: 'availability_zone',
  annotations: 'annotations',
  exceptions: 'exceptions',
  downstreamName: 'downstream_name',
  downstreamType: 'downstream_type',
  traceTime: 'trace_time',
  source: 'source',
  docId: 'doc_id',
  doc: 'doc',
  resource: 'resource',
  scopeName: 'scope_name',
  scopeVersion: 'scope_version',
  attributes: 'attributes',
  events: 'events',
  links: 'links',
  statusCode: 'status_code',
  statusMessage: 'status_message',
  spanKind: 'span_kind',
  isRoot: 'is_root',
  calleeService: 'callee_service',
  calleeType: 'callee_type',
  calleeAccount: 'callee_account',
};

export function column(field: RowField): SqlFragment {
  return ident(COLUMN[field]);
}

import type { NodeRef } from '../model/span.js';

/** Node type of a service that sends its own segments: its `origin`, or `service` when unset. */
export function serviceNodeType(origin: string | null | undefined): string {
  return origin || 'service';
}

/** Node type X-Ray gives a SQL database it infers from a subsegment with a `sql` block. */
export const SQL_NODE_TYPE = 'Database::SQL';
/** Node type of a downstream HTTP API of unknown kind. */
export const REMOTE_NODE_TYPE = 'remote';

type Obj = Record<string, unknown>;

/**
 * Resource-level types for AWS calls whose resource is named in the `aws` block; other AWS calls
 * get the service-level type `AWS::<service>` (spec §1.12).
 */
const AWS_RESOURCE_KEYS: ReadonlyArray<readonly [key: string, suffix: string]> = [
  ['table_name', 'Table'],
  ['queue_url', 'Queue'],
  ['bucket_name', 'Bucket'],
];

export function awsNodeType(service: string, aws: Obj | undefined): string {
  const svc = service.replace(/[^A-Za-z0-9]/g, '');
  if (aws) {
    for (const [key, suffix] of AWS_RESOURCE_KEYS) {
      if (typeof aws[key] === 'string' && aws[key]) return `AWS::${svc}::${suffix}`;
    }
    if (Array.isArray(aws['table_names']) && aws['table_names'].length === 1) return `AWS::${svc}::Table`;
  }
  return `AWS::${svc}`;
}

/**
 * The downstream node a subsegment calls, or null when it is local work.
 *
 * A subsegment is a call out when its `namespace` is `aws` or `remote`, or when it says the callee
 * is traced. Only the outermost such subsegment of a call counts: an HTTP request made inside an
 * AWS SDK call is the same call, not a second downstream node.
 */
export function downstreamOf(doc: Obj, name: string, insideCall: boolean): NodeRef | null {
  if (insideCall) return null;
  const ns = doc['namespace'];
  if (ns === 'aws') return { name, type: awsNodeType(name, doc['aws'] as Obj | undefined) };
  if (ns === 'remote') return { name, type: doc['sql'] && typeof doc['sql'] === 'object' ? SQL_NODE_TYPE : REMOTE_NODE_TYPE };
  if (doc['traced'] === true) return { name, type: REMOTE_NODE_TYPE };
  const req = (doc['http'] as Obj | undefined)?.['request'] as Obj | undefined;
  if (req?.['traced'] === true) return { name, type: REMOTE_NODE_TYPE };
  return null;
}

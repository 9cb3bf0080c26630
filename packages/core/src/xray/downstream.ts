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
 * AWS service names as X-Ray spells them in node types (`AWS::DynamoDB::Table`), by the lower-case
 * name SDKs give their subsegments: the Python SDK writes `dynamodb`, the Node SDK `DynamoDB`, and
 * both are one service. A name not listed keeps its spelling, with a capital first letter.
 */
const AWS_SERVICES: Readonly<Record<string, string>> = {
  apigateway: 'ApiGateway',
  athena: 'Athena',
  cloudwatch: 'CloudWatch',
  cloudwatchlogs: 'CloudWatchLogs',
  logs: 'CloudWatchLogs',
  dynamodb: 'DynamoDB',
  ec2: 'EC2',
  ecs: 'ECS',
  eks: 'EKS',
  elasticache: 'ElastiCache',
  eventbridge: 'EventBridge',
  events: 'EventBridge',
  firehose: 'Firehose',
  glue: 'Glue',
  iam: 'IAM',
  kinesis: 'Kinesis',
  kms: 'KMS',
  lambda: 'Lambda',
  rds: 'RDS',
  s3: 'S3',
  secretsmanager: 'SecretsManager',
  ses: 'SES',
  sfn: 'StepFunctions',
  stepfunctions: 'StepFunctions',
  sns: 'SNS',
  sqs: 'SQS',
  ssm: 'SSM',
  sts: 'STS',
  xray: 'XRay',
};

/** An AWS service's name as X-Ray spells it (`dynamodb` → `DynamoDB`). */
export function awsServiceName(name: string): string {
  const bare = name.replace(/[^A-Za-z0-9]/g, '');
  return AWS_SERVICES[bare.toLowerCase()] ?? bare.charAt(0).toUpperCase() + bare.slice(1);
}

/**
 * The resource an AWS call names in its `aws` block, as X-Ray draws it: one node per table, queue,
 * topic, bucket or function, named after it (spec §1.12). Null for a call that names none (its
 * node is the service, `AWS::<service>`).
 */
function awsResource(aws: Obj): { name: string; kind: string } | null {
  const text = (k: string): string | null => (typeof aws[k] === 'string' && aws[k] !== '' ? (aws[k] as string) : null);
  const table =
    text('table_name') ?? (Array.isArray(aws['table_names']) && aws['table_names'].length === 1 ? String(aws['table_names'][0]) : null);
  if (table) return { name: table, kind: 'Table' };
  const queue = text('queue_url') ?? text('queue_name');
  if (queue) return { name: queue.replace(/\/+$/, '').split('/').pop()!, kind: 'Queue' };
  const topic = text('topic_arn');
  if (topic) return { name: topic.split(':').pop()!, kind: 'Topic' };
  const bucket = text('bucket_name');
  if (bucket) return { name: bucket, kind: 'Bucket' };
  const fn = text('function_name');
  if (fn) return { name: /:function:([^:]+)/.exec(fn)?.[1] ?? fn, kind: 'Function' };
  return null;
}

/** The node of an AWS call: its resource when it names one, else the service. */
export function awsNode(service: string, aws: Obj | undefined): NodeRef {
  const svc = awsServiceName(service);
  const resource = aws ? awsResource(aws) : null;
  return resource ? { name: resource.name, type: `AWS::${svc}::${resource.kind}` } : { name: svc, type: `AWS::${svc}` };
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
  if (ns === 'aws') return awsNode(name, doc['aws'] as Obj | undefined);
  if (ns === 'remote') return { name, type: doc['sql'] && typeof doc['sql'] === 'object' ? SQL_NODE_TYPE : REMOTE_NODE_TYPE };
  if (doc['traced'] === true) return { name, type: REMOTE_NODE_TYPE };
  const req = (doc['http'] as Obj | undefined)?.['request'] as Obj | undefined;
  if (req?.['traced'] === true) return { name, type: REMOTE_NODE_TYPE };
  return null;
}

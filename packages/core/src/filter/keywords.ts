/**
 * Every keyword of the language: its type and where it may be used. One table serves the checker,
 * the console's autocomplete and docs/filter-expressions.md.
 */

export type KeywordType = 'boolean' | 'number' | 'string';

/**
 * Where an expression is evaluated:
 * - `trace`: the whole trace (top level);
 * - `service`: one segment of a node, inside service(...) { };
 * - `edge`: one call on an edge, measured by the caller, inside edge(a, b) { };
 * - `rc.service`, `rc.entity`, `rc.exception`: one element of a root cause, inside rootcause.*.* { }.
 */
export type Context = 'trace' | 'service' | 'edge' | 'rc.service' | 'rc.entity' | 'rc.exception';

export interface Keyword {
  readonly name: string;
  readonly type: KeywordType;
  /** What it means in each context where it is allowed. */
  readonly meaning: Partial<Record<Context, string>>;
  /** Only in response-time root causes (coverage). */
  readonly responseTimeOnly?: boolean;
}

const seg = 'of the segment';
const call = 'of the call (the caller’s subsegment)';

export const KEYWORDS: readonly Keyword[] = [
  {
    name: 'ok',
    type: 'boolean',
    meaning: {
      trace: 'the root segment succeeded: neither error, fault nor throttle',
      service: `the segment succeeded`,
      edge: 'the call succeeded',
    },
  },
  {
    name: 'error',
    type: 'boolean',
    meaning: {
      trace: 'the root segment has a client error (4xx)',
      service: `the segment has a client error`,
      edge: 'the call got a client error',
    },
  },
  {
    name: 'throttle',
    type: 'boolean',
    meaning: {
      trace: 'any segment, or any call to an inferred node, was throttled (429)',
      service: 'the segment was throttled',
      edge: 'the call was throttled',
    },
  },
  {
    name: 'fault',
    type: 'boolean',
    meaning: {
      trace: 'the root segment has a server fault (5xx)',
      service: 'the segment has a server fault',
      edge: 'the call got a server fault',
    },
  },
  {
    name: 'partial',
    type: 'boolean',
    meaning: {
      trace: 'some segment or subsegment is still in progress',
      service: 'the segment is in progress',
      edge: 'the call is in progress',
    },
  },
  {
    name: 'inferred',
    type: 'boolean',
    meaning: { trace: 'the trace calls a node that sent no segment of its own', 'rc.service': 'the service is an inferred node' },
  },
  { name: 'root', type: 'boolean', meaning: { service: 'the segment is the root segment of the trace (the entry point)' } },
  {
    name: 'first',
    type: 'boolean',
    meaning: {
      'rc.service': 'first service of the root cause path',
      'rc.entity': 'first entity of its path',
      'rc.exception': 'first exception of its entity',
    },
  },
  {
    name: 'last',
    type: 'boolean',
    meaning: {
      'rc.service': 'last service of the path: the root cause service',
      'rc.entity': 'last entity of its path',
      'rc.exception': 'last exception of its entity',
    },
  },
  { name: 'remote', type: 'boolean', meaning: { 'rc.entity': 'the entity is a call to another node' } },
  {
    name: 'responsetime',
    type: 'number',
    meaning: { trace: 'the root segment’s duration, seconds', service: `duration ${seg}, seconds`, edge: `duration ${call}, seconds` },
  },
  {
    name: 'duration',
    type: 'number',
    meaning: {
      trace: 'earliest start to latest end of the whole trace, seconds',
      service: `duration ${seg}, seconds`,
      edge: `duration ${call}, seconds`,
    },
  },
  {
    name: 'http.status',
    type: 'number',
    meaning: { trace: 'the root segment’s response status', service: `response status ${seg}`, edge: `response status ${call}` },
  },
  {
    name: 'index',
    type: 'number',
    meaning: {
      'rc.service': 'position in the path, from 0',
      'rc.entity': 'position in its path, from 0',
      'rc.exception': 'position in its entity’s list, from 0',
    },
  },
  {
    name: 'coverage',
    type: 'number',
    meaning: { 'rc.entity': 'the entity’s share of the root segment’s response time, 0 to 1' },
    responseTimeOnly: true,
  },
  {
    name: 'http.url',
    type: 'string',
    meaning: { trace: 'the root segment’s request URL', service: `request URL ${seg}`, edge: `request URL ${call}` },
  },
  {
    name: 'http.route',
    type: 'string',
    meaning: {
      trace: 'the root segment’s URL path, each segment holding a digit written {id} (Fluoro)',
      service: `URL path ${seg}, IDs written {id} (Fluoro)`,
      edge: `URL path ${call}, IDs written {id} (Fluoro)`,
    },
  },
  {
    name: 'http.method',
    type: 'string',
    meaning: { trace: 'the root segment’s request method', service: `request method ${seg}`, edge: `request method ${call}` },
  },
  {
    name: 'http.useragent',
    type: 'string',
    meaning: { trace: 'the root segment’s user agent', service: `user agent ${seg}`, edge: `user agent ${call}` },
  },
  {
    name: 'http.clientip',
    type: 'string',
    meaning: { trace: 'the root segment’s client IP', service: `client IP ${seg}`, edge: `client IP ${call}` },
  },
  { name: 'user', type: 'string', meaning: { trace: 'the user of any segment or subsegment', service: 'the user of the segment' } },
  { name: 'availabilityzone', type: 'string', meaning: { trace: 'the availability zone (aws.ec2 or aws.ecs) of any segment' } },
  { name: 'instance.id', type: 'string', meaning: { trace: 'the EC2 instance ID (aws.ec2.instance_id) of any segment' } },
  { name: 'resource.arn', type: 'string', meaning: { trace: 'the resource ARN of any segment' } },
  {
    name: 'name',
    type: 'string',
    meaning: {
      'rc.service': 'the service’s name',
      'rc.entity': 'the entity’s (segment or subsegment) name',
      'rc.exception': 'the exception’s name (its type)',
    },
  },
  { name: 'type', type: 'string', meaning: { 'rc.service': 'the service’s node type, e.g. AWS::DynamoDB::Table' } },
  { name: 'message', type: 'string', meaning: { 'rc.exception': 'the exception’s message' } },
];

export const KEYWORD_BY_NAME: ReadonlyMap<string, Keyword> = new Map(KEYWORDS.map((k) => [k.name, k]));

export const OPERATORS: Readonly<Record<KeywordType, readonly string[]>> = {
  boolean: ['=', '!='],
  number: ['=', '!=', '<', '<=', '>', '>='],
  string: ['=', '!=', 'contains', 'beginswith', 'endswith'],
};

/** Keywords allowed in a context (for autocomplete). */
export function keywordsIn(context: Context): Keyword[] {
  return KEYWORDS.filter((k) => k.meaning[context] !== undefined);
}

export const CONTEXT_LABEL: Readonly<Record<Context, string>> = {
  trace: 'at the top level',
  service: 'inside service(...) { }',
  edge: 'inside edge(...) { }',
  'rc.service': 'inside rootcause.*.service { }',
  'rc.entity': 'inside rootcause.*.entity { }',
  'rc.exception': 'inside rootcause.*.exception { }',
};

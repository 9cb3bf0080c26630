import type { AttrValue, Attributes, OtelScope, OtelSpan } from './model.js';
import { OtelKind, SPAN_KIND_NAMES, StatusCode } from './model.js';
import { derivedSpanId } from './derived-id.js';
import type { XrayMappingOptions } from './to-xray.js';

/**
 * The X-Ray fields of a converted span (spec §3.2, docs/opentelemetry.md): what a subsegment is
 * named after and whether it calls out, HTTP, SQL, AWS and platform data, status flags, exceptions,
 * annotations and metadata, each from the OpenTelemetry attributes that carry it.
 */

type Doc = Record<string, unknown>;

const MAX_SUBSEGMENT_NAME = 250;

/** What every span of one resource shares. */
export interface Ctx {
  readonly service: string;
  readonly resource: Attributes;
  readonly options: XrayMappingOptions;
  /** Attribute keys indexed as annotations. */
  readonly indexed: ReadonlySet<string>;
  /** The resource's attributes as `otel.resource.*` metadata (on segments). */
  readonly resourceMetadata: Doc;
}

function isAwsSdk(a: Attributes): boolean {
  return a['rpc.system'] === 'aws-api';
}

/** Names a subsegment after what it calls, as the Collector's X-Ray exporter does. */
export function subsegmentName(span: OtelSpan): string {
  const a = span.attributes;
  const kind = span.kind;
  let name: string | null = null;
  if (kind === OtelKind.CLIENT || kind === OtelKind.PRODUCER || kind === OtelKind.CONSUMER) {
    const remote = text(a['aws.remote.service']);
    if (remote) name = isAwsSdk(a) ? remote.replace(/^AWS\.SDK\./, '').replace(/^AWS::/, '') : remote;
  }
  name ??= text(a['peer.service']) ?? text(a['aws.service']) ?? (isAwsSdk(a) ? text(a['rpc.service']) : null);
  if (!name) {
    const db = text(a['db.name']) ?? text(a['db.namespace']);
    const system = text(a['db.system']) ?? text(a['db.system.name']);
    const host = dbHost(a);
    if (db) name = host ? `${db}@${host}` : db;
    else if (system) name = host ? `${system}@${host}` : system;
  }
  name ??= text(a['rpc.service']) ?? text(a['http.host']) ?? text(a['server.address']) ?? text(a['net.peer.name']) ?? null;
  const chosen = name || span.name || 'span';
  // eslint-disable-next-line no-control-regex
  return chosen.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, MAX_SUBSEGMENT_NAME) || 'span';
}

function dbHost(a: Attributes): string | null {
  const url = text(a['db.connection_string']);
  if (url) {
    try {
      const host = new URL(url.replace(/^jdbc:/, '')).hostname;
      if (host) return host;
    } catch {
      // not a URL
    }
  }
  return text(a['server.address']) ?? text(a['net.peer.name']);
}

export function namespace(span: OtelSpan): string | null {
  const a = span.attributes;
  if (isAwsSdk(a) || a['aws.service'] !== undefined) return 'aws';
  if (span.kind === OtelKind.CLIENT || span.kind === OtelKind.PRODUCER) return 'remote';
  if (span.kind === OtelKind.CONSUMER && a['aws.remote.service'] !== undefined) return 'remote';
  return null;
}

export function text(v: AttrValue | undefined): string | null {
  if (typeof v === 'string') return v || null;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function num(v: AttrValue | undefined): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return null;
}

export function httpStatus(a: Attributes): number | null {
  const s = num(a['http.status_code']) ?? num(a['http.response.status_code']);
  return s === null ? null : Math.trunc(s);
}

/** Error, fault and throttle from the HTTP status when there is one, else from the span status. */
export function flags(span: OtelSpan, status: number | null): { error: boolean; fault: boolean; throttle: boolean } {
  if (status !== null && status >= 400 && status <= 499) return { error: true, fault: false, throttle: status === 429 };
  if (status !== null && status >= 500 && status <= 599) return { error: false, fault: true, throttle: false };
  return { error: false, fault: span.status.code === StatusCode.ERROR, throttle: false };
}

export function makeHttp(span: OtelSpan, status: number | null): Doc | null {
  const a = span.attributes;
  const method = text(a['http.method']) ?? text(a['http.request.method']);
  const userAgent = text(a['http.user_agent']) ?? text(a['user_agent.original']);
  const forwarded = text(a['http.client_ip']) ?? text(a['client.address']);
  const clientIp =
    forwarded ??
    (span.kind === OtelKind.SERVER ? (text(a['net.sock.peer.addr']) ?? text(a['net.peer.ip']) ?? text(a['network.peer.address'])) : null);
  // Only spans of HTTP requests: host and port alone also describe database and RPC calls.
  const full = text(a['http.url']) ?? text(a['url.full']);
  const target = text(a['http.target']) ?? text(a['url.path']);
  if (method === null && status === null && full === null && target === null && userAgent === null && forwarded === null) return null;
  const url = httpUrl(span);
  const length = num(a['http.response_content_length']) ?? num(a['http.response.body.size']);
  const request: Doc = {};
  if (method) request['method'] = method;
  if (url) request['url'] = url;
  if (userAgent) request['user_agent'] = userAgent;
  if (clientIp) request['client_ip'] = clientIp;
  if (forwarded) request['x_forwarded_for'] = true;
  const response: Doc = {};
  if (status !== null) response['status'] = status;
  if (length !== null) response['content_length'] = length;
  return { request, response };
}

/** The request URL, given whole or put together from its parts (old and stable conventions). */
function httpUrl(span: OtelSpan): string | null {
  const a = span.attributes;
  const full = text(a['http.url']) ?? text(a['url.full']);
  if (full) return full;
  const server = span.kind === OtelKind.SERVER;
  const host = server
    ? (text(a['http.host']) ?? text(a['server.address']) ?? text(a['http.server_name']) ?? text(a['net.host.name']) ?? text(a['host.name']))
    : (text(a['http.host']) ?? text(a['server.address']) ?? text(a['net.peer.name']) ?? text(a['net.peer.ip']));
  const target =
    text(a['http.target']) ??
    (text(a['url.path']) ? `${text(a['url.path'])}${text(a['url.query']) ? `?${text(a['url.query'])}` : ''}` : null);
  if (!host && !target) return null;
  const scheme = text(a['http.scheme']) ?? text(a['url.scheme']) ?? 'http';
  const hostHasPort = host !== null && /:\d+$/.test(host);
  const port = hostHasPort
    ? null
    : server
      ? (text(a['net.host.port']) ?? text(a['server.port']))
      : (text(a['net.peer.port']) ?? text(a['server.port']));
  const showPort = port && !(scheme === 'http' && port === '80') && !(scheme === 'https' && port === '443');
  return `${scheme}://${host ?? ''}${showPort ? `:${port}` : ''}${target ?? '/'}`;
}

const SQL_SYSTEMS = new Set([
  'other_sql',
  'mssql',
  'mysql',
  'oracle',
  'db2',
  'postgresql',
  'redshift',
  'hive',
  'cloudscape',
  'hsqldb',
  'progress',
  'maxdb',
  'hanadb',
  'ingres',
  'firstsql',
  'edb',
  'cache',
  'adabas',
  'firebird',
  'derby',
  'filemaker',
  'informix',
  'instantdb',
  'interbase',
  'mariadb',
  'netezza',
  'pervasive',
  'pointbase',
  'sqlite',
  'sybase',
  'teradata',
  'vertica',
  'h2',
  'cockroachdb',
  'clickhouse',
  'trino',
  'spanner',
  'snowflake',
  'microsoft.sql_server',
  'oracle.db',
  'ibm.db2',
  'sap.hana',
  'postgres',
]);

export function makeSql(a: Attributes): Doc | null {
  const system = text(a['db.system']) ?? text(a['db.system.name']);
  if (!system || !SQL_SYSTEMS.has(system)) return null;
  const db = text(a['db.name']) ?? text(a['db.namespace']) ?? '';
  const host = dbHost(a);
  const url = text(a['db.connection_string']) ?? `${host ?? 'localhost'}${db ? `/${db}` : ''}`;
  const sql: Doc = { url, database_type: system };
  const user = text(a['db.user']);
  if (user) sql['user'] = user;
  const query = text(a['db.statement']) ?? text(a['db.query.text']);
  if (query) sql['sanitized_query'] = query;
  return sql;
}

/** The `aws` block: the call's AWS fields, and (on segments) where the service runs. */
export function makeAws(a: Attributes, resource: Attributes | null): Doc | null {
  const aws: Doc = {};
  if (isAwsSdk(a)) {
    const op = text(a['rpc.method']) ?? text(a['aws.operation']);
    if (op) aws['operation'] = op;
  }
  const region = text(a['aws.region']) ?? text(a['cloud.region']);
  if (region) aws['region'] = region;
  const requestId = text(a['aws.request_id']) ?? text(a['aws.requestId']);
  if (requestId) aws['request_id'] = requestId;
  const tables = a['aws.dynamodb.table_names'];
  const table = text(a['aws.table_name']) ?? (Array.isArray(tables) && tables.length === 1 ? text(tables[0]) : null);
  if (table) aws['table_name'] = table;
  else if (Array.isArray(tables) && tables.length > 1) aws['table_names'] = tables.map((t) => String(t));
  const queue =
    text(a['aws.queue_url']) ??
    text(a['aws.sqs.queue_url']) ??
    (a['messaging.system'] === 'aws_sqs' || a['messaging.system'] === 'aws.sqs' ? text(a['messaging.url']) : null);
  if (queue) aws['queue_url'] = queue;
  const bucket = text(a['aws.s3.bucket']);
  if (bucket) aws['bucket_name'] = bucket;
  const account = text(a['aws.account_id']) ?? (resource ? text(resource['cloud.account.id']) : null);
  if (account) aws['account_id'] = account;
  if (resource) Object.assign(aws, platform(resource));
  return Object.keys(aws).length ? aws : null;
}

/** `aws.ec2` / `ecs` / `eks` / `elastic_beanstalk` and `xray` (SDK) from resource attributes. */
function platform(r: Attributes): Doc {
  const out: Doc = {};
  const sdk = text(r['telemetry.sdk.name']);
  if (sdk) {
    const lang = text(r['telemetry.sdk.language']);
    const version = text(r['telemetry.sdk.version']);
    out['xray'] = {
      sdk: lang ? `${sdk} for ${lang}` : sdk,
      ...(version ? { sdk_version: version } : {}),
      ...(text(r['telemetry.auto.version']) ? { auto_instrumentation: true } : {}),
    };
  }
  if (text(r['cloud.provider']) !== 'aws') return out;
  const az = text(r['cloud.availability_zone']);
  switch (text(r['cloud.platform'])) {
    case 'aws_ec2':
      out['ec2'] = compact({
        instance_id: text(r['host.id']),
        availability_zone: az,
        instance_size: text(r['host.type']),
        ami_id: text(r['host.image.id']),
      });
      break;
    case 'aws_ecs':
      out['ecs'] = compact({
        container: text(r['container.name']) ?? text(r['host.name']),
        container_id: text(r['container.id']),
        availability_zone: az,
        task_arn: text(r['aws.ecs.task.arn']),
      });
      break;
    case 'aws_eks':
      out['eks'] = compact({
        cluster_name: text(r['k8s.cluster.name']),
        pod: text(r['k8s.pod.name']),
        container_id: text(r['container.id']),
      });
      break;
    case 'aws_elastic_beanstalk':
      out['elastic_beanstalk'] = compact({
        environment_name: text(r['service.namespace']),
        deployment_id: num(r['service.instance.id']),
        version_label: text(r['service.version']),
      });
      break;
  }
  return out;
}

function compact(o: Record<string, unknown>): Doc {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

/** Segment-level fields from the resource: `origin` (the platform) and `service.version`. */
export function resourceFields(ctx: Ctx): Doc {
  const r = ctx.resource;
  const out: Doc = {};
  const origin = awsOrigin(r);
  if (origin) out['origin'] = origin;
  const version = text(r['service.version']);
  if (version) out['service'] = { version };
  return out;
}

function awsOrigin(r: Attributes): string | null {
  const provider = text(r['cloud.provider']);
  if (provider && provider !== 'aws') return null;
  switch (text(r['cloud.platform'])) {
    case 'aws_app_runner':
      return 'AWS::AppRunner::Service';
    case 'aws_eks':
      return 'AWS::EKS::Container';
    case 'aws_elastic_beanstalk':
      return 'AWS::ElasticBeanstalk::Environment';
    case 'aws_ecs': {
      const launch = text(r['aws.ecs.launchtype']);
      return launch === 'ec2' ? 'AWS::ECS::EC2' : launch === 'fargate' ? 'AWS::ECS::Fargate' : 'AWS::ECS::Container';
    }
    case 'aws_ec2':
      return 'AWS::EC2::Instance';
    case 'aws_lambda':
      return 'AWS::Lambda::Function';
    default:
      return null;
  }
}

/** Exceptions from `exception` events (or the error status's message), with stack frames when readable. */
export function makeCause(ctx: Ctx, span: OtelSpan): Doc | null {
  const remote = span.kind === OtelKind.CLIENT || span.kind === OtelKind.PRODUCER;
  const language = text(ctx.resource['telemetry.sdk.language']);
  const exceptions: Doc[] = [];
  for (const e of span.events) {
    if (e.name !== 'exception') continue;
    const type = text(e.attributes['exception.type']) ?? '';
    const message = text(e.attributes['exception.message']) ?? '';
    const stacktrace = text(e.attributes['exception.stacktrace']);
    const x: Doc = { id: derivedSpanId(`${span.spanId}:${exceptions.length}`), type, message, remote };
    const stack = stacktrace ? parseStack(stacktrace, language) : [];
    if (stack.length) x['stack'] = stack;
    exceptions.push(x);
  }
  if (exceptions.length === 0 && span.status.code === StatusCode.ERROR && span.status.message) {
    exceptions.push({ id: derivedSpanId(`${span.spanId}:status`), type: '', message: span.status.message, remote });
  }
  return exceptions.length ? { exceptions } : null;
}

/** Stack frames of a V8 (Node.js, browsers), Java or Python stack trace; none for others. */
export function parseStack(stack: string, language: string | null): Array<{ path: string; line: number; label: string }> {
  const frames: Array<{ path: string; line: number; label: string }> = [];
  const lines = stack.split('\n');
  if (language === 'python') {
    for (const l of lines) {
      const m = /^\s*File "([^"]+)", line (\d+), in (.+)$/.exec(l);
      if (m) frames.push({ path: m[1]!, line: Number(m[2]), label: m[3]! });
    }
    return frames.reverse();
  }
  for (const l of lines) {
    const v8 = /^\s+at (?:(.+?) \()?(.+?):(\d+):\d+\)?$/.exec(l);
    if (v8) {
      frames.push({ path: v8[2]!, line: Number(v8[3]), label: v8[1] ?? '' });
      continue;
    }
    const java = /^\s+at ([^(]+)\(([^:)]+)(?::(\d+))?\)$/.exec(l);
    if (java) frames.push({ path: java[2]!, line: Number(java[3] ?? 0), label: java[1]! });
  }
  return frames;
}

const ANNOTATION_KEY_CHARS = /[^A-Za-z0-9_.]/g;

/**
 * Attributes the X-Ray fields already hold (HTTP, SQL, AWS call, user): left out of
 * `metadata.default`, as the Collector's exporter does, to keep documents small.
 */
const CONSUMED = new Set([
  'http.method',
  'http.request.method',
  'http.url',
  'url.full',
  'http.scheme',
  'url.scheme',
  'http.target',
  'url.path',
  'url.query',
  'http.status_code',
  'http.response.status_code',
  'http.user_agent',
  'user_agent.original',
  'http.client_ip',
  'client.address',
  'http.response_content_length',
  'http.response.body.size',
  'db.system',
  'db.system.name',
  'db.name',
  'db.namespace',
  'db.statement',
  'db.query.text',
  'db.user',
  'db.connection_string',
  'aws.region',
  'aws.request_id',
  'aws.requestId',
  'aws.table_name',
  'aws.dynamodb.table_names',
  'aws.queue_url',
  'aws.sqs.queue_url',
  'aws.s3.bucket',
  'aws.account_id',
  'enduser.id',
  'user.id',
  'aws.xray.annotations',
]);

export function attributesOut(
  ctx: Ctx,
  span: OtelSpan,
  scope: OtelScope,
  parentScope: OtelScope | null,
  segment: boolean,
): { annotations: Doc | null; metadata: Doc } {
  const a = span.attributes;
  let indexed = ctx.indexed;
  const listed = a['aws.xray.annotations'];
  if (Array.isArray(listed)) {
    indexed = new Set(indexed);
    for (const k of listed) if (typeof k === 'string') (indexed as Set<string>).add(k);
  }
  const indexAll = ctx.options.indexAllAttributes === true;
  let annotations: Doc | null = null;
  const metadata: Record<string, Doc> = {};
  const defaults: Doc = {};
  for (const key in a) {
    const value = a[key]!;
    if ((indexAll || indexed.has(key)) && annotatable(value)) {
      const k = key.replace(ANNOTATION_KEY_CHARS, '_').slice(0, 500);
      if (k) (annotations ??= {})[k] = value;
    }
    if (CONSUMED.has(key)) continue;
    if (typeof value === 'string' && key.startsWith('aws.xray.metadata.')) {
      const ns = key.slice('aws.xray.metadata.'.length);
      try {
        const parsed = JSON.parse(value) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
          if (ns.toLowerCase() === 'default') Object.assign(defaults, parsed);
          else metadata[ns] = parsed as Doc;
          continue;
        }
      } catch {
        // kept as it is below
      }
    }
    defaults[key] = value;
  }
  if (segment) Object.assign(defaults, ctx.resourceMetadata);
  metadata['default'] = defaults;
  const otel: Doc = { name: span.name, kind: SPAN_KIND_NAMES[span.kind] ?? String(span.kind) };
  if (span.status.code !== StatusCode.UNSET) {
    otel['status'] = span.status.message
      ? { code: span.status.code === StatusCode.ERROR ? 'ERROR' : 'OK', message: span.status.message }
      : { code: span.status.code === StatusCode.ERROR ? 'ERROR' : 'OK' };
  }
  const events = span.events.filter((e) => e.name !== 'exception');
  if (events.length)
    otel['events'] = events.map((e) =>
      Object.keys(e.attributes).length ? { name: e.name, time: e.time, attributes: e.attributes } : { name: e.name, time: e.time },
    );
  // The instrumentation scope, where it differs from the enclosing span's.
  if (scope.name && (parentScope === null || parentScope.name !== scope.name || parentScope.version !== scope.version)) {
    otel['scope'] = scope.version ? { name: scope.name, version: scope.version } : { name: scope.name };
  }
  if (span.traceState) otel['trace_state'] = span.traceState;
  metadata['otel'] = otel;
  return { annotations, metadata };
}

function annotatable(v: AttrValue): v is string | number | boolean {
  return (typeof v === 'string' && v.length <= 1000) || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';
}

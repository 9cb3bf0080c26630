import { FluoroError } from '../../platform/errors/catalog.js';
import { jsonResponse, type Access, type Router } from '../../platform/http/router.js';
import { OPERATIONS, validateInput, type Operation } from './model.js';
import {
  XRAY_INGEST_HANDLERS,
  XRAY_READ_HANDLERS,
  type OperationHandlers,
  type XrayIngestContext,
  type XrayReadContext,
} from './operations.js';
import { SAMPLING_HANDLERS, type SamplingContext } from './sampling-operations.js';
import { ACCOUNT_HANDLERS, type AccountContext } from './account-operations.js';
import type { XrayOperationName } from '@fluoro/contracts';

/**
 * The X-Ray API in parts, each mounted when its context is given: a role leaves out the parts it
 * does not serve, and their paths answer 404 like any unknown path.
 */
export interface XrayApiParts {
  /** PutTraceSegments and PutTelemetryRecords: X-Ray ingest over HTTP. */
  readonly ingest?: XrayIngestContext;
  /** Traces, graphs and time series; also the model's operations Fluoro does not implement yet. */
  readonly read?: XrayReadContext;
  /** Sampling rules, targets and statistics. */
  readonly sampling?: SamplingContext;
  /** Tags, resource policies and the encryption configuration. */
  readonly account?: AccountContext;
}

/**
 * Mounts the operations of the X-Ray API model that belong to the given parts, each at its path
 * (all `POST`, rest-json). Requests are validated against the model first; operations Fluoro does
 * not implement yet say so plainly. With access keys configured, the HTTP server checks each
 * call's signature and the roles `accessOf` names before it gets here; without, signatures are
 * accepted unchecked, as the X-Ray daemon's local port does.
 */
export function mountXrayApi(router: Router, parts: XrayApiParts): void {
  for (const op of OPERATIONS) {
    if (op.name in XRAY_INGEST_HANDLERS) {
      if (parts.ingest) mount(router, op, XRAY_INGEST_HANDLERS, parts.ingest);
    } else if (op.name in SAMPLING_HANDLERS) {
      if (parts.sampling) mount(router, op, SAMPLING_HANDLERS, { sampling: parts.sampling });
    } else if (op.name in ACCOUNT_HANDLERS) {
      if (parts.account) mount(router, op, ACCOUNT_HANDLERS, { account: parts.account });
    } else if (parts.read) mount(router, op, XRAY_READ_HANDLERS, parts.read);
  }
}

// Generic in the operation, so the input validateInput gives is the one the handler takes.
function mount<N extends XrayOperationName, C>(router: Router, op: Operation<N>, handlers: OperationHandlers<C>, ctx: C): void {
  const handler = handlers[op.name];
  router.add(op.http.method, op.http.requestUri, accessOf(op.name), async (req) => {
    const input = validateInput(op, await req.json());
    if (handler) return jsonResponse(await handler(input, req, ctx));
    throw new FluoroError('OperationNotImplemented', `${op.name} is part of the X-Ray API but Fluoro does not implement it yet`);
  });
}

/**
 * Who may call an X-Ray operation once access keys are configured: SDKs and daemons send segments
 * and telemetry and ask for sampling rules and targets (ingest); changing rules, groups, policies,
 * encryption and tags is admin; the rest reads.
 */
export function accessOf(name: XrayOperationName): Access {
  if (name === 'PutTraceSegments' || name === 'PutTelemetryRecords' || name === 'GetSamplingTargets') return ['ingest'];
  if (name === 'GetSamplingRules') return ['ingest', 'read'];
  if (/^(Create|Update|Delete|Put|Tag|Untag|Start|Cancel)/.test(name)) return ['admin'];
  return ['read'];
}

/** Every operation Fluoro implements (for docs/xray-api.md). */
export const IMPLEMENTED: ReadonlySet<string> = new Set([
  ...Object.keys(XRAY_INGEST_HANDLERS),
  ...Object.keys(XRAY_READ_HANDLERS),
  ...Object.keys(SAMPLING_HANDLERS),
  ...Object.keys(ACCOUNT_HANDLERS),
]);

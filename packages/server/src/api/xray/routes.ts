import { FluoroError } from '../../platform/errors/catalog.js';
import { jsonResponse, type Router } from '../../platform/http/router.js';
import { OPERATIONS, validateInput, type Operation } from './model.js';
import { XRAY_HANDLERS, type OperationHandlers, type XrayApiContext } from './operations.js';
import { SAMPLING_HANDLERS } from './sampling-operations.js';
import type { XrayOperationName } from '@fluoro/contracts';

/** The operations Fluoro implements; the other operations of the model answer "not implemented". */
const HANDLERS: OperationHandlers = { ...XRAY_HANDLERS, ...SAMPLING_HANDLERS };

/**
 * Mounts every operation of the X-Ray API model at its path (all `POST`, rest-json). Requests are
 * validated against the model first; operations Fluoro does not implement yet say so plainly.
 * Signatures (SigV4) are accepted without being checked, as the X-Ray daemon's local port does.
 */
export function mountXrayApi(router: Router, ctx: XrayApiContext): void {
  for (const op of OPERATIONS) mount(router, op, ctx);
}

// Generic in the operation, so the input validateInput gives is the one the handler takes.
function mount<N extends XrayOperationName>(router: Router, op: Operation<N>, ctx: XrayApiContext): void {
  const handler = HANDLERS[op.name];
  router.add(op.http.method, op.http.requestUri, async (req) => {
    const input = validateInput(op, await req.json());
    if (handler) return jsonResponse(await handler(input, req, ctx));
    throw new FluoroError('OperationNotImplemented', `${op.name} is part of the X-Ray API but Fluoro does not implement it yet`);
  });
}

/** Every operation Fluoro implements (for docs/xray-api.md). */
export const IMPLEMENTED: ReadonlySet<string> = new Set(Object.keys(HANDLERS));

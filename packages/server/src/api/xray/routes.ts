import { FluoroError } from '../../platform/errors/catalog.js';
import { jsonResponse, type Router } from '../../platform/http/router.js';
import { OPERATIONS, validateInput } from './model.js';
import { HANDLERS, type XrayApiContext } from './operations.js';
import { SAMPLING_OPERATIONS, samplingHandlers } from './sampling-operations.js';

/**
 * Mounts every operation of the X-Ray API model at its path (all `POST`, rest-json). Requests are
 * validated against the model first; operations Fluoro does not implement yet say so plainly.
 * Signatures (SigV4) are accepted without being checked, as the X-Ray daemon's local port does.
 */
export function mountXrayApi(router: Router, ctx: XrayApiContext): void {
  const sampling = samplingHandlers(ctx.sampling);
  for (const op of OPERATIONS) {
    router.add(op.http.method, op.http.requestUri, async (req) => {
      const input = validateInput(op, await req.json());
      const handler = HANDLERS[op.name];
      if (handler) return jsonResponse(await handler(input, ctx));
      const samplingHandler = (sampling as Record<string, (typeof sampling)[keyof typeof sampling] | undefined>)[op.name];
      if (samplingHandler) return jsonResponse(await samplingHandler(input, req.headers));
      throw new FluoroError('OperationNotImplemented', `${op.name} is part of the X-Ray API but Fluoro does not implement it yet`);
    });
  }
}

/** Every operation Fluoro implements (for docs/xray-api.md). */
export const IMPLEMENTED: ReadonlySet<string> = new Set([...Object.keys(HANDLERS), ...SAMPLING_OPERATIONS]);

import { FluoroError } from '../errors/catalog.js';
import { jsonResponse, type Router } from '../http/router.js';
import { OPERATIONS, validateInput } from './model.js';
import { HANDLERS, type XrayApiContext } from './operations.js';

/**
 * Mounts every operation of the X-Ray API model at its path (all `POST`, rest-json). Requests are
 * validated against the model first; operations Fluoro does not implement yet say so plainly.
 * Signatures (SigV4) are accepted without being checked, as the X-Ray daemon's local port does.
 */
export function mountXrayApi(router: Router, ctx: XrayApiContext): void {
  for (const op of OPERATIONS) {
    router.add(op.http.method, op.http.requestUri, async (req) => {
      const input = validateInput(op, await req.json());
      const handler = HANDLERS[op.name];
      if (!handler) throw new FluoroError('OperationNotImplemented', `${op.name} is part of the X-Ray API but Fluoro does not implement it yet`);
      return jsonResponse(await handler(input, ctx));
    });
  }
}

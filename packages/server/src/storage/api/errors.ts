import { FluoroError } from '../../platform/errors/catalog.js';
import { CAPABILITY_LABEL, type Capabilities } from './capabilities.js';

/**
 * A request needs something the configured backend does not declare. Classified by its class and
 * code, never by its message; answered as `StoreUnsupported` (400) by the one error mapping.
 */
export class UnsupportedByStore extends FluoroError {
  constructor(
    readonly capability: keyof Capabilities,
    readonly store: string,
    /** What asked for it, e.g. `FilterExpression`. */
    readonly member: string,
  ) {
    super('StoreUnsupported', `${member} needs ${CAPABILITY_LABEL[capability]}, which the ${store} storage backend does not support`);
  }
}

import { customerHeaders, type Customer } from './customer.js';
import { callJson, type CallOptions } from './http-client.js';
import { downstreamFault, relayClientError } from './http-error.js';
import type { ProcessName } from '../topology.js';

/**
 * Calls another shop service for the request being handled, passing the customer on. A 4xx answer
 * is relayed as this service's own; a failure (unreachable, timed out, 5xx) becomes a 502 fault.
 */
export async function callService<T>(to: ProcessName, path: string, customer: Customer | null, options: CallOptions = {}): Promise<T> {
  let res;
  try {
    res = await callJson<T>(to, path, { ...options, headers: { ...(customer ? customerHeaders(customer) : {}), ...options.headers } });
  } catch (err) {
    throw downstreamFault(to, err);
  }
  if (res.status >= 500) throw downstreamFault(to, res.status);
  if (res.status >= 400) relayClientError(res.status, res.body, to);
  return res.body;
}

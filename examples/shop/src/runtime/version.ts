import { readFileSync } from 'node:fs';

/**
 * The shop's version, from its package.json: what every service reports as its own
 * (`service.version` of the OpenTelemetry resource, `service.version` of X-Ray segments).
 */
export const SHOP_PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  readonly name: string;
  readonly version: string;
};

import http from 'node:http';
import AWSXRay from 'aws-xray-sdk-core';
import xrayExpress from 'aws-xray-sdk-express';
import express, { type Express } from 'express';
import type { Customer } from './customer.js';
import { answerClientErrors, answerErrors } from './http-error.js';
import { serveUntilStopped } from './control.js';
import { portOf } from './env.js';
import { SHOP_PACKAGE } from './version.js';
import type { ServiceName } from '../topology.js';

export { AWSXRay };

export interface XRayServiceOptions {
  /** Trace outgoing HTTP calls (`captureHTTPsGlobal`). */
  readonly captureHttp: boolean;
  /** The services called are X-Ray-traced themselves (marks the calls `traced`). */
  readonly downstreamTraced?: boolean;
}

/**
 * Starts an Express service instrumented the way X-Ray SDK users do it: `aws-xray-sdk-express`
 * around the routes, `captureHTTPsGlobal` for outgoing calls, segments sent over UDP to
 * `AWS_XRAY_DAEMON_ADDRESS` (Fluoro). Sampling is centralized: the SDK polls Fluoro's rules and
 * targets over the address's TCP side and reports its counts (the demo's rule records every
 * request: `sampling-rule.ts`); until the first answer, and if Fluoro has none that matches,
 * the local rules record every request too.
 */
export function startXRayService(name: ServiceName, options: XRayServiceOptions, routes: (app: Express) => void): void {
  AWSXRay.middleware.setSamplingRules({ version: 2, rules: [], default: { fixed_target: 0, rate: 1 } });
  // The SDK takes the version from npm_package_version, which a service started by node itself
  // lacks (it reports "unknown"); the shop's package says it.
  AWSXRay.SegmentUtils.setServiceData({
    name: SHOP_PACKAGE.name,
    version: SHOP_PACKAGE.version,
    runtime: process.release.name,
    runtime_version: process.version,
  });
  AWSXRay.setContextMissingStrategy('IGNORE_ERROR');
  AWSXRay.setLogger({
    error: (...a: unknown[]) => console.error(`[${name}] x-ray:`, ...a),
    warn: () => {},
    info: () => {},
    debug: () => {},
  });
  if (options.captureHttp) AWSXRay.captureHTTPsGlobal(http, options.downstreamTraced ?? false);

  const app = express();
  app.use(xrayExpress.openSegment(name));
  app.use(express.json());
  routes(app);
  app.use(answerClientErrors);
  app.use(xrayExpress.closeSegment());
  app.use(answerErrors);
  serveUntilStopped(app.listen(portOf(name), '127.0.0.1'));
}

/** The segment of the request being handled (not a subsegment open inside it). */
export function requestSegment(): AWSXRay.Segment | undefined {
  const s = AWSXRay.getSegment();
  if (!s) return undefined;
  return s instanceof AWSXRay.Subsegment ? s.segment : (s as AWSXRay.Segment);
}

/** Records who the request is for: the user, and the `customer_tier` annotation. */
export function recordCustomer(c: Customer | null): void {
  const seg = requestSegment();
  if (!seg || !c) return;
  seg.setUser(c.id);
  seg.addAnnotation('customer_tier', c.tier);
}

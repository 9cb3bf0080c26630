import { KEYWORD_BY_NAME } from '@fluoro/core';
import type { RootFact, RowValue } from './plan.js';

/**
 * Where each keyword of the filter language reads its value, in span fields: the catalog between
 * the language (core's keyword table: types and contexts) and the stores.
 */

const field = (f: Extract<RowValue, { kind: 'field' }>['field']): RowValue => ({ kind: 'field', field: f });
const DURATION: RowValue = { kind: 'duration' };

/** A keyword's value on one span: a segment (service blocks) or a caller's span (edge blocks). */
export const ROW_VALUE: Readonly<Record<string, RowValue>> = {
  error: field('error'),
  fault: field('fault'),
  throttle: field('throttle'),
  partial: field('inProgress'),
  root: field('isRoot'),
  ok: { kind: 'ok' },
  responsetime: DURATION,
  duration: DURATION,
  'http.status': field('httpStatus'),
  'http.url': field('httpUrl'),
  'http.route': { kind: 'route', field: 'httpUrl' },
  'http.method': field('httpMethod'),
  'http.useragent': field('httpUserAgent'),
  'http.clientip': field('httpClientIp'),
  user: field('user'),
};

/** What each root-segment fact is read from. */
export const ROOT_FACT_VALUE: Readonly<Record<RootFact, RowValue>> = {
  ok: { kind: 'ok' },
  error: field('error'),
  fault: field('fault'),
  rt: DURATION,
  status: field('httpStatus'),
  url: field('httpUrl'),
  route: { kind: 'route', field: 'httpUrl' },
  method: field('httpMethod'),
  useragent: field('httpUserAgent'),
  clientip: field('httpClientIp'),
};

/** Top-level keywords that are facts of the root segment. */
export const ROOT_FACT_OF: Readonly<Record<string, RootFact>> = {
  ok: 'ok',
  error: 'error',
  fault: 'fault',
  responsetime: 'rt',
  'http.status': 'status',
  'http.url': 'url',
  'http.route': 'route',
  'http.method': 'method',
  'http.useragent': 'useragent',
  'http.clientip': 'clientip',
};

/** Multi-valued keywords at the top level: any span's value (existential). */
export const ANY_SPAN_VALUE: Readonly<Record<string, RowValue>> = {
  user: field('user'),
  availabilityzone: field('availabilityZone'),
  'instance.id': field('instanceId'),
  'resource.arn': field('resourceArn'),
};

export function isBooleanKeyword(name: string): boolean {
  return KEYWORD_BY_NAME.get(name)?.type === 'boolean';
}

import { parseFilter, type CheckedFilter, type CheckOptions } from '@fluoro/core';
import { invalidRequest } from '../platform/errors/catalog.js';
import type { StorageBackend, TimeRange } from '../storage/api.js';

/** A request body as it arrives: the members of request type `T`, each still to be checked. */
export type Unvalidated<T> = { readonly [K in keyof T]?: unknown };

/** A filter expression, parsed and checked, or InvalidRequestException saying where it is wrong. */
export function checkedFilter(store: StorageBackend, text: string, member: string, options: CheckOptions = {}): CheckedFilter {
  if (!store.capabilities.filterExpressions) {
    throw invalidRequest(`${member} is not supported by the ${store.kind} storage backend`);
  }
  const result = parseFilter(text, options);
  if (!result.ok) throw invalidRequest(`${member}: ${result.message}`);
  return result.filter;
}

/** A query window no longer than `maxHours` (`api.maxQueryWindowHours`). */
export function checkedRange(start: number, end: number, maxHours: number, names: [string, string] = ['StartTime', 'EndTime']): TimeRange {
  if (end <= start) throw invalidRequest(`${names[1]} (${end}) must be after ${names[0]} (${start})`);
  if (end - start > maxHours * 3600) {
    throw invalidRequest(
      `the time range is ${((end - start) / 3600).toFixed(1)} hours; the limit is ${maxHours} hours (api.maxQueryWindowHours)`,
    );
  }
  return { start, end };
}

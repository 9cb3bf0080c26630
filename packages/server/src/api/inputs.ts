import { invalidRequest } from '../platform/errors/catalog.js';
import type { TimeRange } from '../signals/traces/query.js';

/** A request body as it arrives: the members of request type `T`, each still to be checked. */
export type Unvalidated<T> = { readonly [K in keyof T]?: unknown };

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

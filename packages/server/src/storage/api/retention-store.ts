/**
 * What retention needs of a store: the oldest trace it holds, and deleting every trace filed before
 * a time (whole traces: a trace's spans and derived rows share its filing time, `trace_time`).
 * Retention deletes whole hours, oldest first (`signals/traces/retention.ts`).
 */
export interface RetentionStore {
  /** The filing time (epoch seconds) of the oldest stored trace; null when the store is empty. */
  oldest(): Promise<number | null>;
  /**
   * Deletes every trace filed before `before` (epoch seconds): its spans and what was derived from
   * them (root causes). Returns how many spans went. Space is given back to the store at once.
   */
  deleteBefore(before: number): Promise<number>;
}

/**
 * Small named documents Fluoro keeps besides spans (sampling rules; later groups and alarms), by
 * kind and name. Few and small: every read lists a whole kind.
 *
 * - `put` creates or replaces (the latest put wins); `delete` removes. Both are idempotent and
 *   resolve once durable; a backend may implement them as versioned rows and tombstones.
 * - `list` sees every resolved put and delete, ordered by name; an unknown kind lists nothing.
 */
export interface RecordStore {
  list(kind: string): Promise<Array<{ name: string; doc: string }>>;
  put(kind: string, name: string, doc: string): Promise<void>;
  /** Resolves whether there was such a record. */
  delete(kind: string, name: string): Promise<boolean>;
}

import { appendFileSync } from 'node:fs';

/** One call to a route that changes configuration (sampling rules, groups, policies…). */
export interface AuditEntry {
  readonly time: string;
  /** The access key that made the call; null when no keys are configured. */
  readonly key: string | null;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly requestId: string;
  readonly remote: string | null;
}

/**
 * The audit log: a JSON line per call to an admin route, allowed or refused, appended to
 * `<dataDir>/audit.log` (docs/security.md). Shared by every listener of the process.
 */
export class AuditLog {
  constructor(readonly path: string) {}
  /** Appended at once, line by line (admin calls are rare): nothing to flush or close. */
  write(entry: AuditEntry): void {
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
  }
}

/** Whether a route changes configuration: only admins may call it. */
export const isAdminRoute = (access: 'public' | readonly string[]): boolean =>
  access !== 'public' && access.length === 1 && access[0] === 'admin';

import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sql } from '../sql/fragment.js';
import { execute, query } from './connection.js';

/** What opening the store found. */
export interface RecoveryReport {
  /** Bytes of write-ahead log found at open: the store was not closed cleanly when above 0. */
  readonly walBytes: number;
  /** Spans acknowledged to senders before the last stop (as the ledger file says). */
  readonly acknowledged: number;
  /** Spans the database holds commits for (after replaying its log). */
  readonly recovered: number;
  /** Acknowledged spans the database does not hold: at most this many were lost. */
  readonly lost: number;
}

/**
 * What was acknowledged, kept beside the database so that a write-ahead log that lost commits is
 * noticed. Every span commit carries the running count of spans committed (a row of
 * `fluoro_ledger`, in the same transaction); once it is durable, the same count is written to
 * `<database>.ledger` (8 bytes, overwritten; not synced: the kernel keeps a killed process's
 * writes). At open, a ledger file ahead of the database means acknowledged commits are missing:
 * a damaged or truncated log, or a file restored from an older copy. A batch that failed leaves a
 * gap in the count, so the figure is an upper bound.
 */
export class CommitLedger {
  #reserved: number;
  readonly #fd: number;

  private constructor(
    start: number,
    private readonly path: string,
  ) {
    this.#reserved = start;
    this.#fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
  }

  static async open(
    conn: DuckDBConnection,
    databasePath: string,
    walBytes: number,
  ): Promise<{ ledger: CommitLedger; report: RecoveryReport }> {
    const path = `${databasePath}.ledger`;
    const acknowledged = readCount(path);
    const rows = await query(conn, sql`SELECT coalesce(max(spans), 0)::BIGINT AS n FROM fluoro_ledger`);
    const recovered = Number(rows[0]!['n']);
    // One row is all later opens need.
    await execute(conn, sql`DELETE FROM fluoro_ledger WHERE spans < ${recovered}`);
    const ledger = new CommitLedger(Math.max(acknowledged, recovered), path);
    ledger.#write(Math.max(acknowledged, recovered));
    return { ledger, report: { walBytes, acknowledged, recovered, lost: Math.max(0, acknowledged - recovered) } };
  }

  /** The running count a batch of `spans` commits with; reserved in commit order. */
  reserve(spans: number): number {
    this.#reserved += spans;
    return this.#reserved;
  }

  /** In the batch's transaction. */
  async record(conn: DuckDBConnection, count: number): Promise<void> {
    await execute(conn, sql`INSERT INTO fluoro_ledger VALUES (${count})`);
  }

  /** After the batch's commit is durable. */
  acknowledge(count: number): void {
    this.#write(count);
  }

  close(): void {
    closeSync(this.#fd);
  }

  #write(count: number): void {
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64LE(BigInt(count));
    writeSync(this.#fd, bytes, 0, 8, 0);
  }
}

function readCount(path: string): number {
  try {
    const bytes = readFileSync(path);
    return bytes.length >= 8 ? Number(bytes.readBigUInt64LE(0)) : 0;
  } catch {
    return 0;
  }
}

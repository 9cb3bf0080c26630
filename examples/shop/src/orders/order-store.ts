import initSqlJs, { type BindParams, type Database } from 'sql.js';
import { SpanKind, tracer } from '../runtime/otel.js';
import { ORDERS_DATABASE } from '../topology.js';

export type OrderStatus = 'pending' | 'paid' | 'declined' | 'payment_throttled' | 'payment_failed';

export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/** Orders kept at most; older ones are deleted so a long demo stays small. */
const KEEP_ORDERS = 5_000;

const SCHEMA = `
  CREATE TABLE orders (
    id TEXT PRIMARY KEY, customer TEXT NOT NULL, tier TEXT NOT NULL, total REAL NOT NULL,
    status TEXT NOT NULL, charge_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE, product_id TEXT NOT NULL,
    quantity INTEGER NOT NULL, unit_price REAL NOT NULL);
  PRAGMA foreign_keys = ON;`;

/**
 * The orders database: SQLite (sql.js, SQLite compiled to WebAssembly) in the orders process's
 * memory, so it needs no native build. Every statement is a CLIENT span with the OpenTelemetry
 * database conventions (`db.system = sqlite`), which Fluoro turns into a subsegment with a `sql`
 * block: the map shows a `Database::SQL` node named after the database.
 */
export class OrderStore {
  private inserted = 0;

  private constructor(private readonly db: Database) {}

  static async open(): Promise<OrderStore> {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.exec(SCHEMA);
    return new OrderStore(db);
  }

  insert(id: string, customer: string, tier: string, lines: readonly OrderLine[]): number {
    const total = Math.round(lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0) * 100) / 100;
    const now = new Date().toISOString();
    this.run('INSERT INTO orders (id, customer, tier, total, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      id,
      customer,
      tier,
      total,
      'pending',
      now,
      now,
    ]);
    const values = lines.map(() => '(?, ?, ?, ?)').join(', ');
    this.run(
      `INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES ${values}`,
      lines.flatMap((l) => [id, l.productId, l.quantity, l.unitPrice]),
    );
    if (++this.inserted % 500 === 0) this.run('DELETE FROM orders WHERE rowid <= (SELECT max(rowid) FROM orders) - ?', [KEEP_ORDERS]);
    return total;
  }

  setStatus(id: string, status: OrderStatus, chargeId: string | null = null): void {
    this.run('UPDATE orders SET status = ?, charge_id = coalesce(?, charge_id), updated_at = ? WHERE id = ?', [
      status,
      chargeId,
      new Date().toISOString(),
      id,
    ]);
  }

  find(id: string): Record<string, unknown> | null {
    return this.run('SELECT id, customer, tier, total, status, charge_id, created_at FROM orders WHERE id = ?', [id])[0] ?? null;
  }

  private run(sql: string, params: BindParams): Array<Record<string, unknown>> {
    const operation = sql.split(' ', 1)[0]!;
    const table = /(?:INTO|FROM|UPDATE)\s+(\w+)/i.exec(sql)?.[1] ?? '';
    return tracer.startActiveSpan(
      `${operation} ${table}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system': 'sqlite',
          'db.name': ORDERS_DATABASE,
          'db.statement': sql,
          'db.operation': operation,
          'db.sql.table': table,
        },
      },
      (span) => {
        try {
          const stmt = this.db.prepare(sql, params);
          const rows: Array<Record<string, unknown>> = [];
          while (stmt.step()) rows.push(stmt.getAsObject());
          stmt.free();
          return rows;
        } catch (err) {
          span.recordException(err as Error);
          span.setStatus({ code: 2, message: (err as Error).message });
          throw err;
        } finally {
          span.end();
        }
      },
    );
  }
}

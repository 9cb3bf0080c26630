import type { IncomingHttpHeaders } from 'node:http';

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly requestId: string;
  /** Aborted when the client leaves before its answer. */
  readonly signal: AbortSignal;
  /** The whole body; refuses one larger than the configured limit with `PayloadTooLarge`. */
  body(): Promise<Buffer>;
  /** The body parsed as JSON; an empty body is `{}`. Refuses bad JSON with `InvalidRequest`. */
  json(): Promise<unknown>;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string | Buffer;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
}

export type Handler = (req: HttpRequest) => Promise<HttpResponse>;

/** What an access key may be allowed to do (docs/security.md). */
export type Role = 'ingest' | 'read' | 'admin';
export const ROLES: readonly Role[] = ['ingest', 'read', 'admin'];

/**
 * Who may call a route once access keys are configured: anyone (health, the console's own files),
 * or a caller whose key holds one of the roles. Every route states it; there is no default.
 */
export type Access = 'public' | readonly Role[];

/** The access of query routes: keys with `read` (or `admin`). */
export const READ: Access = ['read'];

/** A route as matched: its handler, who may call it, and the label it is counted under. */
export interface MatchedRoute {
  readonly handler: Handler;
  readonly access: Access;
  readonly route: string;
}

/** `value` as JSON; give `T` (a response type of @fluoro/contracts) to have the value checked against it. */
export function jsonResponse<T = unknown>(value: T, status = 200): HttpResponse {
  return { status, body: JSON.stringify(value), contentType: 'application/json' };
}

/** Exact-path routes by method, plus prefix routes (longest prefix first) for trees like `/assets/`. */
export class Router {
  readonly #exact = new Map<string, Map<string, { handler: Handler; access: Access }>>();
  readonly #prefixes: Array<{ prefix: string; method: string; handler: Handler; access: Access }> = [];

  add(method: string, path: string, access: Access, handler: Handler): this {
    let byMethod = this.#exact.get(path);
    if (!byMethod) this.#exact.set(path, (byMethod = new Map()));
    if (byMethod.has(method)) throw new Error(`route ${method} ${path} added twice`);
    byMethod.set(method, { handler, access });
    return this;
  }

  addPrefix(method: string, prefix: string, access: Access, handler: Handler): this {
    this.#prefixes.push({ prefix, method, handler, access });
    this.#prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
    return this;
  }

  /**
   * The handler and the route it was registered under (a bounded label for metrics), `'method'`
   * when the path exists for other methods only, or null.
   */
  match(method: string, path: string): MatchedRoute | 'method' | null {
    const byMethod = this.#exact.get(path);
    if (byMethod) {
      const r = byMethod.get(method) ?? (method === 'HEAD' ? byMethod.get('GET') : undefined);
      return r ? { handler: r.handler, access: r.access, route: path } : 'method';
    }
    for (const p of this.#prefixes) {
      if (path.startsWith(p.prefix) && (p.method === method || (method === 'HEAD' && p.method === 'GET'))) {
        return { handler: p.handler, access: p.access, route: `${p.prefix}*` };
      }
    }
    return null;
  }

  /** Every route with its access, for the docs and for tests that hold each route to its roles. */
  routes(): Array<{ method: string; path: string; access: Access }> {
    const out: Array<{ method: string; path: string; access: Access }> = [];
    for (const [path, byMethod] of this.#exact) for (const [method, r] of byMethod) out.push({ method, path, access: r.access });
    for (const p of this.#prefixes) out.push({ method: p.method, path: `${p.prefix}*`, access: p.access });
    return out;
  }
}

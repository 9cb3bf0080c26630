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
  readonly headers?: Readonly<Record<string, string>>;
}

export type Handler = (req: HttpRequest) => Promise<HttpResponse>;

/** `value` as JSON; give `T` (a response type of @fluoro/contracts) to have the value checked against it. */
export function jsonResponse<T = unknown>(value: T, status = 200): HttpResponse {
  return { status, body: JSON.stringify(value), contentType: 'application/json' };
}

/** Exact-path routes by method, plus prefix routes (longest prefix first) for trees like `/assets/`. */
export class Router {
  readonly #exact = new Map<string, Map<string, Handler>>();
  readonly #prefixes: Array<{ prefix: string; method: string; handler: Handler }> = [];

  add(method: string, path: string, handler: Handler): this {
    let byMethod = this.#exact.get(path);
    if (!byMethod) this.#exact.set(path, (byMethod = new Map()));
    if (byMethod.has(method)) throw new Error(`route ${method} ${path} added twice`);
    byMethod.set(method, handler);
    return this;
  }

  addPrefix(method: string, prefix: string, handler: Handler): this {
    this.#prefixes.push({ prefix, method, handler });
    this.#prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
    return this;
  }

  /**
   * The handler and the route it was registered under (a bounded label for metrics), `'method'`
   * when the path exists for other methods only, or null.
   */
  match(method: string, path: string): { handler: Handler; route: string } | 'method' | null {
    const byMethod = this.#exact.get(path);
    if (byMethod) {
      const handler = byMethod.get(method) ?? (method === 'HEAD' ? byMethod.get('GET') : undefined);
      return handler ? { handler, route: path } : 'method';
    }
    for (const p of this.#prefixes) {
      if (path.startsWith(p.prefix) && (p.method === method || (method === 'HEAD' && p.method === 'GET'))) {
        return { handler: p.handler, route: `${p.prefix}*` };
      }
    }
    return null;
  }
}

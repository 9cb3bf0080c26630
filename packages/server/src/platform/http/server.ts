import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import { readTls, type TlsFiles } from './tls.js';
import type { ListenAddress } from '../../config/address.js';
import { FluoroError } from '../errors/catalog.js';
import type { Logger } from '../telemetry/logger.js';
import type { Counter, Metrics } from '../telemetry/metrics.js';
import { errorResponse } from './errors.js';
import { checkBrowserRequest, type BrowserGuard } from './guard.js';
import { withCancellation } from './cancellation.js';
import { isAdminRoute, type AuditLog } from './audit.js';
import { authenticate, requireAccess } from '../auth/authenticate.js';
import type { AccessKeys } from '../auth/keys.js';
import type { HttpRequest, HttpResponse, Router } from './router.js';

export interface HttpServerOptions {
  readonly maxBodyBytes: number;
  /** Serve TLS from these files; null for plain HTTP. */
  readonly tls: TlsFiles | null;
  /** Where calls to admin routes are recorded. */
  readonly audit: AuditLog | null;
  /** Bodies in memory at once across the process's listeners (shared by them). */
  readonly bodyBudget: BodyBudget;
  /** Open connections per listener; more are refused by the kernel's backlog. */
  readonly maxConnections: number;
  /** Longest request line and headers; longer ones get 431. */
  readonly maxHeaderBytes: number;
  /** The configured access keys; null serves every route to anyone (loopback only, or `insecure`). */
  readonly keys: AccessKeys | null;
  /** Hosts and origins served to browsers (`guard.ts`); the bound host is filled in. */
  readonly browsers: Omit<BrowserGuard, 'boundHost'>;
  /** Which listener this is, for the `listener` label of `fluoro_http_requests_total`. */
  readonly listener: string;
}

/** The counter every HTTP listener counts its answers in (by listener, route and status). */
export function httpRequestsCounter(metrics: Metrics): Counter {
  return metrics.counter('fluoro_http_requests_total', 'HTTP requests answered, by listener, route and status.');
}

export interface RunningHttpServer {
  readonly address: ListenAddress;
  /** Stops accepting connections and waits for requests in flight. */
  close(): Promise<void>;
  /** Reads the TLS files again; new connections use them (a no-op without TLS). */
  reloadTls(): void;
}

export async function startHttpServer(
  address: ListenAddress,
  router: Router,
  options: HttpServerOptions,
  log: Logger,
  requests: Counter,
): Promise<RunningHttpServer> {
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => void handle(req, res);
  const server: Server | TlsServer = options.tls
    ? createTlsServer({ ...readTls(options.tls), maxHeaderSize: options.maxHeaderBytes }, onRequest)
    : createServer({ maxHeaderSize: options.maxHeaderBytes }, onRequest);
  const guard: BrowserGuard = { ...options.browsers, boundHost: address.host };
  server.maxConnections = options.maxConnections;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://fluoro.local');
    const method = req.method ?? 'GET';
    const route = router.match(method, url.pathname);
    let response: HttpResponse;
    let request: ReturnType<typeof makeRequest> | null = null;
    let caller: string | null = null;
    // Aborted when the client goes away before its answer: reads under way are interrupted.
    const abandoned = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abandoned.abort();
    });
    try {
      const refused = checkBrowserRequest(req, guard);
      if (refused) throw refused;
      if (route === null) throw new FluoroError('UnknownOperation', `no operation at ${method} ${url.pathname}`);
      if (route === 'method') throw new FluoroError('MethodNotAllowed', `${url.pathname} does not accept ${method}`);
      const { handler, access } = route;
      const made = makeRequest(req, method, url, requestId, options.maxBodyBytes, abandoned.signal, options.bodyBudget);
      request = made;
      if (options.keys && access !== 'public') {
        const call = { method, path: url.pathname, query: url.searchParams, headers: req.headers };
        const key = await authenticate(call, made.body, options.keys);
        caller = key.id;
        requireAccess(key, call, access);
      }
      response = await withCancellation(abandoned.signal, () => handler(made));
    } catch (err) {
      response = errorResponse(err, requestId, log);
    }
    if (options.audit && route !== null && route !== 'method' && isAdminRoute(route.access)) {
      options.audit.write({
        time: new Date().toISOString(),
        key: caller,
        method,
        path: url.pathname,
        status: response.status,
        requestId,
        remote: req.socket.remoteAddress ?? null,
      });
    }
    requests.inc({
      listener: options.listener,
      route: route === null || route === 'method' ? 'unmatched' : route.route,
      status: String(response.status),
    });
    if (!req.complete) {
      // A refused body still arrives on the socket; drain it so the client sees our answer.
      req.resume();
      response = { ...response, headers: { ...response.headers, connection: 'close' } };
    }
    if (abandoned.signal.aborted) {
      request?.release();
      return;
    }
    res.writeHead(response.status, {
      'content-type': response.contentType ?? 'application/json',
      'x-content-type-options': 'nosniff',
      'x-amzn-RequestId': requestId,
      ...response.headers,
    });
    res.end(method === 'HEAD' ? undefined : response.body);
    request?.release();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    log.debug('bad HTTP request', { error: err.message });
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    requests.inc({ listener: options.listener, route: 'unmatched', status: tooLarge ? '431' : '400' });
    if (!socket.writable) return;
    const error = tooLarge
      ? new FluoroError('HeadersTooLarge', `the request line and headers are over ${options.maxHeaderBytes} bytes (api.maxHeaderBytes)`)
      : new FluoroError('InvalidRequest', `the request is not valid HTTP/1.1: ${err.message}`);
    socket.end(rawResponse(errorResponse(error, 'none', log)));
  });
  const bound = server.address();
  const actual = typeof bound === 'object' && bound ? { host: bound.address, port: bound.port } : address;
  return {
    address: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
    reloadTls() {
      if (options.tls && 'setSecureContext' in server) server.setSecureContext(readTls(options.tls));
    },
  };
}

/** An answer written straight to a socket that has no HTTP parser state left to answer through. */
function rawResponse(response: HttpResponse): string {
  const body = response.body.toString();
  const headers = Object.entries(response.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (
    `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\ncontent-type: ${response.contentType ?? 'application/json'}\r\n` +
    `${headers}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  );
}

/**
 * Request bodies held in memory at once, by every listener of the process together: a body's bytes
 * are taken from it as they arrive (its declared length at once) and given back when its answer is
 * sent. Past it, a request is refused (429, `Retry-After`) instead of buffered.
 */
export class BodyBudget {
  #held = 0;
  constructor(readonly limit: number) {}
  get held(): number {
    return this.#held;
  }
  take(bytes: number): boolean {
    if (this.#held + bytes > this.limit) return false;
    this.#held += bytes;
    return true;
  }
  give(bytes: number): void {
    this.#held -= bytes;
  }
}

function makeRequest(
  req: IncomingMessage,
  method: string,
  url: URL,
  requestId: string,
  limit: number,
  signal: AbortSignal,
  budget: BodyBudget,
): HttpRequest & { release(): void } {
  let body: Promise<Buffer> | null = null;
  let held = 0;
  const overBudget = (): FluoroError =>
    new FluoroError('Throttled', `request bodies in flight would exceed ${budget.limit} bytes (api.bodiesInFlightBytes); retry shortly`, 1);
  const take = (bytes: number): boolean => {
    if (!budget.take(bytes)) return false;
    held += bytes;
    return true;
  };
  const readBody = (): Promise<Buffer> =>
    (body ??= new Promise<Buffer>((resolve, reject) => {
      const declared = Number(req.headers['content-length']);
      if (declared > limit) {
        reject(new FluoroError('PayloadTooLarge', `request body is ${declared} bytes; the limit is ${limit} bytes (api.maxBodyBytes)`));
        return;
      }
      if (declared > 0 && !take(declared)) {
        reject(overBudget());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          req.removeAllListeners('data');
          reject(new FluoroError('PayloadTooLarge', `request body is over ${limit} bytes (api.maxBodyBytes)`));
          return;
        }
        if (size > held && !take(size - held)) {
          req.removeAllListeners('data');
          reject(overBudget());
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    }));
  return {
    release() {
      budget.give(held);
      held = 0;
    },
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    requestId,
    signal,
    body: readBody,
    async json() {
      const buf = await readBody();
      if (buf.length === 0) return {};
      try {
        return JSON.parse(buf.toString('utf8')) as unknown;
      } catch (err) {
        throw new FluoroError('InvalidRequest', `request body is not valid JSON: ${(err as Error).message}`);
      }
    },
  };
}

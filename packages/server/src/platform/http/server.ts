import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ListenAddress } from '../../config/address.js';
import { FluoroError } from '../errors/catalog.js';
import type { Logger } from '../telemetry/logger.js';
import type { Counter, Metrics } from '../telemetry/metrics.js';
import { errorResponse } from './errors.js';
import { checkBrowserRequest, type BrowserGuard } from './guard.js';
import { withCancellation } from './cancellation.js';
import { authenticate } from '../auth/authenticate.js';
import { allows, type AccessKeys } from '../auth/keys.js';
import type { HttpRequest, HttpResponse, Router } from './router.js';

export interface HttpServerOptions {
  readonly maxBodyBytes: number;
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
}

export async function startHttpServer(
  address: ListenAddress,
  router: Router,
  options: HttpServerOptions,
  log: Logger,
  requests: Counter,
): Promise<RunningHttpServer> {
  const server: Server = createServer({ maxHeaderSize: options.maxHeaderBytes }, (req, res) => {
    void handle(req, res);
  });
  const guard: BrowserGuard = { ...options.browsers, boundHost: address.host };
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://fluoro.local');
    const method = req.method ?? 'GET';
    const route = router.match(method, url.pathname);
    let response: HttpResponse;
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
      const request = makeRequest(req, method, url, requestId, options.maxBodyBytes, abandoned.signal);
      if (options.keys && access !== 'public') {
        const key = await authenticate(
          { method, path: url.pathname, query: url.searchParams, headers: req.headers },
          request.body,
          options.keys,
        );
        if (!allows(key, access)) {
          throw new FluoroError(
            'AccessDenied',
            `key ${key.id} (roles: ${[...key.roles].join(', ')}) may not call ${method} ${url.pathname}; it needs ${access.join(' or ')}`,
          );
        }
      }
      response = await withCancellation(abandoned.signal, () => handler(request));
    } catch (err) {
      response = errorResponse(err, requestId, log);
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
    if (abandoned.signal.aborted) return;
    res.writeHead(response.status, {
      'content-type': response.contentType ?? 'application/json',
      'x-content-type-options': 'nosniff',
      'x-amzn-RequestId': requestId,
      ...response.headers,
    });
    res.end(method === 'HEAD' ? undefined : response.body);
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
    const message = tooLarge
      ? `the request line and headers are over ${options.maxHeaderBytes} bytes (api.maxHeaderBytes)`
      : `the request is not valid HTTP/1.1: ${err.message}`;
    const body = JSON.stringify({
      __type: tooLarge ? 'RequestHeaderFieldsTooLargeException' : 'InvalidRequestException',
      message,
      Message: message,
    });
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
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
  };
}

function makeRequest(req: IncomingMessage, method: string, url: URL, requestId: string, limit: number, signal: AbortSignal): HttpRequest {
  let body: Promise<Buffer> | null = null;
  const readBody = (): Promise<Buffer> =>
    (body ??= new Promise<Buffer>((resolve, reject) => {
      const declared = Number(req.headers['content-length']);
      if (declared > limit) {
        reject(new FluoroError('PayloadTooLarge', `request body is ${declared} bytes; the limit is ${limit} bytes (api.maxBodyBytes)`));
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
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    }));
  return {
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

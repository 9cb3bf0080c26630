import http from 'node:http';
import type { LookupFunction } from 'node:net';
import { portOf } from './env.js';
import type { ProcessName } from '../topology.js';

/**
 * Calls between shop processes. Services address each other by name (`http://cart:<port>`), as
 * they would in Docker Compose or Kubernetes, so that instrumentation names each call after the
 * service it reaches (the X-Ray SDK names an HTTP subsegment after the host; OpenTelemetry puts
 * it in `server.address`). Every name resolves to 127.0.0.1, here, without touching /etc/hosts.
 *
 * Requests go through `http.request` looked up at call time, so the X-Ray SDK's
 * `captureHTTPsGlobal` and OpenTelemetry's HTTP instrumentation both see them.
 */
const loopback = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}) as LookupFunction;

// Idle sockets close before the servers' keep-alive timeout (65 s), so a reused socket is never
// one the server is closing: no spurious ECONNRESET faults that chaos did not cause.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 30_000 });

export interface JsonResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: http.IncomingHttpHeaders;
}

export interface CallOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Host name to call it by; the process name by default. */
  readonly host?: string;
  readonly timeoutMs?: number;
}

/** Calls a shop process and parses its JSON answer. Rejects on network errors and timeouts only. */
export function callJson<T = unknown>(to: ProcessName, path: string, options: CallOptions = {}): Promise<JsonResponse<T>> {
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.host ?? to,
        port: portOf(to),
        path,
        method: options.method ?? (payload ? 'POST' : 'GET'),
        lookup: loopback,
        agent,
        headers: {
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: body as T, headers: res.headers });
        });
      },
    );
    req.setTimeout(options.timeoutMs ?? 5_000, () =>
      req.destroy(Object.assign(new Error(`${to} did not answer within ${options.timeoutMs ?? 5_000} ms`), { code: 'ETIMEDOUT' })),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { FluoroError } from '../errors/catalog.js';

/** What a listener serves to browsers: see docs/security.md ("Browsers"). */
export interface BrowserGuard {
  /** Host names (no port) served besides loopback names and the bound host; `*` serves any. */
  readonly allowedHosts: readonly string[];
  /** Origins (`scheme://host[:port]`) whose pages may write, besides the request's own origin. */
  readonly allowedOrigins: readonly string[];
  /** The host the listener is bound to (served by its own name). */
  readonly boundHost: string;
}

/** The content types a page of any origin may send without a CORS preflight (the Fetch standard's list). */
const SIMPLE_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses what only a browser tricked by a hostile page sends, before a route sees the request:
 * a `Host` it does not serve (DNS rebinding), a write from a page of another origin, and a body a
 * page could send across origins without a preflight. Clients that are not browsers (SDKs, the
 * AWS CLI, exporters, curl) send none of these, so they are not affected.
 */
export function checkBrowserRequest(req: IncomingMessage, guard: BrowserGuard): FluoroError | null {
  const hostHeader = req.headers.host ?? '';
  const host = hostName(hostHeader);
  if (!servesHost(host, guard)) {
    return new FluoroError(
      'ForbiddenHost',
      `Host ${JSON.stringify(hostHeader)} is not served here: this listener answers to loopback names and ${guard.boundHost}` +
        (guard.allowedHosts.length ? ` and to ${guard.allowedHosts.join(', ')}` : '') +
        ' (add the name to api.allowedHosts)',
    );
  }
  const method = req.method ?? 'GET';
  if (SAFE_METHODS.has(method)) return null;
  const origin = req.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, hostHeader) && !guard.allowedOrigins.includes(origin)) {
    return new FluoroError(
      'ForbiddenOrigin',
      `a page of ${origin} may not send ${method} requests here (add the origin to api.allowedOrigins to allow it)`,
    );
  }
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === '' || SIMPLE_TYPES.has(type)) {
      return new FluoroError(
        'UnsupportedMediaType',
        type === ''
          ? "the request has a body but no Content-Type; send application/json (or the protocol's own type, e.g. application/x-protobuf)"
          : `Content-Type ${type} is not accepted; send application/json (or the protocol's own type, e.g. application/x-protobuf)`,
      );
    }
  }
  return null;
}

/** The host of a `Host` header, lowercase, without port or IPv6 brackets. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

function servesHost(host: string, guard: BrowserGuard): boolean {
  if (guard.allowedHosts.includes('*')) return true;
  if (host === '') return true; // HTTP/1.0 clients send none; no browser does.
  if (isLoopbackName(host)) return true;
  if (host === guard.boundHost.toLowerCase() || guard.allowedHosts.some((h) => h.toLowerCase() === host)) return true;
  // Bound to every interface: this machine's name, or any address by number (a rebinding page needs a name).
  return isWildcard(guard.boundHost) && (isIP(host) !== 0 || host === hostname().toLowerCase());
}

function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '';

function sameOrigin(origin: string, hostHeader: string): boolean {
  try {
    const url = new URL(origin);
    return url.host.toLowerCase() === hostHeader.trim().toLowerCase();
  } catch {
    return false;
  }
}

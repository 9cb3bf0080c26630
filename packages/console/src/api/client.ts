/**
 * The console talks to the Fluoro that served it, over HTTP only: X-Ray API operations (POST,
 * rest-json) and the native API under /api/v1. Every failure becomes an ApiError whose message
 * says which call failed and why, in words a user can act on.
 */
export class ApiError extends Error {
  constructor(
    /** What was being done, e.g. "GetServiceGraph". */
    readonly operation: string,
    /** HTTP status, or 0 when Fluoro could not be reached. */
    readonly status: number,
    /** The error type Fluoro answered (`InvalidRequestException`, …), or "NetworkError". */
    readonly type: string,
    readonly detail: string,
  ) {
    super(
      status === 0
        ? `${operation}: cannot reach Fluoro at ${location.origin} (${detail})`
        : `${operation} failed (${status} ${type}): ${detail}`,
    );
  }
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/** Fired when Fluoro answers 401: the console shows its sign-in form. */
export const SIGN_IN_REQUIRED = 'fluoro:sign-in-required';

/** The CSRF token of the console session (its cookie is readable by this page, not by others). */
function csrfToken(): string | null {
  const m = /(?:^|;\s*)fluoro_csrf=([^;]*)/.exec(document.cookie);
  return m && m[1] ? m[1] : null;
}

async function request<T>(operation: string, path: string, init: RequestInit): Promise<T> {
  let res: Response;
  const method = init.method ?? 'GET';
  const csrf = method === 'GET' || method === 'HEAD' ? null : csrfToken();
  if (csrf) init = { ...init, headers: { ...(init.headers as Record<string, string>), 'x-fluoro-csrf': csrf } };
  try {
    res = await fetch(path, init);
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(operation, 0, 'NetworkError', (err as Error).message);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: a proxy's error page, or an older Fluoro without this endpoint.
  }
  if (res.status === 401 && !path.startsWith('/api/v1/session')) window.dispatchEvent(new Event(SIGN_IN_REQUIRED));
  if (!res.ok) {
    const b = (body ?? {}) as { __type?: string; message?: string; Message?: string };
    const type = (b.__type ?? res.statusText) || 'Error';
    const detail = b.message ?? b.Message ?? (text.slice(0, 200) || `HTTP ${res.status}`);
    throw new ApiError(operation, res.status, type.replace(/^.*#/, ''), detail);
  }
  return body as T;
}

export function post<T>(operation: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return request<T>(operation, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: signal ?? null,
  });
}

export function del<T>(operation: string, path: string): Promise<T> {
  return request<T>(operation, path, { method: 'DELETE' });
}

export function get<T>(operation: string, path: string, signal?: AbortSignal): Promise<T> {
  return request<T>(operation, path, { method: 'GET', signal: signal ?? null });
}

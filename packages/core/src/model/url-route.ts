/**
 * A URL's route: its path with the host, port, query and fragment left out and every segment that
 * holds a digit (an ID: `p-914`, `42`, a UUID) written `{id}`, except version segments (`v1`, `V2`).
 * `http://127.0.0.1:41575/api/products/p-914?x=1` → `/api/products/{id}`. An empty path is `/`.
 *
 * The SQL stores compute the same text from the same three patterns (`ROUTE_PATTERNS` in
 * storage/sql/dialect.ts); the conformance suite holds them to this function. No URL (null) has no route.
 */
export function urlRoute(url: string): string;
export function urlRoute(url: string | null): string | null;
export function urlRoute(url: string | null): string | null {
  if (url === null) return null;
  const cut = url.split('?')[0]!.split('#')[0]!;
  const path = cut.replace(SCHEME_AND_AUTHORITY, '');
  const route = path
    .split('/')
    .map((s) => (ID_SEGMENT.test(s) && !VERSION.test(s) ? '{id}' : s))
    .join('/');
  return route === '' ? '/' : route;
}

/** `scheme://host:port`: RFC 3986's scheme, then everything to the first `/`. */
export const SCHEME_AND_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/;

/** A path segment that holds an ID: any with a digit. */
export const ID_SEGMENT = /[0-9]/;

/** A path segment naming an API version, kept as it is. */
export const VERSION = /^[vV][0-9]+$/;

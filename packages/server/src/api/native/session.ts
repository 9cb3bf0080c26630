import type { SessionRequest, SessionResponse } from '@fluoro/contracts';
import { CSRF_COOKIE, SESSION_COOKIE, cookie } from '../../platform/auth/authenticate.js';
import type { AccessKeys } from '../../platform/auth/keys.js';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.js';
import { SESSION_IDLE_MS, type Sessions } from '../../platform/auth/sessions.js';
import type { Oidc } from '../../platform/auth/oidc.js';
import { FluoroError, invalidRequest } from '../../platform/errors/catalog.js';
import { jsonResponse, type HttpResponse, type Router } from '../../platform/http/router.js';
import type { Counter } from '../../platform/telemetry/metrics.js';

/** After this many wrong passwords in a row, a user name is refused for `LOCKOUT_MS`. */
export const MAX_FAILED_SIGN_INS = 10;
const LOCKOUT_MS = 60_000;

export interface SessionOptions {
  /** The configured keys and users; null when Fluoro runs open (loopback, or `insecure`). */
  readonly keys: AccessKeys | null;
  /** Cookies only over HTTPS (`Secure`) when the listener serves TLS. */
  readonly secure: boolean;
  /** Sign-ins by result (ok, wrong, locked, refused: single sign-on that did not complete). */
  readonly signIns: Counter;
}

/**
 * Console sign-in: `POST /api/v1/session` `{user, password}` checks the password against its
 * scrypt hash and sets two cookies, the session (HttpOnly) and its CSRF token (read by the
 * console's script and sent back in `x-fluoro-csrf` on writes), both SameSite=Strict;
 * `GET` says who is signed in; `DELETE` signs out. All three are public: they are how one gets in.
 */
export function mountSession(router: Router, options: SessionOptions): void {
  const { keys, signIns } = options;
  const oidcName = keys?.oidc?.settings.name ?? null;
  const failures = new Map<string, { count: number; lockedUntil: number }>();
  // Unknown names cost a password check too, so that timing does not tell which names exist.
  let decoy: Promise<string> | null = null;

  router.add('GET', '/api/v1/session', 'public', async (req) => {
    const session = keys ? keys.sessions.get(cookie(req.headers.cookie, SESSION_COOKIE) ?? '') : undefined;
    return jsonResponse<SessionResponse>({
      required: keys !== null,
      user: session?.user ?? null,
      roles: [...(session?.roles ?? [])],
      oidc: oidcName,
    });
  });

  router.add('POST', '/api/v1/session', 'public', async (req) => {
    if (!keys) throw invalidRequest('this Fluoro has no users to sign in as (auth.keysFile is not set); the console is open');
    const { user, password } = (await req.json()) as Partial<SessionRequest>;
    if (typeof user !== 'string' || typeof password !== 'string' || user.length > 256 || password.length > 1024) {
      throw invalidRequest('expected {"user": "…", "password": "…"}');
    }
    const failed = failures.get(user);
    if (failed && failed.lockedUntil > Date.now()) {
      signIns.inc({ result: 'locked' });
      throw new FluoroError(
        'Throttled',
        `${MAX_FAILED_SIGN_INS} wrong passwords in a row for ${user}; try again in ${Math.ceil((failed.lockedUntil - Date.now()) / 1000)} s`,
        Math.ceil(LOCKOUT_MS / 1000),
      );
    }
    const known = keys.user(user);
    const ok = await verifyPassword(password, known?.passwordHash ?? (await (decoy ??= hashPassword('not a password anyone has'))));
    if (!known || !ok) {
      signIns.inc({ result: 'wrong' });
      const count = (failed?.count ?? 0) + 1;
      failures.set(user, { count, lockedUntil: count >= MAX_FAILED_SIGN_INS ? Date.now() + LOCKOUT_MS : 0 });
      if (failures.size > 10_000) failures.delete(failures.keys().next().value!);
      throw new FluoroError('UnrecognizedClient', 'the user name or the password is wrong');
    }
    failures.delete(user);
    signIns.inc({ result: 'ok' });
    const { token, session } = keys.sessions.start(known.name, known.roles);
    return withCookies(
      jsonResponse<SessionResponse>({ required: true, user: known.name, roles: [...known.roles], oidc: oidcName }),
      sessionCookies(token, session.csrf, options.secure),
    );
  });

  // Single sign-on: to the provider and back (SameSite=Lax for the flow's cookie: the callback is a
  // navigation from the provider's site, which a Strict cookie would not accompany).
  const FLOW_COOKIE = 'fluoro_oidc';
  const flowCookie = (value: string, maxAgeSeconds: number) =>
    `${FLOW_COOKIE}=${value}; HttpOnly; Path=/api/v1/session/oidc; SameSite=Lax; Max-Age=${maxAgeSeconds}${options.secure ? '; Secure' : ''}`;
  const singleSignOn = (): { oidc: Oidc; sessions: Sessions } => {
    if (!keys?.oidc) throw invalidRequest('single sign-on is not configured (the oidc section of auth.keysFile)');
    return { oidc: keys.oidc, sessions: keys.sessions };
  };
  // The browser navigated here: a refusal sends it back to the console, which says why.
  const refused = (err: unknown, cookies: readonly string[]): HttpResponse => {
    signIns.inc({ result: 'refused' });
    return redirect(`/map?sign-in-error=${encodeURIComponent((err as Error).message)}`, cookies);
  };
  router.add('GET', '/api/v1/session/oidc', 'public', async () => {
    const { oidc } = singleSignOn();
    try {
      const { url, state } = await oidc.start();
      return redirect(url.href, [flowCookie(state, 600)]);
    } catch (err) {
      return refused(err, []); // the provider is away
    }
  });
  router.add('GET', '/api/v1/session/oidc/callback', 'public', async (req) => {
    const { oidc, sessions } = singleSignOn();
    const clear = flowCookie('', 0);
    const state = cookie(req.headers.cookie, FLOW_COOKIE);
    const given = req.query.get('state');
    try {
      if (!state || given !== state) {
        throw new FluoroError('MissingAuthentication', 'the sign-in came back to a browser that did not start it; sign in again');
      }
      const callback = new URL(oidc.settings.redirectUrl);
      callback.search = req.query.toString();
      const { user, roles } = await oidc.finish(callback, state);
      signIns.inc({ result: 'ok' });
      const { token, session } = sessions.start(user, roles);
      return redirect('/map', [clear, ...sessionCookies(token, session.csrf, options.secure)]);
    } catch (err) {
      return refused(err, [clear]);
    }
  });

  router.add('DELETE', '/api/v1/session', 'public', async (req) => {
    const token = cookie(req.headers.cookie, SESSION_COOKIE);
    if (keys && token) keys.sessions.end(token);
    return withCookies(jsonResponse<SessionResponse>({ required: keys !== null, user: null, roles: [], oidc: oidcName }), [
      `${SESSION_COOKIE}=; HttpOnly${attributes(options.secure, 0)}`,
      `${CSRF_COOKIE}=${attributes(options.secure, 0)}`,
    ]);
  });
}

function sessionCookies(token: string, csrf: string, secure: boolean): string[] {
  return [
    `${SESSION_COOKIE}=${token}; HttpOnly${attributes(secure, SESSION_IDLE_MS / 1000)}`,
    `${CSRF_COOKIE}=${csrf}${attributes(secure, SESSION_IDLE_MS / 1000)}`,
  ];
}

function redirect(location: string, cookies: readonly string[]): HttpResponse {
  return withCookies({ status: 303, body: '', contentType: 'text/plain', headers: { location } }, cookies);
}

function attributes(secure: boolean, maxAgeSeconds: number): string {
  return `; Path=/; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

function withCookies(response: HttpResponse, cookies: readonly string[]): HttpResponse {
  return { ...response, headers: { ...response.headers, 'set-cookie': cookies, 'cache-control': 'no-store' } };
}

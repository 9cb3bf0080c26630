import { randomBytes } from 'node:crypto';
import type { Role } from '../http/router.js';

/** A person signed in to the console. */
export interface Session {
  readonly user: string;
  readonly roles: ReadonlySet<Role>;
  /** Sent back by the console on every write (`x-fluoro-csrf`), read from its `fluoro_csrf` cookie. */
  readonly csrf: string;
  lastUsed: number;
}

/** Idle sessions end after 12 hours; at most 10,000 live at once (the least recently used go first). */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
const MAX_SESSIONS = 10_000;

/**
 * Console sessions, in memory: a restart signs everyone out. The token is 32 random bytes, held by
 * the browser in an HttpOnly, SameSite=Strict cookie.
 */
export class Sessions {
  readonly #byToken = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  start(user: string, roles: ReadonlySet<Role>): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const session: Session = { user, roles, csrf: randomBytes(24).toString('base64url'), lastUsed: this.now() };
    this.#byToken.set(token, session);
    if (this.#byToken.size > MAX_SESSIONS) this.#byToken.delete(this.#byToken.keys().next().value!);
    return { token, session };
  }

  /** The live session of a token, touched (it moves to the back of the eviction order). */
  get(token: string): Session | undefined {
    const session = this.#byToken.get(token);
    if (!session) return undefined;
    this.#byToken.delete(token);
    if (this.now() - session.lastUsed > SESSION_IDLE_MS) return undefined;
    session.lastUsed = this.now();
    this.#byToken.set(token, session);
    return session;
  }

  end(token: string): void {
    this.#byToken.delete(token);
  }

  get size(): number {
    return this.#byToken.size;
  }
}

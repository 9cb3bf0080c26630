import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ROLES, type Access, type Role } from '../http/router.js';
import { sameBytes } from './same-bytes.js';
import { isPasswordHash } from './passwords.js';
import { Sessions } from './sessions.js';
import { Oidc, parseOidc } from './oidc.js';

/** Who made a call, as far as access goes: an access key's ID, or `user:<name>` for a console session. */
export interface Caller {
  readonly id: string;
  readonly roles: ReadonlySet<Role>;
}

/** An access key: an ID and a secret, like AWS's, and what its holder may do. */
export interface AccessKey extends Caller {
  readonly secret: string;
}

/** A person who signs in to the console: a name, a password's scrypt hash (`fluoro hash-password`), roles. */
export interface ConsoleUser {
  readonly name: string;
  readonly passwordHash: string;
  readonly roles: ReadonlySet<Role>;
}

const ID = /^[A-Za-z0-9]{16,128}$/;
const USER = /^[A-Za-z0-9._@-]{1,64}$/;
const MIN_SECRET = 16;

/**
 * The configured access keys (`auth.keysFile`, YAML):
 *
 * ```yaml
 * keys:
 *   - id: AKIAFLUOROINGEST01      # 16–128 letters and digits, as AWS access key IDs
 *     secret: "…"                 # at least 16 characters; give it to SDKs as the secret access key
 *     roles: [ingest]             # any of ingest, read, admin
 * users:                          # people who sign in to the console
 *   - name: alice
 *     password: "scrypt$32768$8$1$…"   # from `fluoro hash-password`
 *     roles: [admin]
 * ```
 *
 * Either list may be left out, not both (unless `oidc:` is there: see `OidcSettings`). The
 * console's live sessions are kept here too.
 */
export class AccessKeys {
  readonly #byId: ReadonlyMap<string, AccessKey>;
  readonly #users: ReadonlyMap<string, ConsoleUser>;
  readonly sessions = new Sessions();

  constructor(
    keys: readonly AccessKey[],
    users: readonly ConsoleUser[] = [],
    /** Sign-in through an OpenID Connect provider, when configured. */
    readonly oidc: Oidc | null = null,
  ) {
    this.#byId = new Map(keys.map((k) => [k.id, k]));
    this.#users = new Map(users.map((u) => [u.name, u]));
  }

  /** Reads and checks a keys file; throws an Error naming the file and the entry that is wrong. */
  static load(file: string): AccessKeys {
    let doc: unknown;
    try {
      doc = parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
    const { keys: keyList = [], users: userList = [], oidc } = (doc ?? {}) as { keys?: unknown; users?: unknown; oidc?: unknown };
    if (!Array.isArray(keyList) || !Array.isArray(userList) || (keyList.length + userList.length === 0 && oidc === undefined)) {
      throw new Error(`${file}: expected a non-empty list under "keys" or "users", or an "oidc" section`);
    }
    const keys = keyList.map((entry: unknown, i) => parseKey(entry, `${file}: keys[${i}]`));
    const users = userList.map((entry: unknown, i) => parseUser(entry, `${file}: users[${i}]`));
    once(
      keys.map((k) => k.id),
      (id) => `${file}: key ${id} is listed twice`,
    );
    once(
      users.map((u) => u.name),
      (name) => `${file}: user ${name} is listed twice`,
    );
    return new AccessKeys(keys, users, oidc === undefined ? null : new Oidc(parseOidc(oidc, `${file}: oidc`)));
  }

  user(name: string): ConsoleUser | undefined {
    return this.#users.get(name);
  }

  get size(): number {
    return this.#byId.size;
  }

  byId(id: string): AccessKey | undefined {
    return this.#byId.get(id);
  }

  /** The key whose secret this is (a bearer token), comparing every secret in constant time. */
  bySecret(secret: string): AccessKey | undefined {
    const given = Buffer.from(secret);
    let found: AccessKey | undefined;
    for (const k of this.#byId.values()) if (sameBytes(given, k.secret)) found = k;
    return found;
  }
}

/** Whether a key may call a route: it holds one of the roles, `admin` including `read`. */
export function allows(key: Caller, access: Access): boolean {
  if (access === 'public') return true;
  return access.some((r) => key.roles.has(r) || (r === 'read' && key.roles.has('admin')));
}

function once(names: readonly string[], twice: (name: string) => string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new Error(twice(n));
    seen.add(n);
  }
}

function parseRoles(roles: unknown, at: string): Set<Role> {
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => (ROLES as readonly unknown[]).includes(r)))
    throw new Error(`${at}: roles must list some of ${ROLES.join(', ')}`);
  return new Set(roles as Role[]);
}

function parseUser(entry: unknown, at: string): ConsoleUser {
  if (entry === null || typeof entry !== 'object') throw new Error(`${at}: expected an object with name, password and roles`);
  const { name, password, roles } = entry as Record<string, unknown>;
  if (typeof name !== 'string' || !USER.test(name)) throw new Error(`${at}: name must be 1 to 64 letters, digits and . _ @ -`);
  if (typeof password !== 'string' || !isPasswordHash(password))
    throw new Error(`${at} (${name}): password must be a hash from \`fluoro hash-password\` (scrypt$…), never the password itself`);
  return { name, passwordHash: password, roles: parseRoles(roles, `${at} (${name})`) };
}

function parseKey(entry: unknown, at: string): AccessKey {
  if (entry === null || typeof entry !== 'object') throw new Error(`${at}: expected an object with id, secret and roles`);
  const { id, secret, roles } = entry as Record<string, unknown>;
  if (typeof id !== 'string' || !ID.test(id)) throw new Error(`${at}: id must be 16 to 128 letters and digits`);
  if (typeof secret !== 'string' || secret.length < MIN_SECRET)
    throw new Error(`${at} (${id}): secret must be at least ${MIN_SECRET} characters`);
  return { id, secret, roles: parseRoles(roles, `${at} (${id})`) };
}

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ROLES, type Access, type Role } from '../http/router.js';
import { sameBytes } from './same-bytes.js';

/** An access key: an ID and a secret, like AWS's, and what its holder may do. */
export interface AccessKey {
  readonly id: string;
  readonly secret: string;
  readonly roles: ReadonlySet<Role>;
}

const ID = /^[A-Za-z0-9]{16,128}$/;
const MIN_SECRET = 16;

/**
 * The configured access keys (`auth.keysFile`, YAML):
 *
 * ```yaml
 * keys:
 *   - id: AKIAFLUOROINGEST01      # 16–128 letters and digits, as AWS access key IDs
 *     secret: "…"                 # at least 16 characters; give it to SDKs as the secret access key
 *     roles: [ingest]             # any of ingest, read, admin
 * ```
 */
export class AccessKeys {
  readonly #byId: ReadonlyMap<string, AccessKey>;

  constructor(keys: readonly AccessKey[]) {
    this.#byId = new Map(keys.map((k) => [k.id, k]));
  }

  /** Reads and checks a keys file; throws an Error naming the file and the entry that is wrong. */
  static load(file: string): AccessKeys {
    let doc: unknown;
    try {
      doc = parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
    const list = (doc as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list) || list.length === 0) throw new Error(`${file}: expected a non-empty list under "keys"`);
    const keys = list.map((entry: unknown, i) => parseKey(entry, `${file}: keys[${i}]`));
    const ids = new Set<string>();
    for (const k of keys) {
      if (ids.has(k.id)) throw new Error(`${file}: key ${k.id} is listed twice`);
      ids.add(k.id);
    }
    return new AccessKeys(keys);
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
export function allows(key: AccessKey, access: Access): boolean {
  if (access === 'public') return true;
  return access.some((r) => key.roles.has(r) || (r === 'read' && key.roles.has('admin')));
}

function parseKey(entry: unknown, at: string): AccessKey {
  if (entry === null || typeof entry !== 'object') throw new Error(`${at}: expected an object with id, secret and roles`);
  const { id, secret, roles } = entry as Record<string, unknown>;
  if (typeof id !== 'string' || !ID.test(id)) throw new Error(`${at}: id must be 16 to 128 letters and digits`);
  if (typeof secret !== 'string' || secret.length < MIN_SECRET)
    throw new Error(`${at} (${id}): secret must be at least ${MIN_SECRET} characters`);
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => (ROLES as readonly unknown[]).includes(r)))
    throw new Error(`${at} (${id}): roles must list some of ${ROLES.join(', ')}`);
  return { id, secret, roles: new Set(roles as Role[]) };
}

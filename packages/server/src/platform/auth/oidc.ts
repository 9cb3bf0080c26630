import * as client from 'openid-client';
import { FluoroError } from '../errors/catalog.js';
import { ROLES, type Role } from '../http/router.js';

/**
 * Sign-in through an OpenID Connect provider (Keycloak, Okta, Entra ID, Google, Dex, …), as the
 * `oidc:` section of the keys file:
 *
 * ```yaml
 * oidc:
 *   issuer: https://idp.example.com/realms/ops
 *   clientId: fluoro
 *   clientSecret: "…"
 *   redirectUrl: https://fluoro.example.com/api/v1/session/oidc/callback
 *   name: Keycloak                # on the console's button; default "single sign-on"
 *   rolesClaim: groups            # the ID token claim listing the user's groups
 *   roles:                        # which groups give which Fluoro role
 *     admin: [fluoro-admins]
 *     read: [sre, developers]
 *   defaultRoles: []              # roles of a signed-in user in none of those groups
 * ```
 *
 * The authorization code flow with PKCE, a state and a nonce (`openid-client`, certified by the
 * OpenID Foundation). Only a loopback issuer may be plain HTTP.
 */
export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUrl: string;
  readonly name: string;
  readonly rolesClaim: string;
  readonly roles: Readonly<Partial<Record<Role, readonly string[]>>>;
  readonly defaultRoles: readonly Role[];
}

/** A sign-in started and not finished (the browser is at the provider), for at most 10 minutes. */
const FLOW_MS = 10 * 60 * 1000;
const MAX_FLOWS = 10_000;

export class Oidc {
  #config: Promise<client.Configuration> | null = null;
  readonly #flows = new Map<string, { verifier: string; nonce: string; started: number }>();

  constructor(readonly settings: OidcSettings) {}

  /** Where to send the browser to sign in, and the state its callback must bring back. */
  async start(): Promise<{ url: URL; state: string }> {
    const config = await this.#discover();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const now = Date.now();
    // Oldest first: drop the flows that ran out of time, and the oldest beyond the cap.
    for (const [s, f] of this.#flows) {
      if (now - f.started <= FLOW_MS && this.#flows.size < MAX_FLOWS) break;
      this.#flows.delete(s);
    }
    this.#flows.set(state, { verifier, nonce, started: now });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, state };
  }

  /** Finishes a sign-in from the provider's redirect; the user's name and Fluoro roles. */
  async finish(callback: URL, state: string): Promise<{ user: string; roles: Set<Role> }> {
    const flow = this.#flows.get(state);
    this.#flows.delete(state);
    if (!flow || Date.now() - flow.started > FLOW_MS) {
      throw new FluoroError('MissingAuthentication', 'the sign-in took longer than 10 minutes or was not started here; sign in again');
    }
    const config = await this.#discover();
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: flow.verifier,
        expectedState: state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (err) {
      throw new FluoroError('UnrecognizedClient', `${this.settings.name} did not confirm the sign-in: ${(err as Error).message}`);
    }
    if (!claims) throw new FluoroError('UnrecognizedClient', `${this.settings.name} sent no ID token`);
    const user = String(claims['preferred_username'] ?? claims['email'] ?? claims.sub);
    const roles = this.rolesOf(claims[this.settings.rolesClaim]);
    if (roles.size === 0) {
      throw new FluoroError(
        'AccessDenied',
        `${user} signed in with ${this.settings.name}, but none of their ${this.settings.rolesClaim} gives a Fluoro role; ask the operator`,
      );
    }
    return { user, roles };
  }

  /** The roles the groups of a claim give (plus the default ones). */
  rolesOf(claim: unknown): Set<Role> {
    const groups = new Set(Array.isArray(claim) ? claim.map(String) : typeof claim === 'string' ? [claim] : []);
    const roles = new Set<Role>(this.settings.defaultRoles);
    for (const role of ROLES) if (this.settings.roles[role]?.some((g) => groups.has(g))) roles.add(role);
    return roles;
  }

  #discover(): Promise<client.Configuration> {
    this.#config ??= client
      .discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret, undefined, {
        execute: new URL(this.settings.issuer).protocol === 'http:' ? [client.allowInsecureRequests] : [],
      })
      .catch((err: Error) => {
        this.#config = null;
        throw new FluoroError('ServiceUnavailable', `cannot reach ${this.settings.name} at ${this.settings.issuer}: ${err.message}`, 5);
      });
    return this.#config;
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** Reads and checks the `oidc:` section of the keys file. */
export function parseOidc(entry: unknown, at: string): OidcSettings {
  if (entry === null || typeof entry !== 'object')
    throw new Error(`${at}: expected an object with issuer, clientId, clientSecret, redirectUrl`);
  const e = entry as Record<string, unknown>;
  for (const k of ['issuer', 'clientId', 'clientSecret', 'redirectUrl'] as const) {
    if (typeof e[k] !== 'string' || e[k] === '') throw new Error(`${at}: ${k} is missing`);
  }
  const issuer = new URL(e['issuer'] as string);
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && LOOPBACK.test(issuer.hostname))) {
    throw new Error(`${at}: issuer must be https (plain http only for a provider on loopback)`);
  }
  const roles: Partial<Record<Role, string[]>> = {};
  for (const [role, groups] of Object.entries((e['roles'] ?? {}) as Record<string, unknown>)) {
    if (!(ROLES as readonly string[]).includes(role) || !Array.isArray(groups)) {
      throw new Error(`${at}: roles maps ${ROLES.join(', ')} to lists of group names`);
    }
    roles[role as Role] = groups.map(String);
  }
  const defaultRoles = (e['defaultRoles'] ?? []) as unknown[];
  if (!Array.isArray(defaultRoles) || !defaultRoles.every((r) => (ROLES as readonly unknown[]).includes(r))) {
    throw new Error(`${at}: defaultRoles must list some of ${ROLES.join(', ')}`);
  }
  return {
    issuer: e['issuer'] as string,
    clientId: e['clientId'] as string,
    clientSecret: e['clientSecret'] as string,
    redirectUrl: e['redirectUrl'] as string,
    name: typeof e['name'] === 'string' ? e['name'] : 'single sign-on',
    rolesClaim: typeof e['rolesClaim'] === 'string' ? e['rolesClaim'] : 'groups',
    roles,
    defaultRoles: defaultRoles as Role[],
  };
}

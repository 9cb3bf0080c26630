import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateSamplingRuleCommand,
  GetSamplingRulesCommand,
  GetServiceGraphCommand,
  PutTraceSegmentsCommand,
  XRayClient,
} from '@aws-sdk/client-xray';
import { Client, credentials, Metadata, status as grpcStatus } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAddress } from '../src/config/address.js';
import { OPERATIONS } from '../src/api/xray/model.js';
import { accessOf } from '../src/api/xray/routes.js';
import { hashPassword, verifyPassword } from '../src/platform/auth/passwords.js';
import { CLI, runFluoro, samplingRule, spawnFluoro, startTestFluoro, tempDir, waitFor, type TestFluoro } from './helpers.js';

/**
 * Access keys (issue 11 #10, #12): SigV4 from the AWS SDK and the AWS CLI, bearer tokens and Basic
 * credentials, roles on every route, and no wide listener without keys.
 */
const AWS = '/usr/bin/aws';
const run = promisify(execFile);
const KEYS = {
  ingest: { id: 'AKIAFLUOROINGEST0001', secret: 'ingest-secret-0123456789', roles: ['ingest'] },
  read: { id: 'AKIAFLUOROREAD000001', secret: 'read-secret-0123456789ab', roles: ['read'] },
  admin: { id: 'AKIAFLUOROADMIN00001', secret: 'admin-secret-0123456789a', roles: ['admin'] },
} as const;
type KeyName = keyof typeof KEYS;
const NOW = Math.floor(Date.now() / 1000);

/** `fluoro start` with a keys file, to its exit (for files it must refuse). */
const startWithKeys = (keysFile: string, dataDir: string) =>
  runFluoro(['start', '--data-dir', dataDir, '--udp', '0', '--http', '127.0.0.1:0', '--auth.keys-file', keysFile]);

describe('access keys', () => {
  const dir = tempDir('fluoro-keys-');
  const keysFile = join(dir.path, 'keys.yaml');
  let f: TestFluoro;
  const client = (key: KeyName, secret: string = KEYS[key].secret) =>
    new XRayClient({
      endpoint: f.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: KEYS[key].id, secretAccessKey: secret },
      maxAttempts: 1,
    });
  const call = async (path: string, headers: Record<string, string>, body = '{}') => {
    const res = await fetch(`${f.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, string> };
  };
  const bearer = (key: KeyName) => ({ authorization: `Bearer ${KEYS[key].secret}` });

  beforeAll(async () => {
    writeFileSync(keysFile, JSON.stringify({ keys: Object.values(KEYS) }));
    f = await startTestFluoro(['--auth.keys-file', keysFile, '--otlp-grpc', '127.0.0.1:0']);
  });
  afterAll(async () => {
    await f?.stop();
    dir.remove();
  });

  it('accepts the AWS SDK signing with a configured key, in any region', async () => {
    const graph = await client('read').send(
      new GetServiceGraphCommand({ StartTime: new Date((NOW - 60) * 1000), EndTime: new Date(NOW * 1000) }),
    );
    expect(graph.Services).toEqual([]);
    const doc = JSON.stringify({
      name: 'svc',
      id: '00000000000000a1',
      trace_id: `1-${NOW.toString(16)}-00000000000000000000a001`,
      start_time: NOW - 2,
      end_time: NOW - 1,
    });
    const put = await client('ingest').send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [doc] }));
    expect(put.UnprocessedTraceSegments).toEqual([]);
    const rules = await client('admin').send(new GetSamplingRulesCommand({}));
    expect(rules.SamplingRuleRecords?.map((r) => r.SamplingRule?.RuleName)).toContain('Default');
  });

  it('refuses a wrong secret, an unknown key and a missing role, with the errors AWS gives', async () => {
    const range = { StartTime: new Date((NOW - 60) * 1000), EndTime: new Date(NOW * 1000) };
    await expect(client('read', 'not-the-secret-at-all').send(new GetServiceGraphCommand(range))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    const stranger = new XRayClient({
      endpoint: f.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIASTRANGER00000000', secretAccessKey: 'whatever-whatever' },
      maxAttempts: 1,
    });
    await expect(stranger.send(new GetServiceGraphCommand(range))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    const rule = samplingRule('r1', { Priority: 5, ReservoirSize: 1, URLPath: '*' });
    await expect(client('read').send(new CreateSamplingRuleCommand({ SamplingRule: rule }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `key ${KEYS.read.id} (roles: read) may not call POST /CreateSamplingRule; it needs admin`,
    });
    const created = await client('admin').send(new CreateSamplingRuleCommand({ SamplingRule: rule }));
    expect(created.SamplingRuleRecord?.SamplingRule?.RuleName).toBe('r1');
    // Both calls to the admin route are in the audit log, with the key that made each and its answer.
    const audit = readFileSync(join(f.fluoro.dataDir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string; path: string; status: number });
    expect(audit.filter((e) => e.path === '/CreateSamplingRule').map((e) => [e.key, e.status])).toEqual([
      [KEYS.read.id, 403],
      [KEYS.admin.id, 200],
    ]);
  });

  it('accepts the AWS CLI with a configured key and refuses it with a wrong one', async () => {
    const aws = (secret: string) =>
      run(AWS, ['xray', 'get-sampling-rules', '--endpoint-url', f.url, '--output', 'json'], {
        env: {
          PATH: process.env['PATH'],
          HOME: dir.path,
          AWS_ACCESS_KEY_ID: KEYS.read.id,
          AWS_SECRET_ACCESS_KEY: secret,
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_PAGER: '',
        },
        timeout: 60_000,
      });
    const { stdout } = await aws(KEYS.read.secret);
    expect((JSON.parse(stdout) as { SamplingRuleRecords: unknown[] }).SamplingRuleRecords.length).toBeGreaterThan(0);
    await expect(aws('wrong-secret-wrong-secret')).rejects.toMatchObject({ stderr: expect.stringContaining('InvalidSignatureException') });
  }, 90_000);

  it('takes bearer tokens and Basic credentials, and says what is missing', async () => {
    expect((await call('/GetSamplingRules', {})).body).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
    expect((await call('/GetSamplingRules', {})).status).toBe(401);
    expect((await call('/GetSamplingRules', bearer('ingest'))).status).toBe(200);
    expect((await call('/GetSamplingRules', { authorization: 'Bearer nope' })).body['__type']).toBe('UnrecognizedClientException');
    const basic = Buffer.from(`${KEYS.read.id}:${KEYS.read.secret}`).toString('base64');
    const metrics = await fetch(`${f.url}/metrics`, { headers: { authorization: `Basic ${basic}` } });
    expect(metrics.status).toBe(200);
    expect((await fetch(`${f.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${f.url}/healthz`)).status).toBe(200);
    const otlp = await fetch(`${f.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer('read') },
      body: '{}',
    });
    expect(otlp.status).toBe(403);
    const otlpOk = await fetch(`${f.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer('ingest') },
      body: '{}',
    });
    expect(otlpOk.status).toBe(200);
  });

  it('takes a bearer token on OTLP/gRPC as metadata', async () => {
    const grpc = new Client(formatAddress(f.fluoro.otlpGrpc!), credentials.createInsecure());
    const call = (auth: string | null) => {
      const md = new Metadata();
      if (auth) md.set('authorization', auth);
      return new Promise<number>((resolve) =>
        grpc.makeUnaryRequest(
          '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.alloc(0),
          md,
          (err) => resolve(err ? err.code! : 0),
        ),
      );
    };
    expect(await call(null)).toBe(grpcStatus.UNAUTHENTICATED);
    expect(await call(`Bearer ${KEYS.read.secret}`)).toBe(grpcStatus.PERMISSION_DENIED);
    expect(await call('Bearer wrong')).toBe(grpcStatus.PERMISSION_DENIED);
    expect(await call(`Bearer ${KEYS.ingest.secret}`)).toBe(0);
    grpc.close();
  });

  it('holds every X-Ray operation to its roles: a key without them gets AccessDenied, one with them gets past', async () => {
    for (const op of OPERATIONS) {
      const access = accessOf(op.name);
      expect(access, op.name).not.toBe('public');
      const roles = access as readonly string[];
      const denied = (Object.keys(KEYS) as KeyName[]).filter(
        (k) => !roles.some((r) => KEYS[k].roles.includes(r as never) || (r === 'read' && k === 'admin')),
      );
      for (const k of denied) {
        const res = await call(op.http.requestUri, bearer(k));
        expect(res.body['__type'], `${op.name} with ${k}`).toBe('AccessDeniedException');
      }
      const allowed = (Object.keys(KEYS) as KeyName[]).find((k) => !denied.includes(k))!;
      const res = await call(op.http.requestUri, bearer(allowed));
      expect(res.status, `${op.name} with ${allowed}`).not.toBe(403);
      expect(res.status, `${op.name} with ${allowed}`).not.toBe(401);
    }
  });
});

describe('secure by default', () => {
  it('refuses to listen on a wide address without keys, unless --insecure', async () => {
    const dir = tempDir();
    try {
      const refused = await runFluoro(['start', '--data-dir', dir.path, '--udp', '0', '--http', '0.0.0.0:0']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('refusing to listen on http 0.0.0.0:0 without access keys');
      const insecure = await spawnFluoro(['start', '--data-dir', dir.path, '--udp', '0', '--http', '0.0.0.0:0', '--insecure']);
      // stderr and stdout are separate pipes: the warning may arrive after the listening line.
      await waitFor(async () => insecure.stderr().includes('without access keys (--insecure)'), 'the --insecure warning');
      insecure.proc.kill('SIGTERM');
      await insecure.exited;
    } finally {
      dir.remove();
    }
  });
});

describe('console sign-in', () => {
  const dir = tempDir('fluoro-users-');
  const keysFile = join(dir.path, 'keys.yaml');
  let f: TestFluoro;
  const USERS = { alice: 'alice-password-1', bob: 'bob-password-22' };

  beforeAll(async () => {
    const users = [
      { name: 'alice', password: await hashPassword(USERS.alice), roles: ['admin'] },
      { name: 'bob', password: await hashPassword(USERS.bob), roles: ['read'] },
    ];
    writeFileSync(keysFile, JSON.stringify({ users }));
    f = await startTestFluoro(['--auth.keys-file', keysFile]);
  });
  afterAll(async () => {
    await f?.stop();
    dir.remove();
  });

  const session = (user: string, password: string) =>
    fetch(`${f.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, password }),
    });
  /** The cookies a sign-in set, as a browser would send them back, and the CSRF token among them. */
  const cookiesOf = (res: Response) => {
    const set = res.headers.getSetCookie();
    return { header: set.map((c) => c.split(';')[0]).join('; '), csrf: /fluoro_csrf=([^;]*)/.exec(set.join('\n'))![1]!, set };
  };
  const rule = (name: string) => ({
    SamplingRule: samplingRule(name, { Priority: 5, ReservoirSize: 1, URLPath: '*' }),
  });

  it('says a sign-in is needed, and refuses a wrong password or an unknown user alike', async () => {
    expect(await (await fetch(`${f.url}/api/v1/session`)).json()).toEqual({ required: true, user: null, roles: [], oidc: null });
    expect((await fetch(`${f.url}/api/v1/about`)).status).toBe(401);
    for (const [user, password] of [
      ['alice', 'wrong-password'],
      ['mallory', USERS.alice],
    ] as const) {
      const res = await session(user, password);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ __type: 'UnrecognizedClientException', message: 'the user name or the password is wrong' });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('signs in with an HttpOnly, SameSite=Strict session cookie; writes need the CSRF token too; roles hold', async () => {
    const res = await session('alice', USERS.alice);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ required: true, user: 'alice', roles: ['admin'], oidc: null });
    const alice = cookiesOf(res);
    expect(alice.set.find((c) => c.startsWith('fluoro_session='))).toMatch(/; HttpOnly; Path=\/; SameSite=Strict; Max-Age=43200$/);
    expect(alice.set.find((c) => c.startsWith('fluoro_csrf='))).not.toMatch(/HttpOnly/);

    expect((await fetch(`${f.url}/api/v1/about`, { headers: { cookie: alice.header } })).status).toBe(200);
    const post = (path: string, cookie: string, body: unknown, csrf?: string) =>
      fetch(`${f.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...(csrf ? { 'x-fluoro-csrf': csrf } : {}) },
        body: JSON.stringify(body),
      });
    const forged = await post('/CreateSamplingRule', alice.header, rule('no-token'));
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { message: string }).message).toContain('CSRF token in x-fluoro-csrf');
    expect((await post('/CreateSamplingRule', alice.header, rule('wrong-token'), 'x'.repeat(32))).status).toBe(403);
    expect((await post('/CreateSamplingRule', alice.header, rule('by-alice'), alice.csrf)).status).toBe(200);

    const bob = cookiesOf(await session('bob', USERS.bob));
    expect((await post('/GetSamplingRules', bob.header, {}, bob.csrf)).status).toBe(200);
    const denied = await post('/CreateSamplingRule', bob.header, rule('by-bob'), bob.csrf);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { message: string }).message).toContain(
      'user:bob (roles: read) may not call POST /CreateSamplingRule',
    );

    const audit = readFileSync(join(f.fluoro.dataDir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string; status: number; path: string });
    expect(audit.filter((e) => e.path === '/CreateSamplingRule').map((e) => [e.key, e.status])).toContainEqual(['user:alice', 200]);

    // Signed out: the cookie no longer opens anything.
    const out = await fetch(`${f.url}/api/v1/session`, { method: 'DELETE', headers: { cookie: alice.header } });
    expect(out.headers.getSetCookie().some((c) => /^fluoro_session=; .*Max-Age=0/.test(c))).toBe(true);
    const after = await fetch(`${f.url}/api/v1/about`, { headers: { cookie: alice.header } });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { message: string }).message).toContain('the console session has ended');
  });

  it('locks a user name out for a minute after 10 wrong passwords in a row', async () => {
    for (let i = 0; i < 10; i++) expect((await session('bob', `wrong-${i}`)).status).toBe(403);
    const locked = await session('bob', USERS.bob);
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { message: string }).message).toMatch(/10 wrong passwords in a row for bob; try again in \d+ s/);
    expect((await session('alice', USERS.alice)).status).toBe(200);
  });

  it('refuses a users file that holds a password instead of its hash', async () => {
    const plain = join(dir.path, 'plain.yaml');
    writeFileSync(plain, 'users:\n  - name: carol\n    password: hunter2hunter2\n    roles: [read]\n');
    const out = await startWithKeys(plain, join(dir.path, 'd'));
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('users[0] (carol): password must be a hash from `fluoro hash-password`');
  });

  it('fluoro hash-password prints a hash that signs in', async () => {
    const child = execFile(process.execPath, [CLI, 'hash-password']);
    child.stdin!.end('a-new-password\n');
    const hash = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', () => resolve(out.trim()));
    });
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('a-new-password', hash)).toBe(true);
    expect(await verifyPassword('a-new-password\n', hash)).toBe(false);
  });
});

describe('single sign-on, when it cannot complete', () => {
  const dir = tempDir('fluoro-oidc-');
  let f: TestFluoro;

  beforeAll(async () => {
    // A provider on a loopback port nothing listens on: reserved by listening, then closed.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));
    const keysFile = join(dir.path, 'keys.yaml');
    writeFileSync(
      keysFile,
      JSON.stringify({
        oidc: {
          issuer: `http://127.0.0.1:${port}`,
          clientId: 'fluoro',
          clientSecret: 'fluoro-client-secret-0123',
          redirectUrl: 'http://127.0.0.1:1/api/v1/session/oidc/callback',
          name: 'Dex',
        },
        keys: [{ id: 'AKIDPROMETHEUS0001', secret: 'prometheus-secret-0123', roles: ['read'] }],
      }),
    );
    f = await startTestFluoro(['--auth.keys-file', keysFile]);
  });
  afterAll(async () => {
    await f?.stop();
    dir.remove();
  });

  const noFollow = (path: string, cookie = '') => fetch(`${f.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const errorOf = (res: Response) => new URL(res.headers.get('location')!, f.url).searchParams.get('sign-in-error');

  it('starts with the provider down, offers it, and sends the browser back saying it cannot be reached', async () => {
    expect(await (await fetch(`${f.url}/api/v1/session`)).json()).toEqual({ required: true, user: null, roles: [], oidc: 'Dex' });
    const res = await noFollow('/api/v1/session/oidc');
    expect(res.status).toBe(303);
    expect(errorOf(res)).toMatch(/^cannot reach Dex at http:\/\/127\.0\.0\.1:\d+: /);
  });

  it('refuses a callback the browser did not start, or with a state that is not its own', async () => {
    for (const cookie of ['', 'fluoro_oidc=abc']) {
      const res = await noFollow('/api/v1/session/oidc/callback?code=x&state=def', cookie);
      expect(res.status).toBe(303);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('fluoro_session='))).toBe(false);
      expect(errorOf(res)).toBe('the sign-in came back to a browser that did not start it; sign in again');
    }
    const basic = Buffer.from('AKIDPROMETHEUS0001:prometheus-secret-0123').toString('base64');
    const metrics = await (await fetch(`${f.url}/metrics`, { headers: { authorization: `Basic ${basic}` } })).text();
    expect(metrics).toMatch(/fluoro_console_sign_ins_total\{result="refused"\} 3/);
  });

  it('refuses an oidc section that would talk to a provider over plain HTTP across the network', async () => {
    const file = join(dir.path, 'wide.yaml');
    writeFileSync(
      file,
      JSON.stringify({ oidc: { issuer: 'http://idp.example.com', clientId: 'a', clientSecret: 'b', redirectUrl: 'https://f/cb' } }),
    );
    const out = await startWithKeys(file, join(dir.path, 'd'));
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('oidc: issuer must be https (plain http only for a provider on loopback)');
  });
});

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnFluoro, tempDir, waitFor, type SpawnedFluoro } from './helpers.js';

/** TLS on the HTTP listener from certificate files (issue 11 #11): served, reloaded on SIGHUP, client certificates. */
const dir = tempDir('fluoro-tls-');
const pem = (name: string) => join(dir.path, name);

/** A self-signed certificate for 127.0.0.1 with the given common name, made by Debian's openssl. */
function certificate(cn: string, cert: string, key: string): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      pem(key),
      '-out',
      pem(cert),
    ],
    { stdio: 'ignore' },
  );
}

function get(port: number, options: { ca: Buffer; cert?: Buffer; key?: Buffer }): Promise<{ status: number; cn: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false, ...options }, (res) => {
      const cn = String((res.socket as TLSSocket).getPeerCertificate().subject?.CN ?? '');
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, cn }));
    });
    req.on('error', reject);
    req.end();
  });
}

afterAll(() => dir.remove());

describe('TLS', () => {
  let f: SpawnedFluoro;
  let port: number;
  beforeAll(async () => {
    certificate('first', 'cert.pem', 'key.pem');
    f = await spawnFluoro([
      'start',
      '--data-dir',
      pem('data'),
      '--udp',
      '0',
      '--http',
      '127.0.0.1:0',
      '--tls.cert-file',
      pem('cert.pem'),
      '--tls.key-file',
      pem('key.pem'),
    ]);
    port = Number(new URL(f.url).port);
  });
  afterAll(async () => {
    f?.proc.kill('SIGTERM');
    await f?.exited;
  });

  it('serves HTTPS with the configured certificate, and plain HTTP not at all', async () => {
    expect(await get(port, { ca: readFileSync(pem('cert.pem')) })).toEqual({ status: 200, cn: 'first' });
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('reads a renewed certificate on SIGHUP, without a restart', async () => {
    certificate('second', 'cert.pem', 'key.pem');
    f.proc.kill('SIGHUP');
    const ca = readFileSync(pem('cert.pem'));
    await waitFor(async () => (await get(port, { ca }).catch(() => null))?.cn === 'second', 'the renewed certificate');
  });
});

describe('TLS with client certificates', () => {
  it('refuses a client without a certificate the CA signed, and serves one with it', async () => {
    certificate('server', 'srv.pem', 'srv-key.pem');
    certificate('client', 'client.pem', 'client-key.pem');
    const f = await spawnFluoro([
      'start',
      '--data-dir',
      pem('data2'),
      '--udp',
      '0',
      '--http',
      '127.0.0.1:0',
      '--tls.cert-file',
      pem('srv.pem'),
      '--tls.key-file',
      pem('srv-key.pem'),
      '--tls.client-ca-file',
      pem('client.pem'),
    ]);
    try {
      const port = Number(new URL(f.url).port);
      const ca = readFileSync(pem('srv.pem'));
      await expect(get(port, { ca })).rejects.toThrow();
      expect(await get(port, { ca, cert: readFileSync(pem('client.pem')), key: readFileSync(pem('client-key.pem')) })).toMatchObject({
        status: 200,
      });
    } finally {
      f.proc.kill('SIGTERM');
      await f.exited;
    }
  });
});

import { createServer } from 'node:net';
import { createHash } from 'node:crypto';
import { closeSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envName, flagName, SETTINGS } from '../src/config/schema.js';
import { runFluoro, spawnFluoro, tempDir, xray } from './helpers.js';

describe('the fluoro binary', () => {
  const dir = tempDir('fluoro-cli-');
  afterAll(() => dir.remove());

  it('starts on free ports, says where in one line, and answers health, readiness and metrics', async () => {
    const f = await spawnFluoro(['start', '--data-dir', join(dir.path, 'a'), '--udp', '127.0.0.1:0', '--http', '127.0.0.1:0']);
    try {
      expect(f.udp.port).toBeGreaterThan(0);
      expect(await (await fetch(`${f.url}/healthz`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${f.url}/readyz`)).json()).toEqual({ status: 'ready' });
      const metrics = await (await fetch(`${f.url}/metrics`)).text();
      for (const family of [
        'fluoro_documents_received_total',
        'fluoro_documents_accepted_total',
        'fluoro_documents_rejected_total',
        'fluoro_spans_dropped_total',
        'fluoro_queue_spans',
        'fluoro_batch_write_seconds',
        'fluoro_store_size_bytes',
      ]) {
        expect(metrics).toContain(`# TYPE ${family} `);
      }
      // `npm test` builds the console, so / is the console (a page that says how to send data
      // when Fluoro has none: console.e2e.test.ts).
      const home = await fetch(`${f.url}/`);
      expect(home.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await home.text()).toContain('<title>Fluoro</title>');
    } finally {
      f.proc.kill('SIGINT');
      expect(await f.exited).toBe(0);
    }
  });

  it('takes settings from the environment and a config file, flags winning', async () => {
    const file = join(dir.path, 'fluoro.yaml');
    writeFileSync(file, 'udp: 0\nhttp: 127.0.0.1:7777\ningest:\n  batchMaxSpans: 123\n');
    const out = await runFluoro(['config', '--config', file, '--http', '127.0.0.1:8888'], {
      FLUORO_LOG_LEVEL: 'debug',
      FLUORO_INGEST_BATCH_MAX_SPANS: '456',
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('udp: off');
    expect(out.stdout).toContain('http: 127.0.0.1:8888');
    expect(out.stdout).toContain('logLevel: debug');
    expect(out.stdout).toContain('ingest.batchMaxSpans: "456"');
  });

  it.each([
    [['start', '--udp', 'nonsense'], {}, '--udp: "nonsense" is not an address'],
    [['start', '--bogus', '1'], {}, 'unknown flag --bogus'],
    [['start', '--log-level'], {}, 'flag --log-level needs a value'],
    [['start'], { FLUORO_HTTP: '127.0.0.1:99999' }, 'FLUORO_HTTP: port 99999 in "127.0.0.1:99999" is above 65535'],
    [['start', '--ingest.queue-max-spans', '10'], {}, '--ingest.queue-max-spans: must be between 1000 and 10000000, not 10'],
    [['start', '--config', '/nonexistent/fluoro.yaml'], {}, 'cannot read config file /nonexistent/fluoro.yaml: ENOENT'],
    [['frobnicate'], {}, 'unknown command "frobnicate"'],
  ])('refuses %j with a message naming the bad value', async (args, env, message) => {
    const out = await runFluoro(args as string[], env as Record<string, string>);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(message);
  });

  it('names an unknown key of the config file', async () => {
    const file = join(dir.path, 'bad.yaml');
    writeFileSync(file, 'ingest:\n  queueMaxSpanz: 5\n');
    const out = await runFluoro(['start', '--config', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${file}: unknown key "ingest.queueMaxSpanz"`);
  });

  it('says which address is taken when a port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const out = await runFluoro(['start', '--data-dir', join(dir.path, 'b'), '--udp', '0', '--http', `127.0.0.1:${port}`]);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain(`127.0.0.1:${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('refuses a data directory another Fluoro holds', async () => {
    const data = join(dir.path, 'c');
    const f = await spawnFluoro(['start', '--data-dir', data, '--udp', '0', '--http', '127.0.0.1:0']);
    try {
      const out = await runFluoro(['start', '--data-dir', data, '--udp', '0', '--http', '127.0.0.1:0']);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('is in use by another process');
    } finally {
      f.proc.kill('SIGTERM');
      await f.exited;
    }
  });

  it('names a damaged store as damaged, not as in use', async () => {
    const dir = tempDir();
    try {
      const first = await spawnFluoro(['start', '--data-dir', dir.path, '--udp', '0', '--http', '127.0.0.1:0']);
      first.proc.kill('SIGTERM');
      await first.exited;
      const file = join(dir.path, 'fluoro.duckdb');
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.alloc(64, 0x41), 0, 64, 0);
      closeSync(fd);
      const out = await runFluoro(['start', '--data-dir', dir.path, '--udp', '0', '--http', '127.0.0.1:0']);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain(`the store in ${dir.path} is damaged and cannot be opened`);
      expect(out.stderr).not.toContain('another process');
    } finally {
      dir.remove();
    }
  });

  it('names a damaged data block when a read meets it, and /readyz says the store is damaged', async () => {
    const dir = tempDir();
    const args = ['start', '--data-dir', dir.path, '--udp', '0', '--http', '127.0.0.1:0'];
    try {
      const first = await spawnFluoro(args);
      const now = Math.floor(Date.now() / 1000);
      for (let i = 0; i < 10; i++) {
        const docs = Array.from({ length: 1000 }, (_, j) =>
          JSON.stringify({
            name: 'svc',
            id: (i * 1000 + j + 1).toString(16).padStart(16, '0'),
            trace_id: `1-${now.toString(16)}-${(i * 1000 + j + 1).toString(16).padStart(24, '0')}`,
            start_time: now - 60,
            end_time: now - 59,
            annotations: {
              pad: createHash('sha512')
                .update(String(i * 1000 + j))
                .digest('hex')
                .repeat(4),
            },
          }),
        );
        expect((await xray(first.url, '/TraceSegments', { TraceSegmentDocuments: docs })).status).toBe(200);
      }
      first.proc.kill('SIGTERM');
      await first.exited;
      // Every other 256 KB block of the file's middle half overwritten: the annotations are there.
      const file = join(dir.path, 'fluoro.duckdb');
      const size = statSync(file).size;
      const fd = openSync(file, 'r+');
      for (let at = Math.floor(size / 4 / 262144) * 262144; at < (size * 3) / 4; at += 2 * 262144) {
        writeSync(fd, Buffer.alloc(4096, 0x55), 0, 4096, at + 8);
      }
      closeSync(fd);
      const second = await spawnFluoro(args);
      try {
        const read = await xray(second.url, '/TraceSummaries', {
          StartTime: now - 120,
          EndTime: now,
          FilterExpression: 'annotation.pad = "none"',
        });
        expect(read.status).toBe(500);
        expect(read.body['__type']).toBe('StoreDamagedException');
        expect(read.body['message']).toMatch(/the store's file is damaged \(.*checksum/);
        const ready = await fetch(`${second.url}/readyz`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({ status: 'store_damaged' });
      } finally {
        second.proc.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      dir.remove();
    }
  });

  it('prints a short overview with examples, and every flag with start --help', async () => {
    const overview = await runFluoro(['--help']);
    expect(overview.code).toBe(0);
    const lines = overview.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(25);
    for (const command of ['start', 'config', 'sampling', 'demo', 'hash-password', 'version'])
      expect(overview.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    const examples = lines.slice(lines.indexOf('Examples:') + 1).filter((l) => l.startsWith('  fluoro '));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    expect(examples.length).toBeLessThanOrEqual(5);
    expect(overview.stdout).not.toContain('--storage.duckdb.threads');
    expect(overview.stdout).toContain('fluoro start --help');
    expect((await runFluoro(['help'])).stdout).toBe(overview.stdout);
    const bare = await runFluoro([]);
    expect([bare.code, bare.stdout]).toEqual([2, overview.stdout]);

    const out = await runFluoro(['start', '--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).not.toBe(overview.stdout);
    expect(out.stdout).toContain('--config FILE');
    for (const s of SETTINGS) {
      expect(out.stdout).toContain(`  ${flagName(s.key)} `);
      expect(out.stdout).toContain(envName(s.key));
    }
    expect(out.stdout.split('\n').filter((l) => /^ {2}(FLUORO_\w+=\S+ )?fluoro (start|config)\b/.test(l)).length).toBeGreaterThanOrEqual(3);
    for (const args of [
      ['help', 'start'],
      ['config', '--help'],
    ])
      expect((await runFluoro(args)).stdout).toBe(out.stdout);
  });
});

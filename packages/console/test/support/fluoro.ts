import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const CLI = join(ROOT, 'packages/server/dist/cli.js');
export const CONSOLE_INDEX = join(ROOT, 'packages/console/dist/index.html');

export interface RunningFluoro {
  url: string;
  udp: string;
  /** Base URL of the OTLP/HTTP receiver. */
  otlpHttp: string;
  stop(): Promise<void>;
}

/**
 * Runs the built `fluoro` binary, as a user would, on free loopback ports with a fresh data
 * directory; it serves the built console. `stop` ends it and removes the directory.
 */
export async function startFluoro(extra: string[] = []): Promise<RunningFluoro> {
  for (const [file, what] of [
    [CLI, 'the server'],
    [CONSOLE_INDEX, 'the console'],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${what} is not built (${file} is missing): run npm run build first`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'fluoro-console-'));
  const args = [
    'start',
    '--data-dir',
    dir,
    '--udp',
    '127.0.0.1:0',
    '--http',
    '127.0.0.1:0',
    '--otlp-http',
    '127.0.0.1:0',
    '--otlp-grpc',
    '127.0.0.1:0',
    '--zipkin',
    '127.0.0.1:0',
    '--log-level',
    'warn',
    '--analysis.quiet-ms',
    '50',
    // The fixtures are filed in January 2026: kept however old.
    '--retention.max-age',
    '0',
    ...extra,
  ];
  const proc: ChildProcess = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`fluoro did not start within 20 s:\n${stderr}`)), 20_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const l = out.split('\n').find((x) => x.startsWith('fluoro listening '));
      if (l) {
        clearTimeout(timer);
        resolve(l);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fluoro exited with ${code} before listening:\n${stderr}`));
    });
  });
  return {
    url: `http://${/http=(\S+)/.exec(line)![1]}`,
    udp: /udp=(\S+)/.exec(line)![1]!,
    otlpHttp: `http://${/otlp-http=(\S+)/.exec(line)![1]}`,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** PutTraceSegments; fails the test on any refused document. 200 means stored (durable). */
export async function putSegments(url: string, documents: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < documents.length; i += 500) {
    const res = await fetch(`${url}/TraceSegments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ TraceSegmentDocuments: documents.slice(i, i + 500).map((d) => JSON.stringify(d)) }),
    });
    const body = (await res.json()) as { UnprocessedTraceSegments?: unknown[] };
    if (res.status !== 200 || (body.UnprocessedTraceSegments?.length ?? 0) > 0)
      throw new Error(`PutTraceSegments refused documents: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  }
}

export async function api<T = Record<string, unknown>>(url: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as T;
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

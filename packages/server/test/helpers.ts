import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFluoro, type RunningFluoro } from '../src/app/start.js';
import { formatAddress, type ListenAddress } from '../src/config/address.js';
import { loadConfig } from '../src/config/load.js';
import { silentLogger } from '../src/platform/telemetry/logger.js';
import type { SamplingRule } from '@aws-sdk/client-xray';

export const CLI = new URL('../dist/cli.js', import.meta.url).pathname;

/**
 * Fluoro's OTLP and Zipkin listeners default to fixed ports (4318, 4317, 9411); tests run in
 * parallel, so they are off unless a test asks for them (flags win over these variables).
 */
export const NO_FIXED_PORTS = { FLUORO_OTLP_HTTP: '0', FLUORO_OTLP_GRPC: '0', FLUORO_ZIPKIN: '0' };
/** The fixtures are filed in January 2026: test servers keep traces however old unless a test sets retention. */
export const KEEP_EVERYTHING = { FLUORO_RETENTION_MAX_AGE: '0' };
export const HEADER = '{"format":"json","version":1}\n';

export function tempDir(prefix = 'fluoro-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestFluoro {
  readonly fluoro: RunningFluoro;
  readonly url: string;
  readonly udp: ListenAddress;
  stop(): Promise<void>;
}

/** Starts Fluoro in this process on free loopback ports with a fresh data directory. */
export async function startTestFluoro(flags: string[] = []): Promise<TestFluoro> {
  const dir = tempDir();
  const { config } = loadConfig({
    argv: [
      '--data-dir',
      dir.path,
      '--udp',
      '127.0.0.1:0',
      '--http',
      '127.0.0.1:0',
      '--otlp-http',
      '0',
      '--otlp-grpc',
      '0',
      '--zipkin',
      '0',
      '--log-level',
      'error',
      '--retention.max-age',
      '0', // KEEP_EVERYTHING
      ...flags,
    ],
  });
  const fluoro = await startFluoro(config, silentLogger);
  return {
    fluoro,
    url: `http://${formatAddress(fluoro.http!)}`,
    udp: fluoro.udp!,
    async stop() {
      await fluoro.stop();
      dir.remove();
    },
  };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** POSTs an X-Ray API operation (rest-json) and returns status, headers and parsed body. */
export async function xray<T = Record<string, any>>(url: string, path: string, body: unknown): Promise<ApiResponse<T>> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
}

/** Sends datagrams to the UDP receiver from one socket, in order. */
export async function sendDatagrams(to: ListenAddress, messages: Array<string | Buffer>): Promise<void> {
  const socket = createSocket('udp4');
  try {
    for (const m of messages) {
      await new Promise<void>((resolve, reject) =>
        socket.send(typeof m === 'string' ? Buffer.from(m) : m, to.port, to.host, (err) => (err ? reject(err) : resolve())),
      );
    }
  } finally {
    socket.close();
  }
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The value of one Prometheus sample (0 when absent). Labels must match exactly. */
export async function metric(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const want = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`)
    .join(',');
  const prefix = want ? `${name}{${want}} ` : `${name} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line ? Number(line.slice(prefix.length)) : 0;
}

export interface SpawnedFluoro {
  readonly proc: ChildProcess;
  readonly url: string;
  readonly udp: ListenAddress;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Runs the built `fluoro` binary and waits for its "listening" line. */
export async function spawnFluoro(args: string[], env: Record<string, string> = {}): Promise<SpawnedFluoro> {
  const proc = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...NO_FIXED_PORTS, ...KEEP_EVERYTHING, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const l = out.split('\n').find((x) => x.startsWith('fluoro listening '));
      if (l) resolve(l);
    });
    void exited.then((code) => reject(new Error(`fluoro exited with ${code} before listening:\n${err}`)));
    setTimeout(() => reject(new Error(`fluoro did not start within 20 s:\n${err}`)), 20_000);
  });
  const udp = /udp=(\S+)/.exec(line)![1]!;
  const http = /http=(\S+)/.exec(line)![1]!;
  const [host, port] = udp.split(':');
  return { proc, url: `http://${http}`, udp: { host: host!, port: Number(port) }, stderr: () => err, exited };
}

/** Runs the built `fluoro` binary to completion (for commands and start-up failures). */
export function runFluoro(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...NO_FIXED_PORTS, ...KEEP_EVERYTHING, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A sampling rule as CreateSamplingRule takes it, matching `/api/*` of any service unless `over` says otherwise. */
export const samplingRule = (name: string, over: Partial<SamplingRule> = {}): SamplingRule => ({
  RuleName: name,
  ResourceARN: '*',
  Priority: 100,
  FixedRate: 0.1,
  ReservoirSize: 5,
  ServiceName: '*',
  ServiceType: '*',
  Host: '*',
  HTTPMethod: '*',
  URLPath: '/api/*',
  Version: 1,
  ...over,
});

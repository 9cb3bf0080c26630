// Shared by the benchmark scripts: a Fluoro process to measure, its metrics and memory.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** `--name value` arguments as an object. */
export function parseArgs(argv = process.argv.slice(2)) {
  return Object.fromEntries(argv.reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
}

export const machine = () => ({ cpus: cpus().length, model: cpus()[0].model, node: process.version });

/**
 * Starts `fluoro start` with the given flags (the fixed-port OTLP/Zipkin listeners off unless
 * given) and resolves once it listens: its addresses, and helpers to read its metrics and memory.
 */
export async function startFluoro(flags) {
  // BENCH_NODE_ARGS: Node flags for Fluoro only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(
    process.execPath,
    [
      ...nodeArgs,
      `${root}packages/server/dist/cli.js`,
      'start',
      '--otlp-http',
      '0',
      '--otlp-grpc',
      '0',
      '--zipkin',
      '0',
      '--log-level',
      'warn',
      ...flags,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise((resolve, reject) => {
    let buf = '';
    proc.stdout.on('data', (d) => {
      buf += d;
      const l = buf.split('\n').find((x) => x.startsWith('fluoro listening'));
      if (l) resolve(l);
    });
    proc.on('exit', (c) => reject(new Error(`fluoro exited ${c}`)));
  });
  const address = (name) => new RegExp(`(?:^| )${name}=(\\S+)`).exec(line)?.[1];
  const url = `http://${address('http')}`;
  return {
    proc,
    url,
    address,
    /** Sum of a metric's series, by name. */
    async metrics(names) {
      const text = await (await fetch(`${url}/metrics`)).text();
      const get = (name) => {
        let sum = 0;
        for (const l of text.split('\n'))
          if (l.startsWith(name) && (l[name.length] === ' ' || l[name.length] === '{')) sum += Number(l.split(' ').pop());
        return sum;
      };
      return Object.fromEntries(Object.entries(names).map(([k, name]) => [k, get(name)]));
    },
    rss() {
      const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
      const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)[1]);
      return { peakMB: kb('VmHWM') / 1024, nowMB: kb('VmRSS') / 1024 };
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.on('exit', r));
    },
  };
}

/** Waits until `progress()` stops changing for two seconds and `busy()` is false. */
export async function settle(progress, busy) {
  let last = -1;
  for (;;) {
    const p = await progress();
    if (p === last && !(await busy())) return;
    last = p;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

export const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))], n: s.length };
};

/** Runs a sender script to completion and returns the JSON it prints. */
export function runSender(script, args) {
  const sender = spawn(process.execPath, [`${root}bench/${script}`, ...args.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    sender.stdout.on('data', (d) => (buf += d));
    sender.on('exit', (code) => (code === 0 ? resolve(JSON.parse(buf)) : reject(new Error(`${script} exited ${code}`))));
  });
}

/** POSTs JSON and times the answer; throws unless it is a 200. */
export async function timedPost(url, path, body) {
  const t = performance.now();
  const res = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return { ms: performance.now() - t, json };
}

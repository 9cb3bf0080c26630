#!/usr/bin/env node
// `npm start`: installs what is missing, builds what is stale, and runs Fluoro in the foreground
// with its data in ./fluoro-data, and beside it the demo shop (examples/shop) with its load and
// chaos. Extra arguments go to `fluoro start`; `--no-demo` (or FLUORO_DEMO=off) leaves the shop out:
//   npm start -- --http 127.0.0.1:8080
//   npm start -- --no-demo
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(what, command, args) {
  console.error(`[start] ${what}`);
  const r = spawnSync(command, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[start] failed: ${command} ${args.join(' ')} (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync('package-lock.json').mtimeMs > statSync(installed).mtimeMs) {
  step('installing dependencies (npm ci)', npm, ['ci', '--no-audit', '--no-fund']);
}
step('building', process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'packages/server', 'examples/shop']);

// The web console is built when missing or older than its sources (Fluoro serves it at /).
function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}
const consoleIndex = 'packages/console/dist/index.html';
const consoleSources = [
  'packages/console/src',
  'packages/console/index.html',
  'packages/console/public',
  'packages/console/vite.config.ts',
  'packages/core/dist',
  'packages/contracts/dist',
];
if (!existsSync(consoleIndex) || Math.max(...consoleSources.filter((p) => existsSync(p)).map(newest)) > statSync(consoleIndex).mtimeMs) {
  step('building the web console', npm, ['run', 'build', '-w', 'packages/console']);
}

const args = process.argv.slice(2).filter((a) => a !== '--no-demo');
const withDemo = !process.argv.includes('--no-demo') && process.env.FLUORO_DEMO !== 'off';

// Fluoro runs in its own process group: Ctrl-C in a terminal signals the whole foreground group,
// and Fluoro must get it once (from here), since a second signal means "exit without draining".
const fluoro = spawn(process.execPath, ['packages/server/dist/cli.js', 'start', ...args], {
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
});
let demo = null;
let stopping = false;

function stopFluoro(signal = 'SIGTERM') {
  stopping = true;
  if (fluoro.exitCode === null) fluoro.kill(signal);
}
// Stops the demo first (its services flush their last spans into Fluoro), then Fluoro.
function stopAll(signal) {
  if (stopping) return stopFluoro(signal); // a second signal: Fluoro exits without draining
  stopping = true;
  if (demo && demo.exitCode === null) demo.kill('SIGINT');
  else stopFluoro(signal);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(signal === 'SIGHUP' ? 'SIGTERM' : signal));
process.on('exit', () => {
  if (demo?.exitCode === null) demo.kill('SIGKILL');
  if (fluoro.exitCode === null) fluoro.kill('SIGTERM');
});
fluoro.on('exit', (code, signal) => {
  if (demo?.exitCode === null) demo.kill('SIGTERM');
  process.exit(code ?? (signal ? 1 : 0));
});

// Fluoro's stdout passes through; its "listening" line says where the demo sends its traces.
let buffered = '';
fluoro.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (buffered === null) return;
  buffered += chunk.toString();
  const line = buffered.split('\n').find((l) => l.startsWith('fluoro listening '));
  if (!line) return;
  buffered = null;
  const at = Object.fromEntries(
    line
      .split(' ')
      .slice(2)
      .map((kv) => kv.split('=')),
  );
  const consoleUrl = at.http === 'off' ? null : `http://${at.http}/`;
  if (!withDemo || at.http === 'off' || at.udp === 'off') {
    console.error(
      `[start] Fluoro is running${consoleUrl ? `: open ${consoleUrl}` : ''}${withDemo ? ' (the demo needs the UDP and HTTP listeners: not started)' : ''}; Ctrl-C stops it`,
    );
    return;
  }
  startDemo(at, consoleUrl);
});

function startDemo(at, consoleUrl) {
  const otlp = at['otlp-http'] && at['otlp-http'] !== 'off' ? at['otlp-http'] : at.http;
  // Not in a process group of its own: in a terminal it reads keys (c toggles chaos, Ctrl-C stops).
  demo = spawn(
    process.execPath,
    ['examples/shop/dist/bin/demo.js', '--fluoro-http', at.http, '--fluoro-udp', at.udp, '--fluoro-otlp', otlp],
    { stdio: ['inherit', 'pipe', 'inherit'] },
  );
  let announced = false;
  demo.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (!announced && chunk.toString().includes('demo shop running')) {
      announced = true;
      console.error(`\n[start] Fluoro and the demo shop are running. Open the console: ${consoleUrl}`);
      console.error(
        '[start] the service map shows the whole shop within about 90 s (it draws settled minutes); chaos events are logged here with their times\n',
      );
    }
  });
  demo.on('exit', (code, signal) => {
    // Stopped by the user (Ctrl-C reaches the demo first in a terminal): stop Fluoro too.
    if (stopping || code === 0) return stopFluoro();
    console.error(`[start] the demo shop stopped (${signal ?? `exit ${code}`}); Fluoro keeps running at ${consoleUrl}`);
  });
}

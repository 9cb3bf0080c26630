#!/usr/bin/env node
// `npm start`: installs what is missing, builds what is stale, and runs Fluoro in the foreground
// with its data in ./fluoro-data. Extra arguments go to `fluoro start`:
//   npm start -- --http 127.0.0.1:8080
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
step('building', process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'packages/server']);

// The web console is built when missing or older than its sources (Fluoro serves it at /).
function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}
const consoleIndex = 'packages/console/dist/index.html';
const consoleSources = ['packages/console/src', 'packages/console/index.html', 'packages/console/public', 'packages/console/vite.config.ts', 'packages/core/dist'];
if (!existsSync(consoleIndex) || Math.max(...consoleSources.filter((p) => existsSync(p)).map(newest)) > statSync(consoleIndex).mtimeMs) {
  step('building the web console', npm, ['run', 'build', '-w', 'packages/console']);
}

// Fluoro runs in its own process group: Ctrl-C in a terminal signals the whole foreground group,
// and Fluoro must get it once (from here), since a second signal means "exit without draining".
const child = spawn(process.execPath, ['packages/server/dist/cli.js', 'start', ...process.argv.slice(2)], { stdio: 'inherit', detached: true });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal));
process.on('exit', () => {
  if (child.exitCode === null) child.kill('SIGTERM');
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

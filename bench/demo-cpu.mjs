#!/usr/bin/env node
// What `npm start` costs the machine: Fluoro and the demo shop at the default rate, CPU measured.
//
//   node bench/demo-cpu.mjs [--seconds 120] [--rate 5] [--chaos off]
//
// Starts a fresh `fluoro start` and the demo shop (startShop, as `npm start` runs it: nine Node
// processes plus the load generator in this process), lets it warm up for 20 s, then reads the CPU
// time every process used over the measured window from /proc (utime + stime of Fluoro, each shop
// process, and this process). Prints CPU as a share of the machine's cores, and Fluoro's RSS.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { machine, parseArgs, root, startFluoro } from './lib.mjs';
import { startShop } from '../examples/shop/dist/index.js';

const args = parseArgs();
const seconds = Number(args.seconds ?? 120);
const rate = Number(args.rate ?? 5);
const chaos = (args.chaos ?? 'off') === 'on';
const out = `${root}bench/out`;
mkdirSync(out, { recursive: true });
const TICKS = 100; // USER_HZ on Linux

/** CPU seconds a process has used so far (0 once it is gone). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

const dataDir = `${out}/demo-cpu-data`;
rmSync(dataDir, { recursive: true, force: true });
const fluoro = await startFluoro(['--data-dir', dataDir, '--udp', '127.0.0.1:0', '--http', '127.0.0.1:0']);
const shop = await startShop({ fluoro: { udp: fluoro.address('udp'), http: fluoro.address('http') }, rate, chaos, log: () => {} });
await new Promise((r) => setTimeout(r, 20_000));

const pids = () => ({ fluoro: fluoro.proc.pid, ...Object.fromEntries(shop.services.map((s) => [s.name, s.pid])) });
const before = Object.fromEntries(Object.entries(pids()).map(([k, pid]) => [k, cpuSeconds(pid)]));
const self0 = process.cpuUsage();
const sent0 = shop.load.sent;
const t0 = performance.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
const wall = (performance.now() - t0) / 1000;
const after = Object.fromEntries(Object.entries(pids()).map(([k, pid]) => [k, cpuSeconds(pid)]));
const self = process.cpuUsage(self0);
const perProcess = Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] - before[k]) / wall]));
perProcess['load generator'] = (self.user + self.system) / 1e6 / wall;
const shopCores = Object.entries(perProcess)
  .filter(([k]) => k !== 'fluoro')
  .reduce((a, [, v]) => a + v, 0);
const total = shopCores + perProcess.fluoro;
const requests = shop.load.sent - sent0;
const rss = fluoro.rss();
await shop.stop();
await fluoro.stop();
rmSync(dataDir, { recursive: true, force: true });

const pct = (cores) => `${((cores / cpus().length) * 100).toFixed(1)}%`;
console.log(
  `demo at ${rate} requests/s, chaos ${chaos ? 'on' : 'off'}, ${wall.toFixed(0)} s measured after 20 s warm-up: ${requests} requests (${(requests / wall).toFixed(1)}/s)`,
);
console.log(
  `CPU of the machine (${cpus().length} cores): Fluoro + shop ${pct(total)} (Fluoro ${pct(perProcess.fluoro)}, shop ${pct(shopCores)}); Fluoro RSS ${rss.nowMB.toFixed(0)} MB (peak ${rss.peakMB.toFixed(0)} MB)`,
);
console.log(
  `per process (share of one core): ${Object.entries(perProcess)
    .map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`)
    .join(', ')}`,
);
const file = `${out}/demo-cpu-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`;
writeFileSync(
  file,
  JSON.stringify(
    { machine: machine(), rate, chaos, seconds: wall, requests, perProcess, totalShareOfMachine: total / cpus().length, rss },
    null,
    2,
  ),
);
console.log(`written ${file}`);

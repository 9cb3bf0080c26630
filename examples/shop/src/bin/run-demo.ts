/**
 * The demo shop on its own, against a Fluoro given by address: `fluoro demo` and the
 * `fluoro-demo-shop` binary both run this. Prints
 * where the shop listens, then chaos events and a load summary each minute; `c` or SIGUSR2
 * toggles chaos; Ctrl-C stops every process it started.
 */
import { startShop } from '../shop.js';
import { ArgsError, parseArgs, USAGE, type DemoArgs } from './args.js';

async function fluoroReachable(http: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://${http}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function main(args: DemoArgs): Promise<number> {
  if (!(await fluoroReachable(args.fluoroHttp, 10_000))) {
    process.stderr.write(`demo: no Fluoro answers at http://${args.fluoroHttp}/healthz; start one (fluoro start) or give --fluoro-http\n`);
    return 1;
  }
  const shop = await startShop({
    fluoro: { http: args.fluoroHttp, udp: args.fluoroUdp, otlpHttp: args.fluoroOtlp },
    rate: args.rate,
    chaos: args.chaos,
    chaosEveryMs: args.chaosEveryMs,
    ...(args.durationMs !== undefined ? { durationMs: args.durationMs } : {}),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const width = Math.max(...shop.services.map((s) => s.name.length));
  process.stdout.write(
    `demo shop running: frontend ${shop.frontendUrl}/api/products, ${args.rate} requests/s, chaos ${shop.chaosEnabled ? 'on' : 'off'}\n` +
      shop.services
        .map(
          (s) =>
            `  ${s.name.padEnd(width)}  ${s.url}  ${s.instrumentation === 'none' ? 'not instrumented' : s.instrumentation === 'xray' ? 'X-Ray SDK' : 'OpenTelemetry'}: ${s.description}`,
        )
        .join('\n') +
      `\n${process.stdin.isTTY ? 'press c to turn chaos on/off, ' : ''}kill -USR2 ${process.pid} toggles chaos; Ctrl-C stops\n`,
  );

  const toggle = (): void => shop.setChaos(!shop.chaosEnabled);
  process.on('SIGUSR2', toggle);
  let signals = 0;
  const onSignal = (): void => {
    if (++signals > 1) {
      process.stderr.write('demo: second signal: exiting now\n');
      process.exit(130); // the shop's exit hook kills every child
    }
    process.stdout.write('demo: stopping the shop\n');
    void shop.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (process.stdin.isTTY) {
    // Raw mode: keys arrive one by one; Ctrl-C arrives as a byte, not as SIGINT.
    process.stdin.setRawMode(true);
    process.stdin.on('data', (key: Buffer) => {
      const k = key.toString();
      if (k === 'c' || k === 'C') toggle();
      else if (k === '\u0003') onSignal();
    });
  }
  await shop.done;
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stdin.pause();
  const l = shop.load;
  process.stdout.write(
    `demo: stopped after ${l.sent} requests; ${shop.events.filter((e) => e.phase === 'start').length} chaos incidents\n`,
  );
  return 0;
}

/** Runs the demo with command-line arguments until it stops; resolves with the exit code. */
export async function runDemo(argv: readonly string[]): Promise<number> {
  let args: DemoArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err;
    process.stderr.write(`demo: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  return main(args);
}

#!/usr/bin/env node
// First: sizes libuv's thread pool before anything starts it.
import './platform/threadpool.js';
import { stringify } from 'yaml';
import { startFluoro } from './app/start.js';
import { demoCommand } from './cli/demo-command.js';
import { OVERVIEW, START_USAGE } from './cli/help.js';
import { SAMPLING_USAGE, samplingCommand } from './cli/sampling-command.js';
import { HASH_PASSWORD_USAGE, hashPasswordCommand } from './cli/hash-password-command.js';
import { formatAddress } from './config/address.js';
import { ConfigError, loadConfig } from './config/load.js';
import { getPath, SETTINGS } from './config/schema.js';
import { createLogger } from './platform/telemetry/logger.js';
import { VERSION } from './version.js';

async function main(argv: string[]): Promise<number> {
  let [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || (command === 'help' && rest.length === 0)) {
    process.stdout.write(OVERVIEW);
    return command === undefined ? 2 : 0;
  }
  // `fluoro help start` is `fluoro start --help`.
  if (command === 'help') [command, rest] = [rest[0]!, ['--help']];
  if ((command === 'start' || command === 'config') && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(START_USAGE);
    return 0;
  }
  if (command === 'version' || command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === 'sampling') {
    if (rest.includes('--help') || rest.length === 0) {
      process.stdout.write(SAMPLING_USAGE);
      return rest.length === 0 ? 2 : 0;
    }
    return samplingCommand(rest, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
  }
  if (command === 'demo') return demoCommand(rest, (t) => process.stderr.write(t));
  if (command === 'hash-password') {
    if (rest.includes('--help')) {
      process.stdout.write(HASH_PASSWORD_USAGE);
      return 0;
    }
    return hashPasswordCommand(
      process.stdin,
      (t) => process.stdout.write(t),
      (t) => process.stderr.write(t),
    );
  }
  if (command !== 'start' && command !== 'config') {
    process.stderr.write(`fluoro: unknown command "${command}"\n\n${OVERVIEW}`);
    return 2;
  }
  let loaded;
  try {
    loaded = loadConfig({ argv: rest, env: process.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`fluoro: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const { config, warnings } = loaded;
  if (command === 'config') {
    const shown: Record<string, unknown> = {};
    for (const s of SETTINGS) shown[s.key] = s.show(getPath(config, s.key));
    process.stdout.write(stringify(shown));
    return 0;
  }

  const log = createLogger(config.logLevel, config.logFormat);
  for (const w of warnings) log.warn(w);
  let fluoro;
  try {
    fluoro = await startFluoro(config, log);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`fluoro: ${err.message}\n`);
      return 2;
    }
    const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
    const detail =
      e.code === 'EADDRINUSE' ? `${e.address}:${e.port} is already in use (set another --udp/--http address, or 0 to disable)` : e.message;
    process.stderr.write(`fluoro: cannot start: ${detail}\n`);
    return 1;
  }
  const show = (a: typeof fluoro.udp): string => (a ? formatAddress(a) : 'off');
  const where = {
    udp: show(fluoro.udp),
    http: show(fluoro.http),
    'otlp-http': show(fluoro.otlpHttp),
    'otlp-grpc': show(fluoro.otlpGrpc),
    zipkin: show(fluoro.zipkin),
  };
  process.stdout.write(
    `fluoro listening ${Object.entries(where)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')} data=${fluoro.dataDir}\n`,
  );
  log.info('Fluoro started', { version: VERSION, ...where, data: fluoro.dataDir, store: fluoro.store.kind });

  return new Promise<number>((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) {
        log.warn('second signal: exiting without draining', { signal });
        resolve(130);
        return;
      }
      signalled = true;
      log.info('stopping: draining the ingest queue and closing the store', { signal });
      fluoro.stop().then(
        () => {
          log.info('stopped');
          resolve(0);
        },
        (err: unknown) => {
          log.error('stopping failed', { error: (err as Error).message });
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fluoro: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);

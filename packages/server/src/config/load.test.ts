import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAddress } from './address.js';
import { ConfigError, loadConfig } from './load.js';
import { envName, flagName } from './schema.js';

const dir = mkdtempSync(join(tmpdir(), 'fluoro-config-'));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const problemsOf = (fn: () => unknown): readonly string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('no ConfigError');
};

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const { config } = loadConfig();
    expect(config).toMatchObject({
      dataDir: './fluoro-data',
      udp: { host: '127.0.0.1', port: 2000 },
      http: { host: '127.0.0.1', port: 2000 },
      logLevel: 'info',
      storage: { kind: 'duckdb' },
    });
  });

  it('applies file, then environment, then flags', () => {
    const path = file('a.yaml', 'dataDir: /from/file\nlogLevel: warn\ningest:\n  batchMaxSpans: 111\n  flushIntervalMs: 5\n');
    const { config } = loadConfig({
      argv: ['--config', path, '--log-level', 'debug', '--ingest.batch-max-spans=333'],
      env: { FLUORO_LOG_LEVEL: 'error', FLUORO_INGEST_BATCH_MAX_SPANS: '222', FLUORO_DATA_DIR: '/from/env' },
    });
    expect(config.dataDir).toBe('/from/env');
    expect(config.logLevel).toBe('debug');
    expect(config.ingest.batchMaxSpans).toBe(333);
    expect(config.ingest.flushIntervalMs).toBe(5);
  });

  it('takes a yes/no flag on its own as yes, and still takes a value', () => {
    expect(loadConfig({ argv: ['--insecure'], env: {} }).config.insecure).toBe(true);
    expect(loadConfig({ argv: ['--insecure', '--log-level', 'warn'], env: {} }).config.insecure).toBe(true);
    expect(loadConfig({ argv: ['--insecure', 'false'], env: {} }).config.insecure).toBe(false);
    expect(() => loadConfig({ argv: ['--log-level'], env: {} })).toThrow('flag --log-level needs a value');
  });

  it('reads the config file from FLUORO_CONFIG, with dotted keys and JSON', () => {
    const path = file('b.json', '{"ingest.queueMaxBytes": "64MB", "udp": 0}');
    const { config } = loadConfig({ env: { FLUORO_CONFIG: path } });
    expect(config.ingest.queueMaxBytes).toBe(64 * 1024 * 1024);
    expect(config.udp).toBeNull();
  });

  it('reports every problem at once, each naming its source', () => {
    const path = file('c.yaml', 'http: nowhere\nstorage:\n  kind: postgres\n');
    expect(
      problemsOf(() =>
        loadConfig({ argv: ['--config', path, '--udp', 'x:y', '--nope', '1'], env: { FLUORO_API_SUMMARIES_PAGE_SIZE: 'many' } }),
      ),
    ).toEqual([
      `${path}: http: "nowhere" is not an address (expected host:port, a port, or 0 to disable)`,
      `${path}: storage.kind: must be one of duckdb, not "postgres"`,
      'FLUORO_API_SUMMARIES_PAGE_SIZE: must be an integer, not "many"',
      '--udp: "x:y" has no valid port',
      'unknown flag --nope (see fluoro start --help)',
    ]);
  });

  it('refuses a config file that is not a mapping or not YAML', () => {
    expect(problemsOf(() => loadConfig({ argv: ['--config', file('d.yaml', '- a\n- b\n')] }))[0]).toContain(
      'must hold a mapping of settings',
    );
    expect(problemsOf(() => loadConfig({ argv: ['--config', file('e.yaml', 'a: [\n')] }))[0]).toContain('not valid YAML or JSON');
  });

  it('warns about unknown FLUORO_ variables instead of failing', () => {
    expect(loadConfig({ env: { FLUORO_SOMETHING: '1' } }).warnings).toEqual(['ignoring unknown environment variable FLUORO_SOMETHING']);
  });

  it('names variables and flags from keys', () => {
    expect(envName('ingest.queueMaxSpans')).toBe('FLUORO_INGEST_QUEUE_MAX_SPANS');
    expect(flagName('ingest.queueMaxSpans')).toBe('--ingest.queue-max-spans');
    expect(flagName('dataDir')).toBe('--data-dir');
  });
});

describe('parseAddress', () => {
  it.each([
    ['127.0.0.1:2000', { host: '127.0.0.1', port: 2000 }],
    ['0.0.0.0:0', { host: '0.0.0.0', port: 0 }],
    ['[::1]:4317', { host: '::1', port: 4317 }],
    ['9411', { host: '127.0.0.1', port: 9411 }],
    ['0', null],
    ['off', null],
  ])('%s', (text, expected) => expect(parseAddress(text)).toEqual(expected));

  it.each(['localhost', ':', 'a:b:c', 'host:70000', 'host:-1'])('refuses %s', (text) => {
    expect(parseAddress(text)).toHaveProperty('error');
  });
});

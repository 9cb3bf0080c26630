import { describe, expect, expectTypeOf, it } from 'vitest';
import type { LogLevel } from '../platform/telemetry/logger.js';
import type { StorageConfig } from '../storage/config.js';
import type { ListenAddress } from './address.js';
import { defaultConfig, envName, getPath, flagName, SETTINGS, type FluoroConfig } from './schema.js';

describe('the composed schema', () => {
  it('infers the configuration from the modules’ settings', () => {
    expectTypeOf<FluoroConfig['dataDir']>().toEqualTypeOf<string>();
    expectTypeOf<FluoroConfig['udp']>().toEqualTypeOf<ListenAddress | null>();
    expectTypeOf<FluoroConfig['logLevel']>().toEqualTypeOf<LogLevel>();
    expectTypeOf<FluoroConfig['logFormat']>().toEqualTypeOf<'text' | 'json'>();
    expectTypeOf<FluoroConfig['ingest']>().toEqualTypeOf<{
      readonly queueMaxSpans: number;
      readonly queueMaxBytes: number;
      readonly batchMaxSpans: number;
      readonly flushIntervalMs: number;
      readonly udpReceiveBufferBytes: number;
    }>();
    expectTypeOf<FluoroConfig['otel']['annotations']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<FluoroConfig['storage']>().toEqualTypeOf<StorageConfig>();
    expectTypeOf<StorageConfig['kind']>().toEqualTypeOf<'duckdb'>();
  });

  it('gives every setting its own variable and flag', () => {
    expect(new Set(SETTINGS.map((s) => envName(s.key))).size).toBe(SETTINGS.length);
    expect(new Set(SETTINGS.map((s) => flagName(s.key))).size).toBe(SETTINGS.length);
  });

  it('holds each default at its key', () => {
    const config = defaultConfig();
    for (const s of SETTINGS) expect(getPath(config, s.key), s.key).toEqual(s.default);
    expect(config.storage.duckdb.memoryLimit).toBe('2GB');
  });
});

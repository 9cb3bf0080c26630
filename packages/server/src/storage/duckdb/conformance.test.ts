import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runFilterConformance, runRecordConformance, runStorageConformance } from '../conformance/suite.js';
import { openDuckDb } from './backend.js';

const dir = mkdtempSync(join(tmpdir(), 'fluoro-duckdb-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStorageConformance('duckdb (file)', () =>
  openDuckDb({ path: join(dir, 'conformance.duckdb'), threads: 2, memoryLimit: '', readConnections: 2, checkpointThreshold: '16MB' }),
);
runFilterConformance('duckdb (file)', () =>
  openDuckDb({ path: join(dir, 'filters.duckdb'), threads: 2, memoryLimit: '', readConnections: 2, checkpointThreshold: '16MB' }),
);
runRecordConformance('duckdb (file)', () =>
  openDuckDb({ path: join(dir, 'records.duckdb'), threads: 1, memoryLimit: '', readConnections: 1, checkpointThreshold: '16MB' }),
);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runConformance } from '../conformance/index.js';
import { openDuckDb } from './backend.js';

const dir = mkdtempSync(join(tmpdir(), 'fluoro-duckdb-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const options = (path: string) => ({ path, threads: 2, memoryLimit: '', readConnections: 2, checkpointThreshold: '16MB' });
runConformance({
  name: 'duckdb (file)',
  durable: true,
  open: () => openDuckDb(options(join(dir, `store-${++n}.duckdb`))),
  reopen: () => openDuckDb(options(join(dir, `store-${n}.duckdb`))),
});

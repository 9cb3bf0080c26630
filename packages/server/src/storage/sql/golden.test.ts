import { readdirSync } from 'node:fs';
import { format } from 'sql-formatter';
import { describe, expect, it } from 'vitest';
import { clickhouseDialect } from '../clickhouse/dialect.js';
import { duckdbDialect } from '../duckdb/dialect.js';
import type { SqlDialect } from './dialect.js';
import { compile } from './fragment.js';
import { GOLDEN_CASES } from './golden.cases.js';

/**
 * Golden SQL: what each dialect makes of each golden query, in readable files
 * (`golden/<dialect>/<name>.sql`). A change to a plan, the compiler or a dialect shows up as a
 * diff of these files; after checking it, regenerate them with `npm run golden` (vitest -u).
 */
export function goldenText(name: string, d: SqlDialect, filter?: string): string {
  const { text, params } = compile(GOLDEN_CASES.find((c) => c.name === name)!.build(d), d);
  const header = [
    `-- ${name} (${d.name}; generated: npm run golden)`,
    ...(filter ? [`-- filter: ${filter}`] : []),
    `-- params: ${JSON.stringify(params)}`,
  ];
  return `${header.join('\n')}\n${format(text, { language: d.name, tabWidth: 2, keywordCase: 'preserve', paramTypes: d.name === 'clickhouse' ? { custom: [{ regex: String.raw`\{p\d+:[A-Za-z0-9()]+\}` }] } : undefined })}\n`;
}

describe.each([duckdbDialect, clickhouseDialect])('golden SQL: $name', (d) => {
  it.each(GOLDEN_CASES.map((c) => [c.name, c.filter] as const))('%s', async (name, filter) => {
    await expect(goldenText(name, d, filter)).toMatchFileSnapshot(`golden/${d.name}/${name}.sql`);
  });
});

it('keeps no golden file without a case (delete stale ones when a case goes)', () => {
  for (const d of ['duckdb', 'clickhouse']) {
    const files = readdirSync(new URL(`golden/${d}/`, import.meta.url)).map((f) => f.replace(/\.sql$/, ''));
    expect(files.sort()).toEqual(GOLDEN_CASES.map((c) => c.name).sort());
  }
});

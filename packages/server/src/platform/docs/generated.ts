import { KEYWORDS, OPERATORS, REJECT_CODES, type Context } from '@fluoro/core';
import { renderConfigReference } from '../../config/schema.js';
import { ERROR_CATALOG } from '../errors/catalog.js';
import { OPERATIONS } from '../../api/xray/model.js';
import { IMPLEMENTED } from '../../api/xray/routes.js';

/**
 * Sections of docs/ generated from the code they describe. `npm run docs` rewrites them between
 * `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`; a test fails when they drift.
 */
export const GENERATED_SECTIONS: Record<string, { file: string; render: () => string }> = {
  config: { file: 'docs/configuration.md', render: renderConfigReference },
  errors: {
    file: 'docs/errors.md',
    render: () =>
      [
        '| Code | HTTP status | `x-amzn-ErrorType` / `__type` | When |',
        '|---|---|---|---|',
        ...Object.entries(ERROR_CATALOG).map(([code, e]) => `| \`${code}\` | ${e.status} | \`${e.type}\` | ${e.summary} |`),
      ].join('\n'),
  },
  'reject-codes': { file: 'docs/errors.md', render: () => REJECT_CODES.map((c) => `\`${c}\``).join(', ') },
  'filter-keywords': { file: 'docs/filter-expressions.md', render: renderKeywords },
  operations: {
    file: 'docs/xray-api.md',
    render: () =>
      [
        '| Operation | Path | Fluoro |',
        '|---|---|---|',
        ...[...OPERATIONS]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(
            (op) =>
              `| ${op.name} | \`${op.http.method} ${op.http.requestUri}\` | ${IMPLEMENTED.has(op.name) ? 'implemented' : 'not yet (answers `InvalidRequestException`)'} |`,
          ),
      ].join('\n'),
  },
};

/** The keyword reference of docs/filter-expressions.md, from the table the checker uses. */
function renderKeywords(): string {
  const contexts: Array<[Context, string]> = [
    ['trace', 'Top level'],
    ['service', 'In `service() { }`'],
    ['edge', 'In `edge() { }`'],
    ['rc.service', 'In `rootcause.*.service { }`'],
    ['rc.entity', 'In `rootcause.*.entity { }`'],
    ['rc.exception', 'In `rootcause.*.exception { }`'],
  ];
  const op = (o: string): string => `\`${o.length > 2 ? o.toUpperCase() : o}\``;
  return [
    `| Keyword | Type | Operators | ${contexts.map(([, label]) => label).join(' | ')} |`,
    `|---|---|---|${contexts.map(() => '---').join('|')}|`,
    ...KEYWORDS.map((k) => {
      const cells = contexts.map(([c]) => k.meaning[c] ?? '');
      const ops = OPERATORS[k.type].map(op).join(' ');
      return `| \`${k.name}\` | ${k.type} | ${ops} | ${cells.join(' | ')} |`;
    }),
  ].join('\n');
}

export function replaceSection(markdown: string, name: string, body: string): string {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const i = markdown.indexOf(start);
  const j = markdown.indexOf(end);
  if (i < 0 || j < i) throw new Error(`no ${start} … ${end} section`);
  return `${markdown.slice(0, i + start.length)}\n${body}\n${markdown.slice(j)}`;
}

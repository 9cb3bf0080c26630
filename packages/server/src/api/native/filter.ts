import { analyzeFilter, CONTEXT_LABEL, KEYWORDS, OPERATORS, parseFilter, print } from '@fluoro/core';
import type { AnalyzeRequest, AnalyzeResponse, KeywordsResponse } from '@fluoro/contracts';
import { invalidRequest } from '../../platform/errors/catalog.js';
import { jsonResponse, READ, type Router } from '../../platform/http/router.js';
import type { Unvalidated } from '../inputs.js';

/** The console's reads. */

/**
 * Fluoro's own API for filter expressions (the console's search bar uses it):
 *
 * `POST /api/v1/filter/analyze` `{"expression": "...", "entitySelector": false}` →
 * `{ valid, canonical?, tokens: [{start, end, class}], diagnostics: [{code, message, line, column, start, end}] }`.
 * Works on unfinished expressions: tokens cover the whole input, diagnostics say where it stops
 * making sense.
 *
 * `GET /api/v1/filter/keywords` → every keyword with its type, operators and meaning per context.
 */
export function mountFilterApi(router: Router): void {
  router.add('POST', '/api/v1/filter/analyze', READ, async (req) => {
    const body = (await req.json()) as Unvalidated<AnalyzeRequest>;
    if (typeof body.expression !== 'string') throw invalidRequest('"expression" must be a string');
    if (body.expression.length > 10_000) throw invalidRequest('"expression" is longer than 10000 characters');
    const options = { entitySelector: body.entitySelector === true };
    const analysis = analyzeFilter(body.expression, options);
    const result = body.expression.trim() ? parseFilter(body.expression, options) : null;
    return jsonResponse<AnalyzeResponse>({
      valid: result?.ok === true,
      ...(result?.ok ? { canonical: print(result.filter) } : {}),
      tokens: analysis.tokens,
      diagnostics: analysis.diagnostics,
    });
  });
  router.add('GET', '/api/v1/filter/keywords', READ, async () =>
    jsonResponse<KeywordsResponse>({
      keywords: KEYWORDS.map((k) => ({ name: k.name, type: k.type, operators: OPERATORS[k.type], meaning: k.meaning })),
      contexts: CONTEXT_LABEL,
    }),
  );
}

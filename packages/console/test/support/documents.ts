import { assembleTrace, parseSegmentDocument, type Span } from '@fluoro/core';
import { readFileSync } from 'node:fs';
import type { Doc } from '../../src/trace/timeline-model';

/** fixtures/console/three-services.json: one trace over three services, for the trace page's model tests. */
export const three = JSON.parse(readFileSync(new URL('../../../../fixtures/console/three-services.json', import.meta.url), 'utf8')) as {
  documents: Doc[];
};

/** The documents as BatchGetTraces answers them: stored, then assembled with inferred segments. */
export function processed(documents: readonly Doc[]): Doc[] {
  const spans: Span[] = documents.flatMap((d) => {
    const r = parseSegmentDocument(JSON.stringify(d));
    if (!r.ok) throw new Error(r.rejection.message);
    return r.spans;
  });
  return assembleTrace(spans).documents.map((d) => d.document);
}

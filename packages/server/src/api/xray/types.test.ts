import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstSentence, OUTPUT_FILE, renderXrayTypes } from '../../../../../scripts/xray-types.mjs';

describe('the X-Ray API types (@fluoro/contracts)', () => {
  // The handlers and the console are typed by the committed file; a model update that is not
  // regenerated would leave them checked against the old shapes.
  it('are what the model generates', async () => {
    const committed = readFileSync(OUTPUT_FILE, 'utf8');
    expect(committed, 'packages/contracts/src/xray.generated.ts is out of date: run npm run gen:xray-types').toBe(await renderXrayTypes());
  });

  it('take the first sentence of the documentation as plain text', () => {
    expect(firstSentence('<note> <p>Not with Transaction Search.</p> </note> <p>Retrieves a list of <code>Trace</code>s. More.</p>')).toBe(
      'Retrieves a list of Traces.',
    );
    expect(firstSentence('<p>The rate, from 0 to 1</p>')).toBe('The rate, from 0 to 1');
  });
});

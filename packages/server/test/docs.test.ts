import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_SECTIONS, replaceSection } from '../src/platform/docs/generated.js';

const root = new URL('../../../', import.meta.url);

describe('generated documentation is current', () => {
  it.each(Object.entries(GENERATED_SECTIONS))('%s section of its page matches the code (fix: npm run docs)', (name, { file, render }) => {
    const markdown = readFileSync(new URL(file, root), 'utf8');
    expect(replaceSection(markdown, name, render())).toBe(markdown);
  });
});

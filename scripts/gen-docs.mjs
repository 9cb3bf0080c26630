// Rewrites the generated sections of docs/ from the built server (run `npm run build` first).
import { readFileSync, writeFileSync } from 'node:fs';
const { GENERATED_SECTIONS, replaceSection } = await import('../packages/server/dist/platform/docs/generated.js');
for (const [name, { file, render }] of Object.entries(GENERATED_SECTIONS)) {
  writeFileSync(file, replaceSection(readFileSync(file, 'utf8'), name, render()));
  console.log(`updated ${file} (${name})`);
}

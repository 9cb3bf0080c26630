// Rewrites packages/contracts/src/xray.generated.ts from the X-Ray API model (`npm run gen:xray-types`).
import { writeFileSync } from 'node:fs';
import { OUTPUT_FILE, renderXrayTypes } from './xray-types.mjs';

writeFileSync(OUTPUT_FILE, await renderXrayTypes());
console.log(`wrote ${OUTPUT_FILE}`);

#!/usr/bin/env node
/** `fluoro-demo-shop [flags]`: the demo shop against a running Fluoro (see `run-demo.ts`). */
import { runDemo } from './run-demo.js';

runDemo(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`demo: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);

#!/usr/bin/env node
// Entry for `npx metalbox` and `npm start`: runs the compiled CLI from dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const main = join(root, 'dist', 'main.js');
if (!existsSync(main)) {
  console.error('metalbox: not built yet. Run `npm ci` (or `npm run build`) in ' + root + ' first.');
  process.exit(1);
}
const { run } = await import(main);
await run(process.argv.slice(2));

/**
 * Regenerates a compact schema module from a schema Talos publishes:
 *
 *   npx tsx src/talos/schema/derive-main.ts <config.schema.json> <v1_13> > src/talos/schema/v1_13.ts
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { deriveCompactSchema, renderCompactModule } from './derive.js';

function main(argv: string[]): void {
  const [file, suffix] = argv;
  if (!file || !suffix || !/^v\d+_\d+$/.test(suffix)) {
    process.stderr.write('usage: derive-main.ts <config.schema.json> <v1_13>\n');
    process.exitCode = 2;
    return;
  }
  const compact = deriveCompactSchema(JSON.parse(readFileSync(file, 'utf8')));
  const source = `Talos's published ${basename(file)} (${compact.id})`;
  process.stdout.write(renderCompactModule(`schema${suffix.replace('v', 'V')}`, compact, source));
}

main(process.argv.slice(2));

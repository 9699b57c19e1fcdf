// Runs the CLI from source (the tests do not need a build): node --import tsx test/support/metalbox-dev.ts ARGS
import { run } from '../../src/main.js';

await run(process.argv.slice(2));

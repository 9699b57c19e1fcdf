/** `metalbox` from the sources, for tests that run it in a terminal: `node --import tsx this-file ARGS`. */
import { run } from '../../../src/main.js';

await run(process.argv.slice(2));

// npm run docs: writes docs/commands.md from the commander program (see src/cli/reference.ts).
import { writeFileSync } from 'node:fs';
import { buildProgram } from '../src/cli/main.js';
import { commandReference } from '../src/cli/reference.js';

const file = new URL('../docs/commands.md', import.meta.url);
writeFileSync(file, commandReference(buildProgram()));
process.stdout.write(`wrote ${file.pathname}\n`);

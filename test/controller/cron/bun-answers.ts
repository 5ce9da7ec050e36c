// Answers differential cases with the TypeScript engine under whatever runtime runs this file
// (the differential test runs it with Bun): argv[2] is "next" (OracleCase[] on stdin) or
// "transitions" ({zone, from, to}[] on stdin); the answers go to stdout as JSON.
import { readFileSync } from 'node:fs';
import { tsAnswer, zoneTransitions } from './ts-answer.js';

const input = JSON.parse(readFileSync(0, 'utf8'));
const out = process.argv[2] === 'transitions' ? input.map(zoneTransitions) : input.map(tsAnswer);
process.stdout.write(JSON.stringify(out));

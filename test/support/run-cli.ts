// Runs the CLI in-process with in-memory surroundings (same code path as the binary: main()).
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { memorySurroundings, type MemoryOptions } from './surroundings.js';

/** The bundled example snapshot. */
export const EXAMPLE = fileURLToPath(new URL('../../examples/snapshot.yaml', import.meta.url));

/** Result of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `kubectl job <args>`; output is captured, never printed. */
export async function runCli(args: string[], opts: MemoryOptions = {}): Promise<CliRun> {
  const s = memorySurroundings(opts);
  const code = await main(args, s);
  return { code, stdout: s.out.text, stderr: s.err.text };
}

/** Uniform numbers in [0, 1) from the crypto RNG (for generated names). */
export function cryptoRandom(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}

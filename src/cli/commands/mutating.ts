// Flags and helpers shared by the commands that change the cluster (trigger, suspend,
// unsuspend, clean): --dry-run as kubectl spells it, the confirmation prompt, a random source.
import type { Command } from 'commander';
import { DRY_RUN_VALUES, type DryRun } from '../../controller/plans/types.js';
import { UsageError } from '../../errors.js';
import type { PromptInput, Writer } from '../context.js';
import { flag, Values } from '../flag-values.js';

/** Adds `--dry-run[=client|server|none]` (a bare --dry-run means client, as in kubectl). */
export function addDryRunFlag(cmd: Command): Command {
  return cmd.addOption(
    flag(
      '--dry-run [strategy]',
      'client: print what would be sent without contacting the server for the write; server: send it with dryRun=All so the server validates but stores nothing; none (default)',
      Values.oneOf(DRY_RUN_VALUES),
    ),
  );
}

/** Validates --dry-run. */
export function parseDryRun(value: string | boolean | undefined): DryRun {
  if (value === undefined || value === false) return 'none';
  if (value === true) return 'client';
  const v = value.toLowerCase();
  if ((DRY_RUN_VALUES as readonly string[]).includes(v)) return v as DryRun;
  throw new UsageError(
    `invalid --dry-run value "${value}": must be "none", "client" or "server" (write it as --dry-run=server)`,
  );
}

/** A command that writes cannot take --snapshot, except to print what it would send (--dry-run=client). */
export function refuseSnapshot(snapshot: string | undefined, dryRun: DryRun, what: string): void {
  if (snapshot && dryRun !== 'client') {
    throw new UsageError(
      `${what} changes the cluster: --snapshot ${snapshot} is read-only`,
      'drop --snapshot, or add --dry-run=client to print what would be sent',
    );
  }
}

/** Uniform numbers in [0, 1) from the crypto RNG (for generated names). */
export function cryptoRandom(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}

/** Asks a yes/no question on `err`, reading one line from `input`; only "y" or "yes" agree. */
export async function confirm(question: string, err: Writer, input: PromptInput): Promise<boolean> {
  const { createInterface } = await import('node:readline');
  return new Promise((resolve) => {
    const rl = createInterface({ input, terminal: false });
    err.write(`${question} [y/N] `);
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(/^\s*y(es)?\s*$/i.test(line));
    });
    rl.once('close', () => {
      if (!answered) {
        err.write('\n');
        resolve(false);
      }
    });
  });
}

// Picks a printer for -o and rejects unknown formats with the list of allowed ones.
import { stringify } from 'yaml';
import { UsageError } from '../errors.js';

/** Output formats understood across commands. */
export type OutputFormat = 'text' | 'wide' | 'json' | 'yaml' | 'name';

/** Validates -o for a command that allows `allowed` (text is the default and always allowed). */
export function parseOutputFormat<F extends OutputFormat>(
  value: string | undefined,
  allowed: readonly F[],
): F | 'text' {
  if (value === undefined || value === '') return 'text';
  const v = value.toLowerCase() as F | 'text';
  if (v === 'text' || allowed.includes(v)) return v;
  const choices = allowed.filter((a) => a !== 'text');
  throw new UsageError(
    `unable to match a printer suitable for the output format "${value}", allowed formats are: ${choices.join(',')}`,
  );
}

/** JSON as kubectl prints it: two-space indent and a trailing newline. */
export function toJson(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** YAML without line folding, so values survive copy and paste. */
export function toYaml(data: unknown): string {
  return stringify(data, { lineWidth: 0, aliasDuplicateObjects: false });
}

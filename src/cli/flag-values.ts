// Flags and arguments declared together with where their values come from: a fixed list, file
// names, names from the cluster or the kubeconfig, or nothing to offer. Shell completion
// (completion.ts) reads only this; help and parsing stay commander's, which the metadata does
// not touch (a list of choices here is not enforced: commands check their own values, with their
// own messages, unless the declaration also calls commander's .choices()).
import { Argument, Option } from 'commander';
import type { CompletionKind } from '../cluster/completion-lookups.js';

/** The object kinds an argument or flag value can name. */
export type ObjectKind = CompletionKind;

/** Where the candidates for a flag's value or an argument come from. */
export type ValueSource =
  /** Free text, or a flag that takes no value: nothing to offer. */
  | { values: 'none' }
  /** A path: the shell completes file names. */
  | { values: 'files' }
  /** Namespaces of the cluster; context, cluster or user names of the kubeconfig. */
  | { values: 'namespaces' | 'contexts' | 'clusters' | 'users' }
  /** One of a fixed list. */
  | { values: 'choices'; choices: readonly string[] }
  /** CronJob and/or Job names (TYPE/NAME or NAME). */
  | { values: 'objects'; kinds: readonly ObjectKind[] };

/** Shorthands for the value sources. */
export const Values = {
  none: { values: 'none' },
  files: { values: 'files' },
  namespaces: { values: 'namespaces' },
  contexts: { values: 'contexts' },
  clusters: { values: 'clusters' },
  users: { values: 'users' },
  oneOf: (choices: readonly string[]): ValueSource => ({ values: 'choices', choices }),
  objects: (...kinds: ObjectKind[]): ValueSource => ({ values: 'objects', kinds }),
} as const satisfies Record<string, ValueSource | ((...a: never[]) => ValueSource)>;

const declared = new WeakMap<Option | Argument, ValueSource>();

/**
 * A commander Option with its value source. A flag that takes a value must say where its values
 * come from; one that takes none needs nothing. Chain .default(), .argParser() or .choices() as usual.
 */
export function flag(flags: string, description: string, values?: ValueSource): Option {
  const option = new Option(flags, description);
  const takesValue = option.required || option.optional;
  if (takesValue && !values) throw new Error(`flag ${flags} takes a value: declare where its values come from`);
  if (!takesValue && values && values.values !== 'none')
    throw new Error(`flag ${flags} takes no value, yet declares ${values.values}`);
  declared.set(option, values ?? Values.none);
  return option;
}

/** A commander Argument with its value source. */
export function argument(name: string, description: string, values: ValueSource): Argument {
  const arg = new Argument(name, description);
  declared.set(arg, values);
  return arg;
}

/** Where a flag's or argument's values come from; undefined when it was not declared with flag() or argument(). */
export function valuesOf(x: Option | Argument): ValueSource | undefined {
  return declared.get(x);
}

/**
 * The -o/--output flag of a command that prints `formats` besides its text (the default): help
 * and completion both come from the list, and the command's parse checks the value against the
 * same list (`parseOutputFormat(o.output, FORMATS)`), so the formats are written once.
 */
export function outputFlag(formats: readonly string[], note?: string): Option {
  return flag(
    '-o, --output <format>',
    `output format: ${formats.join('|')}${note ? ` ${note}` : ''}`,
    Values.oneOf(formats),
  );
}

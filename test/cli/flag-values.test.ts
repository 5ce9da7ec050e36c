// Every flag and argument is declared with where its values come from (src/cli/flag-values.ts), so
// shell completion never guesses from help text: a flag added without it fails here.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Command } from 'commander';
import { argument, flag, Values, valuesOf } from '../../src/cli/flag-values.js';
import { globalFlagSet } from '../../src/cli/flags.js';
import { buildProgram } from '../../src/cli/main.js';

/** The options and arguments of a command that carry no declaration, one line each. */
function undeclared(cmd: Command): string[] {
  const out: string[] = [];
  for (const o of cmd.options) {
    const v = valuesOf(o);
    if (!v) out.push(`${cmd.name()} ${o.flags}: no value source declared (use flag() from src/cli/flag-values.ts)`);
    else if (!(o.required || o.optional) && v.values !== 'none')
      out.push(`${cmd.name()} ${o.flags}: takes no value, yet declares ${v.values}`);
  }
  for (const a of cmd.registeredArguments)
    if (!valuesOf(a)) out.push(`${cmd.name()} <${a.name()}>: no value source declared (use argument())`);
  return out;
}

const program = buildProgram();
const command = (name: string) => program.commands.find((c) => c.name() === name)!;
const option = (cmd: Command, long: string) => cmd.options.find((o) => o.long === long)!;

describe('declared flags and arguments', () => {
  test('every option and argument of every command, and every global flag, has a value source', () => {
    assert.ok(program.commands.length >= 11);
    assert.deepEqual(program.commands.flatMap(undeclared), []);
    assert.deepEqual(undeclared(globalFlagSet()), []);
    assert.ok(program.commands.reduce((n, c) => n + c.options.length, 0) > 200, 'the options were read');
  });

  test('a flag or argument added the plain commander way is caught', () => {
    const cmd = new Command('x')
      .option('--plain <v>', 'no source')
      .option('--bool', 'no value')
      .argument('[name]', 'no source')
      .addOption(flag('--declared <v>', 'declared', Values.files));
    assert.deepEqual(undeclared(cmd), [
      'x --plain <v>: no value source declared (use flag() from src/cli/flag-values.ts)',
      'x --bool: no value source declared (use flag() from src/cli/flag-values.ts)',
      'x <name>: no value source declared (use argument())',
    ]);
  });

  test('flag() refuses a value-taking flag without a source, and a source on a flag without a value', () => {
    assert.throws(() => flag('--x <v>', 'd'), /--x <v> takes a value: declare where its values come from/);
    assert.throws(() => flag('--x [v]', 'd'), /takes a value/);
    assert.throws(() => flag('--x', 'd', Values.files), /takes no value, yet declares files/);
    assert.deepEqual(valuesOf(flag('--x', 'd')), { values: 'none' });
    assert.deepEqual(valuesOf(argument('[a]', 'd', Values.objects('Job'))), { values: 'objects', kinds: ['Job'] });
  });

  test('the declarations say what the flags take', () => {
    assert.deepEqual(valuesOf(option(command('why'), '--output')), {
      values: 'choices',
      choices: ['json', 'yaml', 'wide', 'name'],
    });
    assert.deepEqual(valuesOf(option(command('trigger'), '--owner')), {
      values: 'choices',
      choices: ['controller', 'plain', 'none'],
    });
    assert.deepEqual(valuesOf(option(command('clean'), '--dry-run')), {
      values: 'choices',
      choices: ['none', 'client', 'server'],
    });
    assert.deepEqual(valuesOf(option(command('next'), '--namespace')), { values: 'namespaces' });
    assert.deepEqual(valuesOf(option(command('next'), '--filename')), { values: 'files' });
    assert.deepEqual(valuesOf(option(command('trigger'), '--from')), { values: 'objects', kinds: ['CronJob'] });
    assert.deepEqual(valuesOf(command('why').registeredArguments[0]!), {
      values: 'objects',
      kinds: ['CronJob', 'Job'],
    });
    assert.deepEqual(valuesOf(command('logs').registeredArguments[0]!), { values: 'objects', kinds: ['Job'] });
    // --color is also enforced by commander (its own choices); -o is checked by each command
    assert.deepEqual(option(command('next'), '--color').argChoices, ['auto', 'always', 'never']);
    assert.equal(option(command('next'), '--output').argChoices, undefined);
  });
});

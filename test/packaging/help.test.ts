// Help conventions (krew best practices): `kubectl job` usage, --version, and examples in the
// help of every registered command.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.js';
import { VERSION } from '../../src/cli/version.js';

/** The full help text of a command (commander's own text plus addHelpText sections), captured. */
function helpOf(cmd: Command): string {
  let text = '';
  const capture = { writeOut: (s: string) => (text += s), writeErr: (s: string) => (text += s) };
  for (let c: Command | null = cmd; c; c = c.parent) c.configureOutput(capture);
  cmd.outputHelp();
  return text;
}

const program = buildProgram();

test('the root help shows `kubectl job` usage and examples', () => {
  const help = helpOf(program);
  assert.match(help, /^Usage: kubectl job <command> \[flags\]/);
  assert.match(help, /\nExamples:\n( {2}kubectl job .*\n)+/);
});

test('every registered command has examples that run `kubectl job <that command>`', () => {
  assert.ok(program.commands.length > 1);
  for (const cmd of program.commands) {
    const help = helpOf(cmd);
    assert.match(help, new RegExp(`^Usage: kubectl job ${cmd.name()}\\b`), cmd.name());
    const examples = /\nExamples:\n([\s\S]*)$/.exec(help)?.[1];
    assert.ok(examples, `${cmd.name()} --help has an Examples section`);
    assert.match(
      examples,
      new RegExp(`^ {2}kubectl job ${cmd.name()}\\b`, 'm'),
      `${cmd.name()}: an example of the command itself`,
    );
  }
});

test('--version prints the version', async () => {
  let out = '';
  const p = buildProgram();
  p.configureOutput({ writeOut: (s: string) => (out += s) });
  await assert.rejects(p.parseAsync(['--version'], { from: 'user' }), { code: 'commander.version' });
  assert.equal(out, `${VERSION}\n`);
});

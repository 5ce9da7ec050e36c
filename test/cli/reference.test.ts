// docs/commands.md is what src/cli/reference.ts writes from the program: the reference cannot drift.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildProgram } from '../../src/cli/main.js';
import { commandReference } from '../../src/cli/reference.js';

const checkedIn = () => readFileSync(new URL('../../docs/commands.md', import.meta.url), 'utf8');

test('docs/commands.md is the reference the program writes (run `npm run docs` after changing a command)', () => {
  assert.equal(checkedIn(), commandReference(buildProgram()));
});

test('the reference names every command, each of its flags once, and the global flags in their own section', () => {
  const program = buildProgram();
  const ref = commandReference(program);
  for (const c of program.commands.filter((c) => c.name() !== '__complete')) {
    assert.match(ref, new RegExp(`^## ${c.name()}$`, 'm'), c.name());
  }
  const section = (name: string) => ref.slice(ref.indexOf(`## ${name}\n`)).split(/\n## /)[0]!;
  assert.match(section('trigger'), /\| `--owner <mode>` \|/);
  assert.doesNotMatch(section('trigger'), /--kubeconfig/, 'global flags are listed once, not per command');
  assert.match(section('Global flags'), /\| `--kubeconfig <file>` \|/);
  assert.match(
    section('Global flags'),
    /\| `--color <when>` \| colour output One of: `auto`, `always`, `never`\. \| `auto` \|/,
  );
  assert.match(section('next'), /Examples:\n {2}kubectl job next backup -n prod/);
});

test('the reference does not depend on the terminal: same text with another width and NO_COLOR', () => {
  const saved = { columns: process.stdout.columns, noColor: process.env.NO_COLOR };
  try {
    Object.defineProperty(process.stdout, 'columns', { value: 37, configurable: true });
    process.env.NO_COLOR = '1';
    assert.equal(commandReference(buildProgram()), checkedIn());
  } finally {
    Object.defineProperty(process.stdout, 'columns', { value: saved.columns, configurable: true });
    if (saved.noColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = saved.noColor;
  }
});

// kubectl's plugins take global flags anywhere after the plugin name: `kubectl job -n prod why x`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hoistGlobalFlags } from '../../src/cli/flags.js';
import { EXAMPLE, runCli } from '../support/run-cli.js';

test('global flags before the subcommand move to just after it; everything else stays in order', () => {
  assert.deepEqual(hoistGlobalFlags(['-n', 'prod', 'why', 'backup']), ['why', '-n', 'prod', 'backup']);
  assert.deepEqual(
    hoistGlobalFlags(['-nprod', '--context=c', '--insecure-skip-tls-verify', 'why', 'backup', '-o', 'json']),
    ['why', '-nprod', '--context=c', '--insecure-skip-tls-verify', 'backup', '-o', 'json'],
  );
  assert.deepEqual(hoistGlobalFlags(['--as-group', 'a', '--as-group', 'b', 'next', 'x', '--', '-n']), [
    'next',
    '--as-group',
    'a',
    '--as-group',
    'b',
    'x',
    '--',
    '-n',
  ]);
  // nothing to move, or nothing that can be moved
  for (const args of [
    ['why', '-n', 'p'],
    [],
    ['-n', 'prod'],
    ['-n'],
    ['--help', 'why'],
    ['-o', 'json', 'why'],
    ['-n', 'p', '--', 'why'],
    ['--version'],
  ]) {
    assert.deepEqual(hoistGlobalFlags(args), args, args.join(' '));
  }
});

test('`kubectl job -n prod --snapshot F why X` is `kubectl job why X -n prod --snapshot F`', async () => {
  const after = await runCli(['why', 'cronjob/backup', '-n', 'prod', '--snapshot', EXAMPLE, '-o', 'json']);
  const before = await runCli(['-n', 'prod', '--snapshot', EXAMPLE, 'why', 'cronjob/backup', '-o', 'json']);
  assert.equal(after.code, 1, after.stderr);
  assert.deepEqual(before, after);
  assert.equal(JSON.parse(before.stdout).namespace, 'prod');
});

test('a flag after the subcommand wins over the same flag before it, as in kubectl', async () => {
  const r = await runCli(['-n', 'nowhere', '--snapshot', EXAMPLE, 'why', 'cronjob/backup', '-n', 'prod', '-o', 'json']);
  assert.equal(JSON.parse(r.stdout).namespace, 'prod');
});

test('a subcommand-only or unknown flag before the subcommand is still a usage error', async () => {
  for (const args of [
    ['-o', 'json', 'why', 'backup'],
    ['--bogus', 'why', 'backup'],
  ]) {
    const r = await runCli([...args, '--snapshot', EXAMPLE]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /unknown option/);
  }
});

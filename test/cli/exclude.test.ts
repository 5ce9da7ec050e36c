import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isExcluded, parseExcludes } from '../../src/cli/exclude.js';
import { UsageError } from '../../src/errors.js';
import { EXAMPLE, runCli } from '../support/run-cli.js';

describe('--exclude NAMESPACE/NAME', () => {
  const good: Array<[string[], Array<{ namespace: string; name: string }>]> = [
    [[], []],
    [['ops/kubectl-job-audit'], [{ namespace: 'ops', name: 'kubectl-job-audit' }]],
    [
      ['a/b', 'c/d.e'],
      [
        { namespace: 'a', name: 'b' },
        { namespace: 'c', name: 'd.e' },
      ],
    ],
  ];
  for (const [values, want] of good) {
    test(`${JSON.stringify(values)} is read`, () => assert.deepEqual(parseExcludes(values), want));
  }
  for (const bad of ['audit', '/audit', 'ops/', 'a/b/c', 'Ops/audit', 'ops/Audit', 'ops/-x', '']) {
    test(`${JSON.stringify(bad)} is a usage error`, () => assert.throws(() => parseExcludes([bad]), UsageError));
  }
  test('matching: namespace and name together; a missing namespace is "default"', () => {
    const ex = parseExcludes(['ops/audit', 'default/x']);
    assert.equal(isExcluded(ex, 'ops', 'audit'), true);
    assert.equal(isExcluded(ex, 'prod', 'audit'), false);
    assert.equal(isExcluded(ex, 'ops', 'x'), false);
    assert.equal(isExcluded(ex, undefined, 'x'), true);
  });
});

describe('why --all --exclude on the example snapshot', () => {
  const why = (...args: string[]) => runCli(['why', ...args, '--snapshot', EXAMPLE]);
  test('the excluded CronJobs are left out of the table, the JSON and the exit code', async () => {
    const all = JSON.parse((await why('--all', '-n', 'team-a', '-o', 'json')).stdout).items.map(
      (v: { name: string }) => v.name,
    );
    assert.deepEqual(all, ['etl', 'nightly', 'sync']);
    const r = await why(
      '--all',
      '-n',
      'team-a',
      '-o',
      'json',
      '--exclude',
      'team-a/etl',
      '--exclude',
      'team-a/nightly',
    );
    assert.deepEqual(JSON.parse(r.stdout).items?.map((v: { name: string }) => v.name) ?? [JSON.parse(r.stdout).name], [
      'sync',
    ]);
    const verdict = JSON.parse(r.stdout).items?.[0]?.verdict ?? JSON.parse(r.stdout).verdict;
    assert.equal(r.code, verdict === 'healthy' ? 0 : 1, 'the exit code follows the CronJobs left in');
    assert.equal(r.stderr, '');
  });
  test('without --all, or malformed: exit 2 before anything is read', async () => {
    const alone = await why('cronjob/etl', '--exclude', 'team-a/etl');
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /^error: --exclude needs --all or -A/);
    const bad = await why('--all', '--exclude', 'etl');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: invalid --exclude "etl": expected NAMESPACE\/NAME/);
  });
});

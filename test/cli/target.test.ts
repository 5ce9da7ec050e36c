import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTarget } from '../../src/cli/target.js';
import { UsageError } from '../../src/errors.js';

test('kubectl-style object arguments', () => {
  assert.deepEqual(parseTarget('cronjob/backup'), { kind: 'CronJob', name: 'backup' });
  assert.deepEqual(parseTarget('cj/backup'), { kind: 'CronJob', name: 'backup' });
  assert.deepEqual(parseTarget('jobs.batch/x'), { kind: 'Job', name: 'x' });
  assert.deepEqual(parseTarget('backup'), { name: 'backup' });
  assert.throws(() => parseTarget('pod/x'), UsageError);
  assert.throws(() => parseTarget('job/x', ['CronJob']), UsageError);
  assert.throws(() => parseTarget('job/'), UsageError);
});

// User input never changes which request is sent, and every usage error exits 2 with one line.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fieldValue, parseLabelSelector, matchesLabels } from '../../src/cluster/request-parts.js';
import { startFakeApi, type FakeApi } from './fake-api.js';
import { EXAMPLE, runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kubectl-job-hygiene-'));
const oneLine = (s: string) => s.split('\n').filter((l) => l && !l.startsWith('hint:')).length === 1;

describe('selector values are escaped', () => {
  const odd = 'x?watch=true,involvedObject.kind=Pod';
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi((r) => {
      if (r.path.startsWith('/apis/batch/v1/namespaces/default/jobs/')) {
        return {
          body: {
            kind: 'Job',
            metadata: {
              name: decodeURIComponent(r.path.split('/').pop()!),
              namespace: 'default',
              uid: 'u1',
              creationTimestamp: '2026-01-01T00:00:00Z',
            },
            spec: { template: { spec: { containers: [] } } },
            status: {},
          },
        };
      }
      if (r.path.endsWith('/pods') || r.path.endsWith('/events')) return { body: { items: [] } };
      if (r.path === '/version') return { body: { major: '1', minor: '36', gitVersion: 'v1.36.3' } };
      return undefined;
    });
  });
  after(() => api.close());

  it('a name with ?, = and , stays one path segment and one escaped field-selector value', async () => {
    const r = await runCli(['why', `job/${odd}`, '--kubeconfig', api.kubeconfig]);
    assert.ok([0, 1].includes(r.code), r.stderr);
    const get = api.requests.find((q) => q.path.includes('/jobs/'))!;
    assert.equal(get.path, `/apis/batch/v1/namespaces/default/jobs/${encodeURIComponent(odd)}`);
    assert.deepEqual(get.query, {});
    const events = api.requests.find((q) => q.path.endsWith('/events'))!;
    assert.equal(
      events.query.fieldSelector,
      'involvedObject.kind=Job,involvedObject.name=x?watch\\=true\\,involvedObject.kind\\=Pod',
    );
    assert.ok(!api.requests.some((q) => 'watch' in q.query), 'no request became a watch');
    // Not a label value: the pods of every Job are listed and filtered locally.
    assert.equal(api.requests.find((q) => q.path.endsWith('/pods'))!.query.labelSelector, 'job-name');
  });

  it('"." and ".." are refused before any request', async () => {
    const before = api.requests.length;
    for (const name of ['..', 'job/.', 'job/..']) {
      const r = await runCli(['why', name, '--kubeconfig', api.kubeconfig]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /invalid name/);
    }
    const r = await runCli(['why', 'x', '-n', '..', '--kubeconfig', api.kubeconfig]);
    assert.equal(r.code, 2);
    assert.equal(api.requests.length, before);
  });
});

describe('usage errors exit 2 with one line', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['--now with an empty value', ['why', 'backup', '--now', '', '--snapshot', EXAMPLE], /invalid time for --now: ""/],
    [
      'a bad --request-timeout',
      ['why', 'backup', '--request-timeout', '5x', '-s', 'https://127.0.0.1:1'],
      /invalid --request-timeout "5x"/,
    ],
    [
      'a bad -l',
      ['clean', '--succeeded', '-l', 'a=(b', '-s', 'https://127.0.0.1:1'],
      /invalid label selector for -l "a=\(b"/,
    ],
    [
      'a -l key that is no label key',
      ['clean', '--succeeded', '-l', 'a b=c', '-s', 'https://127.0.0.1:1'],
      /invalid label selector/,
    ],
    [
      'trigger with --snapshot',
      ['trigger', 'backup', '--snapshot', EXAMPLE],
      /trigger changes the cluster: --snapshot .* is read-only/,
    ],
    ['suspend with --snapshot', ['suspend', 'backup', '--snapshot', EXAMPLE], /suspend changes the cluster/],
    ['unsuspend with --snapshot', ['unsuspend', 'backup', '--snapshot', EXAMPLE], /unsuspend changes the cluster/],
    ['clean with --snapshot', ['clean', '--succeeded', '--snapshot', EXAMPLE], /clean changes the cluster/],
    ['logs with --snapshot', ['logs', 'job/migrate-db', '--snapshot', EXAMPLE], /logs needs a live cluster/],
    [
      '--now before the CronJob existed',
      ['why', 'cronjob/backup', '--now', '2020-01-01T00:00:00Z', '--snapshot', EXAMPLE],
      /--now 2020-01-01T00:00:00Z is before cronjob\/backup existed \(created 2026-01-10T09:00:00Z\)/,
    ],
    [
      '--now before the Job existed',
      ['why', 'job/migrate-db', '--now', '2020-01-01T00:00:00Z', '--snapshot', EXAMPLE],
      /before job\/migrate-db existed/,
    ],
    [
      'misses with --now before the CronJob existed',
      ['misses', 'backup', '--now', '2020-01-01T00:00:00Z', '--snapshot', EXAMPLE],
      /before cronjob\/backup existed/,
    ],
  ];
  for (const [what, args, msg] of cases) {
    it(what, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, msg);
      assert.ok(oneLine(r.stderr), r.stderr);
      assert.equal(r.stdout, '');
    });
  }

  it('why --all with --now before some CronJobs existed leaves them out with a warning', async () => {
    const r = await runCli(['why', '--all', '--now', '2026-03-01T00:00:00Z', '--snapshot', EXAMPLE]);
    assert.ok([0, 1].includes(r.code));
    assert.match(r.stderr, /Warning: --now 2026-03-01T00:00:00Z is before 6 CronJob\(s\) existed; left out: /);
  });
});

describe('a kubeconfig that is not YAML', () => {
  it('is one line with a line and column, and never shows the token, even with KUBECTL_JOB_DEBUG', async () => {
    const file = join(dir, 'broken');
    writeFileSync(
      file,
      'apiVersion: v1\nusers:\n- name: u\n  user: {token: "SECRET-abc", client-key-data: [\ncontexts: : :\n',
    );
    process.env.KUBECTL_JOB_DEBUG = '1';
    try {
      const r = await runCli(['why', 'backup', '--kubeconfig', file]);
      assert.equal(r.code, 3);
      assert.match(r.stderr, /cannot read kubeconfig .*broken: line \d+, column \d+: /);
      assert.ok(oneLine(r.stderr), r.stderr);
      assert.doesNotMatch(r.stderr + r.stdout, /SECRET/);
    } finally {
      delete process.env.KUBECTL_JOB_DEBUG;
    }
  });
});

describe('request parts', () => {
  it('field values escape backslash, comma and equals', () => {
    assert.equal(fieldValue('a\\b,c=d'), 'a\\\\b\\,c\\=d');
  });
  it('label selectors: equality, set-based, existence; errors are usage errors', () => {
    const reqs = parseLabelSelector('app=etl,tier!=db,team,!legacy,env in (a, b),zone notin (x)');
    assert.equal(matchesLabels(reqs, { app: 'etl', team: 't', env: 'a', zone: 'y' }), true);
    assert.equal(matchesLabels(reqs, { app: 'etl', team: 't', env: 'c' }), false);
    assert.equal(matchesLabels(reqs, { app: 'etl', team: 't', env: 'a', zone: 'x' }), false);
    for (const bad of ['a=(b', ',', 'a in ()', 'a=b=c', '=b', 'a==b,', 'a b'])
      assert.throws(() => parseLabelSelector(bad), /invalid label selector/, bad);
  });
});

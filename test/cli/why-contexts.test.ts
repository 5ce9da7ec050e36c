// `why --all` across several kubeconfig contexts and `-l` selections, in process against small
// fake API servers (the real control planes: test/e2e/cluster/contexts.test.ts). A context that
// fails is one row and never stops the others; the exit code is the worst of the contexts'.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import type { Surroundings } from '../../src/cli/context.js';
import { openSource } from '../../src/cluster/open.js';
import { ClusterError } from '../../src/errors.js';
import { EXAMPLE, runCli } from '../support/run-cli.js';
import { startFakeApi, status, type FakeApi, type SeenRequest } from './fake-api.js';

const NOW = '2026-11-23T08:00:00Z';
type Item = { kind: string; metadata: { name: string; namespace: string; labels?: Record<string, string> } };
const all = (parse(readFileSync(EXAMPLE, 'utf8')) as { items: Item[] }).items;
const dir = mkdtempSync(join(tmpdir(), 'kubectl-job-contexts-'));
const HEALTHY = new Set(['digest', 'heartbeat']);

/** Serves `items` (namespaced and cluster-wide lists, gets); `log` records "<label> <path>". */
function serve(items: Item[], label: string, log: string[], refuse?: { code: number; reason: string }) {
  return (r: SeenRequest) => {
    log.push(`${label} ${r.path}`);
    if (r.path === '/version') return { body: { major: '1', minor: '36', gitVersion: 'v1.36.3' } };
    if (refuse) return status(refuse.code, refuse.reason, `${refuse.reason.toLowerCase()}: no`);
    const p = r.path.split('/').filter(Boolean);
    const rest = p[0] === 'apis' ? p.slice(3) : p.slice(2);
    const [ns, resource, name] = rest[0] === 'namespaces' ? [rest[1], rest[2], rest[3]] : [undefined, rest[0], rest[1]];
    const kind = { cronjobs: 'CronJob', jobs: 'Job', pods: 'Pod', events: 'Event' }[resource ?? ''];
    const found = items.filter((i) => i.kind === kind && (ns === undefined || i.metadata.namespace === ns));
    if (name) {
      const one = found.find((i) => i.metadata.name === name);
      return one ? { body: one } : undefined;
    }
    return { body: { kind: 'List', metadata: {}, items: found } };
  };
}

describe('why --all across contexts (fake API servers)', () => {
  const log: string[] = [];
  let eu: FakeApi;
  let us: FakeApi;
  let forbidden: FakeApi;
  let expired: FakeApi;
  let kubeconfig: string;
  let euOnly: string;
  const why = (...a: string[]) => runCli(['why', ...a, '--now', NOW, '--kubeconfig', kubeconfig]);

  before(async () => {
    const usItems = all.filter((i) => i.kind !== 'CronJob' || HEALTHY.has(i.metadata.name));
    [eu, us, forbidden, expired] = await Promise.all([
      startFakeApi(serve(all, 'eu', log)),
      startFakeApi(serve(usItems, 'us', log)),
      startFakeApi(serve(all, 'forbidden', log, { code: 403, reason: 'Forbidden' })),
      startFakeApi(serve(all, 'expired', log, { code: 401, reason: 'Unauthorized' })),
    ]);
    const cluster = (name: string, server: string) => `- name: ${name}\n  cluster: {server: "${server}"}`;
    const context = (name: string) => `- name: ${name}\n  context: {cluster: ${name}, user: u, namespace: prod}`;
    const names = ['eu', 'us', 'forbidden', 'expired', 'down'];
    const servers = [eu.url, us.url, forbidden.url, expired.url, 'http://127.0.0.1:1'];
    const write = (file: string, current: string) => {
      writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          `current-context: ${current}`,
          'clusters:',
          ...names.map((n, i) => cluster(n, servers[i]!)),
          'users:',
          '- name: u',
          '  user: {token: t}',
          'contexts:',
          ...names.map(context),
          '',
        ].join('\n'),
      );
      return file;
    };
    kubeconfig = write(join(dir, 'kubeconfig'), 'us');
    euOnly = write(join(dir, 'kubeconfig-eu'), 'eu');
  });
  after(() => Promise.all([eu, us, forbidden, expired].map((a) => a.close())));

  test('one table, CONTEXT first, rows in the order the contexts were given; exit 1 (a problem in eu)', async () => {
    const r = await why('--all', '--context', 'us', '--context', 'eu');
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^CONTEXT\s+NAMESPACE\s+NAME\s+VERDICT\s+CAUSE\s+LAST SCHEDULE\s+NEXT$/);
    const rows = lines.slice(1).map((l) => l.split(/\s{3,}/).slice(0, 4));
    assert.deepEqual(rows, [
      ['us', 'prod', 'digest', 'healthy'],
      ['us', 'prod', 'heartbeat', 'healthy'],
      ['eu', 'prod', 'backup', 'not-firing'],
      ['eu', 'prod', 'cleanup', 'not-firing'],
      ['eu', 'prod', 'digest', 'healthy'],
      ['eu', 'prod', 'heartbeat', 'healthy'],
      ['eu', 'prod', 'report', 'blocked'],
    ]);
    assert.equal(r.stderr, '');
  });

  test('an unreachable, a forbidden, an expired and an unknown context are rows of their own; the exit code is the worst (5)', async () => {
    const r = await why(
      '--all',
      '--context',
      'eu',
      '--context',
      'down',
      '--context',
      'forbidden',
      '--context',
      'expired',
      '--context',
      'ghost',
    );
    assert.equal(r.code, 5, r.stderr);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s{3,}/));
    const errors = rows.filter((row) => row[3] === 'error');
    assert.deepEqual(
      errors.map((row) => row[0]),
      ['down', 'forbidden', 'expired', 'ghost'],
    );
    assert.match(errors[0]![4]!, /^cannot reach the API server at http:\/\/127\.0\.0\.1:1: ECONNREFUSED$/);
    assert.match(errors[1]![4]!, /^forbidden: you cannot list cronjobs in namespace "prod"/);
    assert.match(errors[2]![4]!, /^unauthorized: the server at .* rejected the credentials of context "expired"/);
    assert.equal(errors[3]![4], 'context "ghost" does not exist');
    assert.equal(rows.filter((row) => row[0] === 'eu').length, 5, 'eu is audited in full');
    for (const c of ['down', 'forbidden', 'expired', 'ghost'])
      assert.match(r.stderr, new RegExp(`^Warning: context "${c}" was not audited: `, 'm'));
    assert.doesNotMatch(r.stderr, /error:|at .*\.ts:\d+/);
  });

  test('exit 3 when the worst is an unreachable cluster, beside a problem found (1)', async () => {
    const r = await why('--all', '--context', 'eu', '--context', 'down');
    assert.equal(r.code, 3);
  });

  test('-o json: verdicts carry their context, a failed context is a ContextError item, contexts sums up', async () => {
    const r = await why('--all', '--context', 'eu', '--context', 'down', '--context', 'us', '-o', 'json');
    assert.equal(r.code, 3, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.kind, 'VerdictList');
    assert.deepEqual(
      doc.contexts.map((c: any) => [c.context, c.exitCode, c.cronJobs ?? c.error.reason]),
      [
        ['eu', 1, 5],
        ['down', 3, 'Unreachable'],
        ['us', 0, 2],
      ],
    );
    assert.deepEqual(
      doc.items.map((i: any) => `${i.context}/${i.name ?? i.kind}`),
      [
        'eu/backup',
        'eu/cleanup',
        'eu/digest',
        'eu/heartbeat',
        'eu/report',
        'down/ContextError',
        'us/digest',
        'us/heartbeat',
      ],
    );
    const err = doc.items.find((i: any) => i.kind === 'ContextError');
    assert.equal(err.verdict, 'error');
    assert.equal(err.exitCode, 3);
    assert.match(err.message, /ECONNREFUSED/);
    const yaml = await why('--all', '--context', 'eu', '--context', 'us', '-o', 'yaml');
    assert.deepEqual(
      parse(yaml.stdout).items.map((i: any) => i.context),
      ['eu', 'eu', 'eu', 'eu', 'eu', 'us', 'us'],
    );
  });

  test('--all-contexts: every context of the kubeconfig, sorted by name', async () => {
    const r = await why('--all-contexts', '-o', 'json');
    assert.equal(r.code, 5);
    assert.deepEqual(
      JSON.parse(r.stdout).contexts.map((c: any) => c.context),
      ['down', 'eu', 'expired', 'forbidden', 'us'],
    );
  });

  test('one --context prints exactly what the current context prints (no CONTEXT column)', async () => {
    for (const format of [[], ['-o', 'json'], ['-o', 'wide'], ['-o', 'name']]) {
      const one = await why('--all', '--context', 'eu', ...format);
      const current = await runCli(['why', '--all', '--now', NOW, '--kubeconfig', euOnly, ...format]);
      assert.equal(one.code, 1);
      assert.deepEqual(one, current, format.join(' '));
    }
    assert.match((await why('--all', '--context', 'eu')).stdout, /^NAME\s+VERDICT/);
    // The same context twice is one context.
    assert.deepEqual(await why('--all', '--context', 'eu', '--context', 'eu'), await why('--all', '--context', 'eu'));
  });

  test('-n drops the NAMESPACE column; -A lists every namespace of each context', async () => {
    const n = await why('--all', '-n', 'prod', '--context', 'eu', '--context', 'us');
    assert.match(n.stdout.split('\n')[0]!, /^CONTEXT\s+NAME\s+VERDICT/);
    const a = await why('-A', '--context', 'eu', '--context', 'us', '-o', 'json');
    const namespaces = new Set(
      JSON.parse(a.stdout)
        .items.filter((i: any) => i.context === 'eu')
        .map((i: any) => i.namespace),
    );
    assert.deepEqual([...namespaces].sort(), ['ops', 'prod', 'team-a']);
  });

  test('--max-concurrency 1 reads one context after the other', async () => {
    log.length = 0;
    const r = await why('--all', '--context', 'eu', '--context', 'us', '--max-concurrency', '1');
    assert.equal(r.code, 1);
    const order = log.map((l) => l.split(' ')[0]);
    const lastEu = order.lastIndexOf('eu');
    assert.ok(lastEu >= 0 && order.indexOf('us') > lastEu, order.join(','));
  });

  test('-l is sent as the labelSelector of the CronJob list (not of Jobs or events)', async () => {
    const [euBefore, usBefore] = [eu.requests.length, us.requests.length];
    const r = await why('--context', 'eu', '--context', 'us', '-l', 'team=data,tier in (a,b)');
    assert.ok([0, 1].includes(r.code), r.stderr);
    const lists = [...eu.requests.slice(euBefore), ...us.requests.slice(usBefore)].filter(
      (q) => q.method === 'GET' && !q.path.endsWith('/version'),
    );
    // A list by name (metadata.name field selector) is a read again where .status.active and the
    // Jobs disagree (read-skew.ts): one CronJob, never narrowed by -l.
    const byName = (q: (typeof lists)[number]) => /^metadata\.name=/.test(q.query.fieldSelector ?? '');
    const cronJobLists = lists.filter((q) => q.path.endsWith('/cronjobs') && !byName(q));
    assert.equal(cronJobLists.length, 2);
    for (const q of cronJobLists) assert.equal(q.query.labelSelector, 'team=data,tier in (a,b)');
    for (const q of lists.filter((x) => !cronJobLists.includes(x)))
      assert.equal(q.query.labelSelector, undefined, q.path);
  });

  test('usage errors before any request: two contexts with -o name, a snapshot, --server, or a command that reads one cluster', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['why', '--all', '--context', 'eu', '--context', 'us', '-o', 'name'], /-o name cannot say which context/],
      [
        ['why', '--all', '--context', 'eu', '--context', 'us', '--snapshot', EXAMPLE],
        /--snapshot is one saved cluster/,
      ],
      [['why', '--all', '--context', 'eu', '--context', 'us', '--server', eu.url], /--server picks one cluster/],
      [['why', 'backup', '--context', 'eu', '--context', 'us'], /several contexts are audited with --all/],
      [
        ['misses', 'backup', '--context', 'eu', '--context', 'us'],
        /--context names 2 contexts \(eu, us\): misses reads one cluster/,
      ],
      [['next', 'backup', '--context', 'eu', '--context', 'us'], /next reads one cluster/],
      [['why', '--all', '--context', 'eu', '--context', 'us', '-l', 'a=(b'], /invalid label selector/],
      [
        ['why', '--all', '--context', 'eu', '--context', 'us', '--request-timeout', '5x'],
        /invalid --request-timeout "5x"/,
      ],
      [['why', '-f', EXAMPLE, '--context', 'eu', '--context', 'us'], /why -f reads one cluster/],
    ];
    log.length = 0;
    for (const [args, message] of cases) {
      const r = await runCli([...args, '--kubeconfig', kubeconfig]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('error:')).length, 1, r.stderr);
      assert.equal(r.stdout, '');
    }
    assert.deepEqual(log, [], 'no request was sent');
  });
});

describe('-l on a snapshot: why --all and misses across the selected CronJobs', () => {
  const labelled = new Set(['backup', 'report']);
  const file = join(dir, 'labelled.json');
  before(() => {
    const items = all.map((i) =>
      i.kind === 'CronJob' && labelled.has(i.metadata.name)
        ? { ...i, metadata: { ...i.metadata, labels: { team: 'data' } } }
        : i,
    );
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', capturedAt: NOW, items }));
  });

  test('why -l (implies --all) keeps only the CronJobs with the labels', async () => {
    const r = await runCli(['why', '-l', 'team=data', '--snapshot', file, '-o', 'json']);
    assert.equal(r.code, 1);
    assert.deepEqual(
      JSON.parse(r.stdout).items.map((v: any) => v.name),
      ['backup', 'report'],
    );
    const not = await runCli(['why', '--all', '-l', 'team!=data', '--snapshot', file, '-o', 'json']);
    assert.deepEqual(
      JSON.parse(not.stdout).items.map((v: any) => v.name),
      ['archive', 'cleanup', 'digest', 'heartbeat', 'etl', 'nightly', 'sync'],
    );
  });

  test('why -l with nothing selected: a line on stderr, an empty list, exit 0', async () => {
    const r = await runCli(['why', '-l', 'team=nobody', '--snapshot', file, '-o', 'json']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout).items, []);
    assert.equal(r.stderr, 'No CronJobs found in any namespace matching -l team=nobody.\n');
  });

  test('misses -l: one report per selected CronJob; exit 1 when any has a missed time', async () => {
    const r = await runCli(['misses', '-l', 'team=data', '--snapshot', file, '--since', '3d', '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.kind, 'CronJobMissesList');
    assert.deepEqual(
      doc.items.map((m: any) => [m.kind, m.name]),
      [
        ['CronJobMisses', 'backup'],
        ['CronJobMisses', 'report'],
      ],
    );
    // Each item is what `misses NAME` prints for that CronJob.
    const one = await runCli(['misses', 'backup', '--snapshot', file, '--since', '3d', '-o', 'json']);
    assert.deepEqual(doc.items[0], JSON.parse(one.stdout));
    const text = await runCli(['misses', '-l', 'team=data', '--snapshot', file, '--since', '3d']);
    assert.match(text.stdout, /^cronjob\/backup in namespace prod\n[\s\S]*\n\ncronjob\/report in namespace prod\n/);
  });

  test('misses --all -n: every CronJob of the namespace; -l with nothing selected exits 0', async () => {
    const r = await runCli(['misses', '--all', '-n', 'team-a', '--snapshot', file, '-o', 'json']);
    assert.deepEqual(
      JSON.parse(r.stdout).items.map((m: any) => m.name),
      ['etl', 'nightly', 'sync'],
    );
    const none = await runCli(['misses', '-l', 'team=nobody', '-A', '--snapshot', file, '-o', 'json']);
    assert.equal(none.code, 0);
    assert.deepEqual(JSON.parse(none.stdout).items, []);
  });
});

describe('several contexts through the injected source factory (no kubeconfig, no server)', () => {
  test("--all-contexts lists the factory's contexts and opens each through it with its name; a failure is its row", async () => {
    const opened: Array<string | undefined> = [];
    const sources: Surroundings['sources'] = {
      async contextNames() {
        return ['north', 'south', 'void'];
      },
      async open(flags) {
        opened.push(flags.context);
        if (flags.context === 'void') throw new ClusterError('Unreachable', 'dial tcp: no route to void');
        // Each context is the example (its prod namespace), read as a snapshot.
        return openSource({ ...flags, snapshot: EXAMPLE, namespace: 'prod' });
      },
    };
    const r = await runCli(['why', '--all-contexts', '--now', NOW, '-o', 'json'], { sources });
    assert.equal(r.code, 3, r.stderr);
    assert.deepEqual(opened.sort(), ['north', 'south', 'void']);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(
      doc.contexts.map((c: any) => [c.context, c.exitCode]),
      [
        ['north', 1],
        ['south', 1],
        ['void', 3],
      ],
    );
    assert.match(r.stderr, /context "void" was not audited: .*no route to void/);
  });
});

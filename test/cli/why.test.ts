import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWhy, type WhyOptions } from '../../src/cli/commands/why.js';
import type { RawInput } from '../../src/cli/commands/define.js';
import { EXAMPLE, runCli } from '../support/run-cli.js';
import { assertUsageError } from '../support/usage-error.js';

// The bundled example is a frozen cluster state (captured 2026-11-23T08:00:00Z, v1.36.3):
// each CronJob and Job in it is broken in one known way.
const why = (...args: string[]) => runCli(['why', ...args, '--snapshot', EXAMPLE]);

describe('why on the example snapshot', () => {
  const cases: Array<[string, string, number, string]> = [
    ['cronjob/backup', 'not-firing', 1, 'Suspended'],
    ['cronjob/report', 'blocked', 1, 'JobAlreadyActive'],
    ['cronjob/cleanup', 'not-firing', 1, 'MissSchedule'],
    ['cronjob/heartbeat', 'healthy', 0, 'DueNow'],
    ['cronjob/nightly', 'blocked', 1, 'InvalidSchedule'],
    ['cronjob/etl', 'failing', 1, 'LastRunsFailed'],
    ['cronjob/archive', 'not-firing', 1, 'TooManyMissedTimes'],
    ['job/migrate-db', 'failed', 1, 'DeadlineExceeded'],
    ['job/import-batch', 'failed', 1, 'PodFailurePolicy'],
    ['job/train-x7k2', 'failed', 1, 'BackoffLimitExceeded'],
    ['job/render', 'stuck', 1, 'ImagePull'],
    ['job/sweep', 'backing-off', 1, 'BackingOff'],
  ];
  for (const [target, verdict, code, cause] of cases) {
    test(`${target}: ${verdict} because ${cause} (exit ${code})`, async () => {
      const r = await why(target, '-o', 'json');
      assert.equal(r.stderr, '');
      const v = JSON.parse(r.stdout);
      assert.equal(v.verdict, verdict);
      assert.equal(v.causes[0].code, cause);
      assert.equal(r.code, code);
      assert.equal(v.now, '2026-11-23T08:00:00Z', 'a snapshot is judged at its capture time');
    });
  }

  test('the JSON verdict of a CronJob has the stable fields', async () => {
    const v = JSON.parse((await why('cronjob/report', '-o', 'json')).stdout);
    for (const k of [
      'kind',
      'namespace',
      'name',
      'verdict',
      'causes',
      'lastScheduleTime',
      'nextScheduleTime',
      'mostRecentUnmetTime',
      'missed',
    ]) {
      assert.ok(k in v, `missing ${k}`);
    }
    assert.equal(v.kind, 'CronJob');
    assert.equal(v.namespace, 'prod');
    assert.equal(v.lastScheduleTime, '2026-11-23T02:30:00Z');
    assert.equal(v.nextScheduleTime, '2026-11-23T08:30:00Z');
    for (const c of v.causes) {
      assert.match(c.severity, /^(info|warning|error)$/);
      assert.ok(Array.isArray(c.evidence) && typeof c.message === 'string');
    }
    const active = v.causes.find((c: { code: string }) => c.code === 'JobAlreadyActive');
    assert.match(JSON.stringify(active.evidence), /report-29923350/);
  });

  test('the JSON verdict of a Job carries the controller decision (backing off: no pod created before the retry time)', async () => {
    const r = await why('job/sweep', '-n', 'ml', '-o', 'json');
    const v = JSON.parse(r.stdout);
    assert.equal(v.decision.skipped, null);
    assert.equal(v.decision.condition, null);
    assert.deepEqual(v.decision.create, { count: 0, indexes: null });
    assert.equal(v.decision.nextRetryAt, v.nextRetryAt);
    assert.equal(v.decision.failures.counted, 2);
  });

  test('a bare name is looked up as a CronJob first, then as a Job', async () => {
    assert.equal(JSON.parse((await why('backup', '-o', 'json')).stdout).kind, 'CronJob');
    assert.equal(JSON.parse((await why('migrate-db', '-o', 'json')).stdout).kind, 'Job');
    const missing = await why('nope');
    assert.equal(missing.code, 4);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /^error: no cronjob or job named "nope"/);
  });

  test('--all audits every CronJob of the snapshot as one table; exit 1 when any is unhealthy', async () => {
    const r = await why('--all');
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAMESPACE\s+NAME\s+VERDICT\s+CAUSE\s+LAST SCHEDULE\s+NEXT$/);
    assert.equal(lines.length, 1 + 9);
    assert.match(r.stdout, /prod\s+report\s+blocked\s+JobAlreadyActive/);
    assert.ok(!r.stdout.includes('\u001b['), 'no colour in a pipe');
  });

  test('-n restricts a snapshot read to one namespace', async () => {
    const r = await why('--all', '-n', 'team-a', '-o', 'json');
    const names = JSON.parse(r.stdout).items.map((v: { name: string }) => v.name);
    assert.deepEqual(names, ['etl', 'nightly', 'sync']);
  });

  test('a selection is a VerdictList however many CronJobs it matches (one, none); a named target is its verdict', async () => {
    const one = JSON.parse(
      (
        await why(
          '--all',
          '-n',
          'prod',
          '--exclude',
          'prod/report',
          '--exclude',
          'prod/cleanup',
          '--exclude',
          'prod/heartbeat',
          '--exclude',
          'prod/digest',
          '-o',
          'json',
        )
      ).stdout,
    );
    assert.equal(one.kind, 'VerdictList');
    assert.deepEqual(
      one.items.map((v: { name: string }) => v.name),
      ['backup'],
    );
    const none = JSON.parse((await why('--all', '-n', 'nowhere', '-o', 'json')).stdout);
    assert.deepEqual([none.kind, none.items], ['VerdictList', []]);
    const named = JSON.parse((await why('cronjob/backup', '-o', 'json')).stdout);
    assert.deepEqual([named.kind, named.name], ['CronJob', 'backup']);
  });

  test('why --all --since: every CronJob is judged on that window (it was ignored before)', async () => {
    const windows = async (extra: string[]) => {
      const r = await runCli(['why', '--all', '-A', '--snapshot', EXAMPLE, '-o', 'json', ...extra]);
      return JSON.parse(r.stdout).items.map((v: any) => v.window.since as string);
    };
    const week = await windows(['--since', '7d']);
    assert.ok(week.length > 1);
    assert.deepEqual(new Set(week), new Set(['2026-11-16T08:00:00Z']), 'a week before the capture time, for each');
    assert.notDeepEqual(await windows([]), week, 'without --since each CronJob has its own default window');
  });

  test('text output names the cause, its evidence and a fix command', async () => {
    const r = await why('cronjob/backup');
    assert.match(r.stdout, /^cronjob\/backup in namespace prod\n/);
    assert.match(r.stdout, /NOT FIRING/);
    assert.match(r.stdout, /kubectl-patch/);
    assert.match(r.stdout, /fix: kubectl job unsuspend backup -n prod/);
  });

  test('usage errors exit 2 with a message and no stack trace', async () => {
    const r = await why('pod/x');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error: "pod\/x": expected cronjob or job\/NAME/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
    const bad = await why('cronjob/backup', '-o', 'xml');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /allowed formats are: json,yaml,wide,name/);
  });
});

describe('parseWhy (pure): what was typed -> options, or the exact usage error', () => {
  const raw = (args: string[], opts: Record<string, unknown> = {}) =>
    ({ args, opts: { controllerTimeZone: 'UTC', ...opts } }) as RawInput<any>;
  const fleet = (extra: Record<string, unknown> = {}) => ({
    mode: 'fleet',
    fleet: { allNamespaces: false, controllerTimeZone: 'UTC', excluded: [] },
    maxConcurrency: 4,
    format: 'text',
    ...extra,
  });
  const ok: Array<[string, RawInput<any>, Record<string, unknown>]> = [
    [
      'a CronJob',
      raw(['cronjob/backup']),
      { mode: 'one', target: { kind: 'CronJob', name: 'backup' }, format: 'text', controllerTimeZone: 'UTC' },
    ],
    [
      'a bare name, -o wide, another controller zone',
      raw(['backup'], { output: 'wide', controllerTimeZone: 'Europe/Berlin' }),
      { mode: 'one', target: { name: 'backup' }, format: 'wide', controllerTimeZone: 'Europe/Berlin' },
    ],
    [
      '--since 7d stays relative to the evaluation instant',
      raw(['job/x'], { since: '7d' }),
      { mode: 'one', target: { kind: 'Job', name: 'x' }, since: { agoMs: 604_800_000 }, format: 'text' },
    ],
    [
      '--since an instant',
      raw(['x'], { since: '2026-11-20T00:00:00Z', output: 'JSON' }),
      { mode: 'one', since: { at: new Date('2026-11-20T00:00:00Z') }, format: 'json' },
    ],
    ['--all', raw([], { all: true }), fleet()],
    [
      '-A -l --exclude: a fleet of one cluster',
      raw([], { allNamespaces: true, selector: 'team=data', exclude: ['ops/audit'], output: 'name' }),
      fleet({
        fleet: { allNamespaces: true, controllerTimeZone: 'UTC', excluded: [{ namespace: 'ops', name: 'audit' }] },
        selector: 'team=data',
        format: 'name',
      }),
    ],
    ['an empty -l selects everything', raw([], { selector: '' }), fleet()],
    [
      '--all --since 7d: the window of every CronJob',
      raw([], { all: true, since: '7d' }),
      fleet({
        fleet: { allNamespaces: false, controllerTimeZone: 'UTC', excluded: [], since: { agoMs: 604_800_000 } },
      }),
    ],
    ['one --context is one cluster', raw([], { all: true, contexts: ['a'] }), fleet()],
    [
      '--context twice with --all',
      raw([], { all: true, contexts: ['a', 'b'], output: 'json' }),
      fleet({ contexts: ['a', 'b'], format: 'json' }),
    ],
    [
      '--all-contexts --max-concurrency 2',
      raw([], { allContexts: true, maxConcurrency: '2' }),
      fleet({ contexts: 'all', maxConcurrency: 2 }),
    ],
    [
      '-f FILE',
      raw([], { filename: ['a.yaml'], output: 'yaml' }),
      {
        mode: 'file',
        file: { inputs: ['a.yaml'], recursive: false, local: false, validate: 'none', format: 'yaml' },
        controllerTimeZone: 'UTC',
      },
    ],
  ];
  const bad: Array<[string, RawInput<any>, string]> = [
    ['nothing', raw([]), 'name a CronJob or Job, or pass --all'],
    ['--local without -f', raw([], { local: true }), '-f needs a file, a directory or - (stdin)'],
    ['a Pod', raw(['pod/x']), '"pod/x": expected cronjob or job/NAME'],
    ['a slash without a name', raw(['job/']), '"job/": the name is missing after the slash'],
    [
      '-o xml',
      raw(['x'], { output: 'xml' }),
      'unable to match a printer suitable for the output format "xml", allowed formats are: json,yaml,wide,name',
    ],
    ['a name and --all', raw(['x'], { all: true }), 'give a name or --all, not both: --all audits every CronJob'],
    ['a name and -l', raw(['x'], { selector: 'a=b' }), 'give a name or --all, not both: -l selects CronJobs by label'],
    ['--exclude without --all', raw(['x'], { exclude: ['a/b'] }), '--exclude needs --all or -A'],
    [
      'a malformed --exclude',
      raw([], { all: true, exclude: ['etl'] }),
      'invalid --exclude "etl": expected NAMESPACE/NAME of a CronJob',
    ],
    [
      'a malformed --since',
      raw(['x'], { since: 'yesterday' }),
      'invalid time for --since: "yesterday" (use RFC 3339, e.g. 2026-11-23T08:00:00Z)',
    ],
    [
      'a negative --since',
      raw(['x'], { since: '-1h' }),
      'invalid time for --since: "-1h" (use RFC 3339, e.g. 2026-11-23T08:00:00Z)',
    ],
    [
      'several contexts without --all',
      raw(['backup'], { contexts: ['a', 'b'] }),
      'several contexts are audited with --all: why backup reads one cluster',
    ],
    [
      '--context and --all-contexts',
      raw([], { allContexts: true, contexts: ['a'] }),
      'give --context or --all-contexts, not both',
    ],
    [
      '-f with several contexts',
      raw([], { filename: ['a.yaml'], contexts: ['a', 'b'] }),
      '--context names 2 contexts (a, b): why -f reads one cluster',
    ],
    [
      '--snapshot with several contexts',
      raw([], { allContexts: true, snapshot: 's.yaml' }),
      '--snapshot is one saved cluster: it cannot be read with several contexts',
    ],
    [
      '-o name with several contexts',
      raw([], { allContexts: true, output: 'name' }),
      '-o name cannot say which context a CronJob is in: use -o json or -o yaml with several contexts',
    ],
    [
      '--server with several contexts',
      raw([], { all: true, contexts: ['a', 'b'], server: 'https://x' }),
      '--server picks one cluster or user: it cannot apply to several contexts',
    ],
    [
      '--max-concurrency 0',
      raw([], { all: true, maxConcurrency: '0' }),
      '--max-concurrency takes a whole number of at least 1, not "0"',
    ],
    ['-f and a name', raw(['x'], { filename: ['a.yaml'] }), 'give -f FILE or a name, not both'],
    ['-f - twice', raw([], { filename: ['-', '-'] }), '-f - (stdin) given more than once'],
    [
      '--since with -f',
      raw([], { filename: ['a'], since: '1h' }),
      '--since does not apply to -f (a manifest has no history)',
    ],
  ];
  for (const [name, input, want] of ok) {
    test(name, () => {
      const got = parseWhy(input) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
    });
  }
  for (const [name, input, message] of bad) {
    test(`refused: ${name}`, () => assertUsageError(() => parseWhy(input), message));
  }
  test('the whole options of a fleet of several contexts (nothing left undefined by accident)', () => {
    const want: WhyOptions = {
      mode: 'fleet',
      fleet: { allNamespaces: false, controllerTimeZone: 'UTC', excluded: [{ namespace: 'x', name: 'y' }] },
      selector: 'a=b',
      contexts: 'all',
      maxConcurrency: 4,
      format: 'text',
    };
    assert.deepEqual(parseWhy(raw([], { allContexts: true, selector: 'a=b', exclude: ['x/y'] })), want);
  });
});

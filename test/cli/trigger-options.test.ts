// The pure parse/validate functions of trigger, wait and suspend/unsuspend, table-tested in process.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSuspendOptions } from '../../src/cli/commands/unsuspend.js';
import { parseKubectlDuration } from '../../src/cli/parse-time.js';
import { parseTriggerOptions, parseWaitOptions, type TriggerFlags } from '../../src/cli/trigger-options.js';
import { UsageError } from '../../src/errors.js';

const NOW = new Date('2026-11-23T08:00:00Z');

describe('parseTriggerOptions: accepted', () => {
  const ok: Array<[string, string[], string[] | undefined, TriggerFlags, Record<string, unknown>]> = [
    [
      "a bare name: manual, kubectl's shape, no limit",
      ['backup'],
      undefined,
      {},
      {
        cronJob: 'backup',
        mode: 'manual',
        times: [],
        overrides: {},
        dryRun: 'none',
        format: 'text',
        wait: false,
        timeoutMs: 0,
        yes: false,
      },
    ],
    ['--from cronjob/NAME', [], undefined, { from: 'cronjob/backup' }, { cronJob: 'backup', mode: 'manual' }],
    [
      '--for twice: backfill, times parsed',
      ['backup'],
      undefined,
      { for: ['2026-11-23T02:00:00Z', '2026-11-22T02:00:00+01:00'] },
      { mode: 'backfill', times: [new Date('2026-11-23T02:00:00Z'), new Date('2026-11-22T01:00:00Z')] },
    ],
    [
      '--missed --since 7d counts back from now',
      ['backup'],
      undefined,
      { missed: true, since: '7d' },
      { mode: 'backfill', missedSince: new Date('2026-11-16T08:00:00Z') },
    ],
    [
      '--missed --since an instant',
      ['backup'],
      undefined,
      { missed: true, since: '2026-11-20T00:00:00Z' },
      { missedSince: new Date('2026-11-20T00:00:00Z') },
    ],
    [
      'overrides: image, env in order, args after --, container',
      ['backup'],
      ['echo', '--x', 'y'],
      { image: 'busybox:1.36', env: ['A=1', 'B=x=y', 'C='], container: 'main' },
      {
        overrides: {
          container: 'main',
          image: 'busybox:1.36',
          env: [
            ['A', '1'],
            ['B', 'x=y'],
            ['C', ''],
          ],
          args: ['echo', '--x', 'y'],
        },
      },
    ],
    ['-- with nothing after it: empty args', ['backup'], [], {}, { overrides: { args: [] } }],
    ['--owner plain', ['backup'], undefined, { owner: 'plain' }, { owner: 'plain' }],
    [
      '--wait --timeout 1m30s',
      ['backup'],
      undefined,
      { wait: true, timeout: '1m30s' },
      { wait: true, timeoutMs: 90_000 },
    ],
    [
      '--wait with one --for',
      ['backup'],
      undefined,
      { wait: true, for: ['2026-11-23T02:00:00Z'] },
      { wait: true, mode: 'backfill' },
    ],
    [
      '--yes and --dry-run=server -o name',
      ['backup'],
      undefined,
      { yes: true, dryRun: 'server', output: 'name' },
      { yes: true, dryRun: 'server', format: 'name' },
    ],
  ];
  for (const [title, operands, dash, flags, want] of ok) {
    it(title, () => {
      const got = parseTriggerOptions(operands, dash, flags, NOW) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
    });
  }
});

describe('parseTriggerOptions: usage errors', () => {
  const bad: Array<[string, string[], string[] | undefined, TriggerFlags, RegExp]> = [
    ['no CronJob', [], undefined, {}, /which CronJob\?/],
    ['an argument and --from', ['a'], undefined, { from: 'b' }, /either as an argument or with --from/],
    [
      'a second operand without --',
      ['backup', 'echo'],
      undefined,
      {},
      /unexpected argument "echo": container args go after --/,
    ],
    ['a Job as the source', [], undefined, { from: 'job/x' }, /expected cronjob\/NAME/],
    ['--for that is not a time', ['b'], undefined, { for: ['yesterday'] }, /invalid time for --for: "yesterday"/],
    ['--for empty', ['b'], undefined, { for: [''] }, /--for needs a time/],
    ['--missed without --since', ['b'], undefined, { missed: true }, /--missed needs a window/],
    ['--since without --missed', ['b'], undefined, { since: '1d' }, /--since goes with --missed/],
    [
      '--since in the future',
      ['b'],
      undefined,
      { missed: true, since: '2027-01-01T00:00:00Z' },
      /--since must be in the past/,
    ],
    ['--since empty', ['b'], undefined, { missed: true, since: '' }, /--since needs a duration or a time/],
    [
      '--name with --for',
      ['b'],
      undefined,
      { name: 'x', for: ['2026-11-23T02:00:00Z'] },
      /--name cannot be combined with --for\/--missed/,
    ],
    ['an invalid --name', ['b'], undefined, { name: 'Bad_Name' }, /invalid --name "Bad_Name"/],
    ['--env without =', ['b'], undefined, { env: ['A'] }, /invalid --env "A": use NAME=VALUE/],
    ['--env with an empty name', ['b'], undefined, { env: ['=1'] }, /invalid --env "=1"/],
    ['--env with a bad name', ['b'], undefined, { env: ['1A=x'] }, /invalid --env name "1A"/],
    ['--image with a space', ['b'], undefined, { image: 'a b' }, /invalid --image "a b"/],
    ['--image empty', ['b'], undefined, { image: '' }, /invalid --image ""/],
    ['--container empty', ['b'], undefined, { container: '' }, /--container needs a container name/],
    [
      '--owner unknown',
      ['b'],
      undefined,
      { owner: 'mine' },
      /invalid --owner "mine": must be one of controller, plain, none/,
    ],
    ['--timeout without --wait', ['b'], undefined, { timeout: '5m' }, /--timeout goes with --wait/],
    [
      "--timeout in days (not kubectl's grammar)",
      ['b'],
      undefined,
      { wait: true, timeout: '1d' },
      /invalid duration for --timeout: "1d"/,
    ],
    [
      '--wait with --dry-run',
      ['b'],
      undefined,
      { wait: true, dryRun: 'client' },
      /--wait cannot be combined with --dry-run/,
    ],
    ['--wait with --missed', ['b'], undefined, { wait: true, missed: true, since: '1d' }, /--wait waits for one Job/],
    [
      '--wait with two --for',
      ['b'],
      undefined,
      { wait: true, for: ['2026-11-23T02:00:00Z', '2026-11-23T03:00:00Z'] },
      /--wait waits for one Job/,
    ],
    ['an unknown -o', ['b'], undefined, { output: 'wide' }, /allowed formats are: json,yaml,name/],
    ['an unknown --dry-run', ['b'], undefined, { dryRun: 'maybe' }, /invalid --dry-run value "maybe"/],
  ];
  for (const [title, operands, dash, flags, msg] of bad) {
    it(title, () =>
      assert.throws(
        () => parseTriggerOptions(operands, dash, flags, NOW),
        (e: unknown) => e instanceof UsageError && msg.test(e.message),
      ),
    );
  }
});

describe('parseWaitOptions and parseKubectlDuration', () => {
  it('job/NAME, default 30s as kubectl wait', () =>
    assert.deepEqual(parseWaitOptions(['job/x'], {}), { name: 'x', timeoutMs: 30_000 }));
  it('a bare name and --timeout 0 (look once)', () =>
    assert.deepEqual(parseWaitOptions(['x'], { timeout: '0' }), { name: 'x', timeoutMs: 0 }));
  it('1h30m', () => assert.equal(parseKubectlDuration('1h30m', '--timeout'), 5_400_000));
  const bad: Array<[string[], string | undefined, RegExp]> = [
    [[], undefined, /which Job\?/],
    [['a', 'b'], undefined, /wait takes one Job, not 2/],
    [['cronjob/x'], undefined, /expected job\/NAME/],
    [['x'], '-5s', /is negative/],
    [['x'], '10', /invalid duration for --timeout: "10"/],
    [['x'], '7d', /invalid duration for --timeout: "7d"/],
  ];
  for (const [args, timeout, msg] of bad) {
    it(`refuses ${JSON.stringify(args)} --timeout ${timeout}`, () =>
      assert.throws(
        () => parseWaitOptions(args, { timeout }),
        (e: unknown) => e instanceof UsageError && msg.test(e.message),
      ));
  }
});

describe('parseSuspendOptions', () => {
  const ok: Array<[string, string[], Record<string, unknown>, Record<string, unknown>]> = [
    ['names', ['a', 'cronjob/b'], {}, { scope: 'names', names: ['a', 'b'], dryRun: 'none', format: 'text' }],
    [
      '-l alone: the namespace, filtered',
      [],
      { selector: 'team=data' },
      { scope: 'namespace', names: [], selector: 'team=data' },
    ],
    [
      '-l with -A: every namespace',
      [],
      { selector: 'team in (a,b)', allNamespaces: true },
      { scope: 'all', selector: 'team in (a,b)' },
    ],
    ['--all', [], { all: true }, { scope: 'namespace' }],
    ['--dry-run -o name', ['a'], { dryRun: true, output: 'name' }, { dryRun: 'client', format: 'name' }],
  ];
  for (const [title, args, flags, want] of ok) {
    it(title, () => {
      const got = parseSuspendOptions(args, flags) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
    });
  }
  const bad: Array<[string, string[], Record<string, unknown>, RegExp]> = [
    ['nothing', [], {}, /which CronJobs\?/],
    ['names and -l', ['a'], { selector: 'x=y' }, /give CronJob names or --all\/-A\/-l, not both/],
    ['a bad selector', [], { selector: 'a=(b' }, /-l/],
    ['an empty selector', [], { selector: ' ' }, /-l needs a label selector/],
    ['a Job name', ['job/x'], {}, /expected cronjob\/NAME/],
  ];
  for (const [title, args, flags, msg] of bad) {
    it(`refuses ${title}`, () =>
      assert.throws(
        () => parseSuspendOptions(args, flags),
        (e: unknown) => e instanceof UsageError && msg.test(e.message),
      ));
  }
});

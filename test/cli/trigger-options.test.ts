// The pure parse/validate functions of trigger, wait and suspend/unsuspend, table-tested in process:
// what commander read (operands, flags, the arguments after `--`) -> options, or the usage error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawInput } from '../../src/cli/commands/define.js';
import { parseSuspend } from '../../src/cli/commands/suspend.js';
import { parseUnsuspend } from '../../src/cli/commands/unsuspend.js';
import { parseKubectlDuration, resolveTimeArg } from '../../src/cli/parse-time.js';
import { parseTrigger, parseWait, sinceInPast, type TriggerFlags } from '../../src/cli/trigger-options.js';
import { UsageError } from '../../src/errors.js';
import { assertUsageError } from '../support/usage-error.js';

const NOW = new Date('2026-11-23T08:00:00Z');
const DAY = 86_400_000;

/** trigger's flags and the global --snapshot. */
type Flags = TriggerFlags & { snapshot?: string };

/** What commander hands over: the operands (those after `--` last, as commander gives them), the flags. */
const raw = <F>(operands: string[], dashArgs: string[] | undefined, flags: F): RawInput<any> => ({
  args: [...operands, ...(dashArgs ?? [])],
  opts: { color: 'auto', controllerTimeZone: 'UTC', ...flags },
  ...(dashArgs ? { dashArgs } : {}),
});

describe('parseTrigger: accepted', () => {
  const ok: Array<[string, string[], string[] | undefined, Flags, Record<string, unknown>]> = [
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
      '--missed --since 7d stays relative: 7 days before now, whenever now is',
      ['backup'],
      undefined,
      { missed: true, since: '7d' },
      { mode: 'backfill', missedSince: { agoMs: 7 * DAY } },
    ],
    [
      '--missed --since an instant',
      ['backup'],
      undefined,
      { missed: true, since: '2026-11-20T00:00:00Z' },
      { missedSince: { at: new Date('2026-11-20T00:00:00Z') } },
    ],
    [
      '--missed --since an instant after now: checked when running, against the evaluation instant',
      ['backup'],
      undefined,
      { missed: true, since: '2027-01-01T00:00:00Z' },
      { missedSince: { at: new Date('2027-01-01T00:00:00Z') } },
    ],
    [
      '--snapshot with --dry-run=client: printing what would be sent is allowed',
      ['backup'],
      undefined,
      { snapshot: 'snap.yaml', dryRun: 'client' },
      { dryRun: 'client' },
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
    [
      '--from, then args after --: no operand before them',
      [],
      ['echo', 'hi'],
      { from: 'cronjob/backup' },
      { cronJob: 'backup', overrides: { args: ['echo', 'hi'] } },
    ],
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
      const got = parseTrigger(raw(operands, dash, flags)) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
    });
  }
});

describe('parseTrigger: usage errors', () => {
  const bad: Array<[string, string[], string[] | undefined, Flags, string]> = [
    ['no CronJob', [], undefined, {}, 'which CronJob? pass --from cronjob/NAME'],
    [
      'an argument and --from',
      ['a'],
      undefined,
      { from: 'b' },
      'give the CronJob either as an argument or with --from, not both',
    ],
    [
      'a second operand without --',
      ['backup', 'echo'],
      undefined,
      {},
      'unexpected argument "echo": container args go after --',
    ],
    ['a Job as the source', [], undefined, { from: 'job/x' }, '"job/x": expected cronjob/NAME'],
    [
      '--for that is not a time',
      ['b'],
      undefined,
      { for: ['yesterday'] },
      'invalid time for --for: "yesterday" (use RFC 3339, e.g. 2026-11-23T08:00:00Z)',
    ],
    ['--for empty', ['b'], undefined, { for: [''] }, '--for needs a time, e.g. --for 2026-11-23T02:00:00Z'],
    [
      '--missed without --since',
      ['b'],
      undefined,
      { missed: true },
      '--missed needs a window: --since 24h (or an RFC 3339 time)',
    ],
    [
      '--since without --missed',
      ['b'],
      undefined,
      { since: '1d' },
      '--since goes with --missed (the window whose missed times to run)',
    ],
    ['--since 0s (not in the past)', ['b'], undefined, { missed: true, since: '0s' }, '--since must be in the past'],
    ['--since now', ['b'], undefined, { missed: true, since: 'now' }, '--since must be in the past'],
    [
      '--since 3x (no such unit)',
      ['b'],
      undefined,
      { missed: true, since: '3x' },
      'invalid duration for --since: "3x": time: unknown unit "x" in duration "3x" (use e.g. 90s, 1m30s, 2h, 7d, 1w)',
    ],
    [
      '--since empty',
      ['b'],
      undefined,
      { missed: true, since: '' },
      '--since needs a duration or a time, e.g. --since 24h',
    ],
    [
      '--name with --for',
      ['b'],
      undefined,
      { name: 'x', for: ['2026-11-23T02:00:00Z'] },
      "--name cannot be combined with --for/--missed: the Jobs get the controller's name for each time",
    ],
    [
      'an invalid --name',
      ['b'],
      undefined,
      { name: 'Bad_Name' },
      "invalid --name \"Bad_Name\": must consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character",
    ],
    ['--env without =', ['b'], undefined, { env: ['A'] }, 'invalid --env "A": use NAME=VALUE'],
    ['--env with an empty name', ['b'], undefined, { env: ['=1'] }, 'invalid --env "=1": use NAME=VALUE'],
    [
      '--env with a bad name',
      ['b'],
      undefined,
      { env: ['1A=x'] },
      "invalid --env name \"1A\": letters, digits, '_', '-' and '.', not starting with a digit",
    ],
    [
      '--image with a space',
      ['b'],
      undefined,
      { image: 'a b' },
      'invalid --image "a b": an image reference has no spaces and is not empty',
    ],
    [
      '--image empty',
      ['b'],
      undefined,
      { image: '' },
      'invalid --image "": an image reference has no spaces and is not empty',
    ],
    ['--container empty', ['b'], undefined, { container: '' }, '--container needs a container name'],
    [
      '--owner unknown',
      ['b'],
      undefined,
      { owner: 'mine' },
      'invalid --owner "mine": must be one of controller, plain, none',
    ],
    ['--timeout without --wait', ['b'], undefined, { timeout: '5m' }, '--timeout goes with --wait'],
    [
      "--timeout in days (not kubectl's grammar)",
      ['b'],
      undefined,
      { wait: true, timeout: '1d' },
      'invalid duration for --timeout: "1d": time: unknown unit "d" in duration "1d" (use e.g. 30s, 5m, 1h30m)',
    ],
    [
      '--wait with --dry-run',
      ['b'],
      undefined,
      { wait: true, dryRun: 'client' },
      '--wait cannot be combined with --dry-run: nothing would run',
    ],
    [
      '--wait with --missed',
      ['b'],
      undefined,
      { wait: true, missed: true, since: '1d' },
      '--wait waits for one Job: use it with one --for time, or run `kubectl job wait job/NAME` for each',
    ],
    [
      '--wait with two --for',
      ['b'],
      undefined,
      { wait: true, for: ['2026-11-23T02:00:00Z', '2026-11-23T03:00:00Z'] },
      '--wait waits for one Job: use it with one --for time, or run `kubectl job wait job/NAME` for each',
    ],
    [
      'an unknown -o',
      ['b'],
      undefined,
      { output: 'wide' },
      'unable to match a printer suitable for the output format "wide", allowed formats are: json,yaml,name',
    ],
    [
      'an unknown --dry-run',
      ['b'],
      undefined,
      { dryRun: 'maybe' },
      'invalid --dry-run value "maybe": must be "none", "client" or "server" (write it as --dry-run=server)',
    ],
    [
      '--snapshot without --dry-run=client',
      ['b'],
      undefined,
      { snapshot: 'snap.yaml' },
      'trigger changes the cluster: --snapshot snap.yaml is read-only',
    ],
    [
      '--snapshot with --dry-run=server',
      ['b'],
      undefined,
      { snapshot: 'snap.yaml', dryRun: 'server' },
      'trigger changes the cluster: --snapshot snap.yaml is read-only',
    ],
  ];
  for (const [title, operands, dash, flags, msg] of bad) {
    it(title, () => assertUsageError(() => parseTrigger(raw(operands, dash, flags)), msg));
  }
});

describe('the --since window when running', () => {
  it('a duration counts back from the evaluation instant', () =>
    assert.deepEqual(sinceInPast(resolveTimeArg({ agoMs: 7 * DAY }, NOW), NOW), new Date('2026-11-16T08:00:00Z')));
  it('an instant before now is kept', () =>
    assert.deepEqual(
      sinceInPast(resolveTimeArg({ at: new Date('2026-11-20T00:00:00Z') }, NOW), NOW),
      new Date('2026-11-20T00:00:00Z'),
    ));
  for (const at of ['2026-11-23T08:00:00Z', '2027-01-01T00:00:00Z']) {
    it(`an instant at or after now (${at}) is refused`, () =>
      assertUsageError(() => sinceInPast(new Date(at), NOW), '--since must be in the past'));
  }
});

describe('parseWait and parseKubectlDuration', () => {
  it('job/NAME, default 30s as kubectl wait', () =>
    assert.deepEqual(parseWait(raw(['job/x'], undefined, {})), { name: 'x', timeoutMs: 30_000 }));
  it('a bare name and --timeout 0 (look once)', () =>
    assert.deepEqual(parseWait(raw(['x'], undefined, { timeout: '0' })), { name: 'x', timeoutMs: 0 }));
  it('1h30m', () => assert.equal(parseKubectlDuration('1h30m', '--timeout'), 5_400_000));
  const bad: Array<[string[], string | undefined, string]> = [
    [[], undefined, 'which Job? kubectl job wait job/NAME'],
    [['a', 'b'], undefined, 'wait takes one Job, not 2'],
    [['cronjob/x'], undefined, '"cronjob/x": expected job/NAME'],
    [['x'], '-5s', 'invalid duration for --timeout: "-5s" is negative'],
    [
      ['x'],
      '10',
      'invalid duration for --timeout: "10": time: missing unit in duration "10" (use e.g. 30s, 5m, 1h30m)',
    ],
    [
      ['x'],
      '7d',
      'invalid duration for --timeout: "7d": time: unknown unit "d" in duration "7d" (use e.g. 30s, 5m, 1h30m)',
    ],
  ];
  for (const [args, timeout, msg] of bad) {
    it(`refuses ${JSON.stringify(args)} --timeout ${timeout}`, () =>
      assertUsageError(() => parseWait(raw(args, undefined, { timeout })), msg));
  }
});

describe('parseUnsuspend and parseSuspend', () => {
  const ok: Array<[string, string[], Record<string, unknown>, Record<string, unknown>]> = [
    [
      'names',
      ['a', 'cronjob/b'],
      {},
      { suspend: false, scope: 'names', names: ['a', 'b'], dryRun: 'none', format: 'text' },
    ],
    [
      '-l alone: the namespace, filtered',
      [],
      { selector: 'team=data' },
      {
        scope: 'namespace',
        names: [],
        selector: 'team=data',
        labels: [{ key: 'team', op: '=', value: 'data' }],
      },
    ],
    [
      '-l with -A: every namespace',
      [],
      { selector: 'team in (a,b)', allNamespaces: true },
      { scope: 'all', selector: 'team in (a,b)' },
    ],
    ['--all', [], { all: true }, { scope: 'namespace', selector: undefined, labels: undefined }],
    ['--dry-run -o name', ['a'], { dryRun: true, output: 'name' }, { dryRun: 'client', format: 'name' }],
    ['--snapshot with --dry-run=client', ['a'], { snapshot: 's.yaml', dryRun: 'client' }, { dryRun: 'client' }],
  ];
  for (const [title, args, flags, want] of ok) {
    it(title, () => {
      const got = parseUnsuspend(raw(args, undefined, flags)) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
    });
  }
  it('suspend: the same selection, .spec.suspend set to true', () => {
    const input = raw(['a'], undefined, { dryRun: 'server' });
    assert.deepEqual(parseSuspend(input), { ...parseUnsuspend(input), suspend: true });
  });
  const bad: Array<[string, string[], Record<string, unknown>, string]> = [
    ['nothing', [], {}, 'which CronJobs? give one or more names, or --all / -A / -l SELECTOR'],
    ['names and -l', ['a'], { selector: 'x=y' }, 'give CronJob names or --all/-A/-l, not both'],
    ['a bad selector', [], { selector: 'a=(b' }, 'invalid label selector for -l "a=(b": unbalanced parentheses'],
    ['an empty selector', [], { selector: ' ' }, '-l needs a label selector, e.g. -l team=data'],
    ['a Job name', ['job/x'], {}, '"job/x": expected cronjob/NAME'],
    [
      '--snapshot without --dry-run=client',
      ['a'],
      { snapshot: 's.yaml' },
      'unsuspend changes the cluster: --snapshot s.yaml is read-only',
    ],
  ];
  for (const [title, args, flags, msg] of bad) {
    it(`refuses ${title}`, () => assertUsageError(() => parseUnsuspend(raw(args, undefined, flags)), msg));
  }
  it('suspend names itself in the --snapshot refusal', () =>
    assert.throws(
      () => parseSuspend(raw(['a'], undefined, { snapshot: 's.yaml', dryRun: 'server' })),
      (e: unknown) =>
        e instanceof UsageError && e.message === 'suspend changes the cluster: --snapshot s.yaml is read-only',
    ));
});

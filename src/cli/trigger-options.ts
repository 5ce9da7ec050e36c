// Parse and validate what was typed for `trigger` and `wait`: pure functions (no IO, no clock: a
// window relative to now stays relative until the command runs), table-tested in
// test/cli/trigger-options.test.ts.
import { OWNER_MODES, type OwnerMode } from '../controller/plans/backfill.js';
import type { Overrides } from '../controller/plans/overrides.js';
import { invalidJobName } from '../controller/plans/trigger.js';
import type { DryRun } from '../controller/plans/types.js';
import { UsageError } from '../errors.js';
import { parseOutputFormat } from '../output/format.js';
import type { RawInput } from './commands/define.js';
import { parseDryRun, refuseSnapshot } from './commands/mutating.js';
import { parseInstant, parseKubectlDuration, parseTimeArg, type TimeArg } from './parse-time.js';
import { parseTarget } from './target.js';

/** The formats `trigger`'s -o takes (text is the default). */
export const TRIGGER_FORMATS = ['json', 'yaml', 'name'] as const;

/** `trigger`'s flags as commander hands them over. */
export interface TriggerFlags {
  from?: string;
  name?: string;
  dryRun?: string | boolean;
  output?: string;
  wait?: boolean;
  timeout?: string;
  for?: string[];
  missed?: boolean;
  since?: string;
  image?: string;
  env?: string[];
  container?: string;
  owner?: string;
  yes?: boolean;
}

/** `trigger`, validated. */
export interface TriggerOptions {
  cronJob: string;
  /** manual: one Job now (kubectl's shape); backfill: the controller's Jobs for past schedule times. */
  mode: 'manual' | 'backfill';
  name?: string;
  times: Date[];
  /** --missed --since: the window's start, an instant or a time before now (resolved when running). */
  missedSince?: TimeArg;
  overrides: Overrides;
  /** Undefined = the mode's default (kubectl's reference for manual, the controller's for backfill). */
  owner?: OwnerMode;
  dryRun: DryRun;
  format: 'text' | (typeof TRIGGER_FORMATS)[number];
  wait: boolean;
  /** 0 = no limit. */
  timeoutMs: number;
  yes: boolean;
}

/** The usage error of a --since window that does not start in the past. */
const SINCE_NOT_PAST = '--since must be in the past';

/** Refuses a --since instant at or after `now` (the evaluation instant, known when running). */
export function sinceInPast(since: Date, now: Date): Date {
  if (since.getTime() >= now.getTime()) throw new UsageError(SINCE_NOT_PAST);
  return since;
}

/** An environment variable name as the API accepts it (validation.IsEnvVarName). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * Validates what was typed for `trigger` (pure). The operands are the arguments before `--`; those
 * after it (`dashArgs`, undefined without `--`) replace the container's args.
 */
export function parseTrigger({ args, opts: f, dashArgs }: RawInput<TriggerFlags>): TriggerOptions {
  // commander hands over the arguments after `--` as the last operands too.
  const operands = dashArgs ? args.slice(0, args.length - dashArgs.length) : args;
  const format = parseOutputFormat(f.output, TRIGGER_FORMATS);
  const dryRun = parseDryRun(f.dryRun);
  if (operands.length > 1)
    throw new UsageError(
      `unexpected argument "${operands[1]}": container args go after --`,
      'kubectl job trigger backup -- echo hello',
    );
  if (operands[0] && f.from) throw new UsageError('give the CronJob either as an argument or with --from, not both');
  const from = f.from ?? operands[0];
  if (!from)
    throw new UsageError('which CronJob? pass --from cronjob/NAME', 'kubectl job trigger --from cronjob/backup');
  const cronJob = parseTarget(from, ['CronJob']).name;

  const times = (f.for ?? []).map((v) => {
    if (v === '') throw new UsageError('--for needs a time, e.g. --for 2026-11-23T02:00:00Z');
    return parseInstant(v, '--for');
  });
  if (f.since !== undefined && !f.missed)
    throw new UsageError('--since goes with --missed (the window whose missed times to run)');
  if (f.missed && f.since === undefined)
    throw new UsageError('--missed needs a window: --since 24h (or an RFC 3339 time)');
  if (f.since === '') throw new UsageError('--since needs a duration or a time, e.g. --since 24h');
  const missedSince = f.missed ? parseTimeArg(f.since!, '--since') : undefined;
  // An instant is checked against now when running (sinceInPast); a duration of 0 (or `now`) never is in the past.
  if (missedSince && 'agoMs' in missedSince && missedSince.agoMs <= 0) throw new UsageError(SINCE_NOT_PAST);
  const mode = times.length || f.missed ? 'backfill' : 'manual';
  if (mode === 'backfill' && f.name !== undefined)
    throw new UsageError(
      "--name cannot be combined with --for/--missed: the Jobs get the controller's name for each time",
    );
  if (f.name !== undefined) {
    const bad = invalidJobName(f.name);
    if (bad) throw new UsageError(`invalid --name "${f.name}": ${bad}`);
  }

  const overrides: Overrides = {};
  if (f.container !== undefined) {
    if (!f.container) throw new UsageError('--container needs a container name');
    overrides.container = f.container;
  }
  if (f.image !== undefined) {
    if (!f.image.trim() || /\s/.test(f.image))
      throw new UsageError(`invalid --image "${f.image}": an image reference has no spaces and is not empty`);
    overrides.image = f.image;
  }
  if (f.env?.length) {
    overrides.env = f.env.map((kv) => {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageError(`invalid --env "${kv}": use NAME=VALUE`);
      const name = kv.slice(0, eq);
      if (!ENV_NAME.test(name))
        throw new UsageError(
          `invalid --env name "${name}": letters, digits, '_', '-' and '.', not starting with a digit`,
        );
      return [name, kv.slice(eq + 1)] as [string, string];
    });
  }
  if (dashArgs !== undefined) overrides.args = dashArgs;

  let owner: OwnerMode | undefined;
  if (f.owner !== undefined) {
    if (!(OWNER_MODES as readonly string[]).includes(f.owner))
      throw new UsageError(`invalid --owner "${f.owner}": must be one of ${OWNER_MODES.join(', ')}`);
    owner = f.owner as OwnerMode;
  }

  const wait = f.wait === true;
  const timeoutMs = f.timeout === undefined || f.timeout === '0' ? 0 : parseKubectlDuration(f.timeout, '--timeout');
  if (f.timeout !== undefined && f.timeout !== '0' && !wait) throw new UsageError('--timeout goes with --wait');
  if (wait && dryRun !== 'none') throw new UsageError('--wait cannot be combined with --dry-run: nothing would run');
  if (wait && (f.missed || times.length > 1))
    throw new UsageError(
      '--wait waits for one Job: use it with one --for time, or run `kubectl job wait job/NAME` for each',
    );
  refuseSnapshot(f.snapshot, dryRun, 'trigger');
  return {
    cronJob,
    mode,
    ...(f.name !== undefined ? { name: f.name } : {}),
    times,
    ...(missedSince ? { missedSince } : {}),
    overrides,
    ...(owner ? { owner } : {}),
    dryRun,
    format,
    wait,
    timeoutMs,
    yes: f.yes === true,
  };
}

/** `wait`'s flags as commander hands them over. */
export interface WaitFlags {
  timeout?: string;
}

/** `wait`, validated. */
export interface WaitOptions {
  name: string;
  /** kubectl's default is 30s; 0 = look once and do not wait. */
  timeoutMs: number;
}

/** Validates `wait job/NAME [--timeout D]` (pure). */
export function parseWait({ args, opts: f }: RawInput<WaitFlags>): WaitOptions {
  if (args.length === 0) throw new UsageError('which Job? kubectl job wait job/NAME');
  if (args.length > 1)
    throw new UsageError(`wait takes one Job, not ${args.length}`, 'run one kubectl job wait per Job');
  const name = parseTarget(args[0]!, ['Job']).name;
  const timeoutMs = parseKubectlDuration(f.timeout ?? '30s', '--timeout');
  return { name, timeoutMs };
}

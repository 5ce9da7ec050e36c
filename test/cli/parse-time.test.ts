import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseCount,
  parseDuration,
  parseInstant,
  parseInstantOrAgo,
  parseKubectlDuration,
  parseTimeArg,
  resolveTimeArg,
} from '../../src/cli/parse-time.js';
import { parseRequestTimeout } from '../../src/cluster/kubeconfig.js';
import { parseGoDuration } from '../../src/controller/duration.js';
import { UsageError } from '../../src/errors.js';

test('durations', () => {
  assert.equal(parseDuration('90s', '--x'), 90_000);
  assert.equal(parseDuration('2h30m', '--x'), 9_000_000);
  assert.equal(parseDuration('7d', '--x'), 604_800_000);
  assert.equal(parseDuration('1w', '--x'), 604_800_000);
  // Go's grammar (fractions, several units, µs), with d and w added
  assert.equal(parseDuration('1m30s', '--x'), 90_000);
  assert.equal(parseDuration('1.5h', '--x'), 5_400_000);
  assert.equal(parseDuration('1d12h', '--x'), 129_600_000);
  assert.equal(parseDuration('1500us', '--x'), 1.5);
  assert.equal(parseDuration('0', '--x'), 0);
  for (const bad of ['', '5', 'x', '5 m', '1h-', '-1h', '1y', '.h'])
    assert.throws(() => parseDuration(bad, '--x'), UsageError, bad);
});

test("every duration flag reads Go's grammar through the one parser, and its errors are one line", () => {
  const flags: Array<[string, (v: string) => number]> = [
    ['--since, --older-than', (v) => parseDuration(v, '--since')],
    ['--timeout', (v) => parseKubectlDuration(v, '--timeout')],
    ['--request-timeout', (v) => parseRequestTimeout(v)],
  ];
  for (const [flag, parse] of flags) {
    for (const v of ['300ms', '2h45m', '1h30m', '1.5h', '.5s', '1.s', '1h2m3s4ms5us6ns', '1\u00b5s', '10.5s4m']) {
      assert.equal(parse(v), parseGoDuration(v), `${flag} ${v}`);
    }
    for (const v of ['1h\n', '\n', '1\u0007s', '5\r\nm', '-1h', '1x']) {
      assert.throws(
        () => parse(v),
        (e: unknown) => e instanceof UsageError && !/[\n\r]/.test(e.message),
        `${flag} ${JSON.stringify(v)}`,
      );
    }
  }
});

test('instants', () => {
  assert.equal(parseInstant('2026-11-23T08:00:00Z', '--x').toISOString(), '2026-11-23T08:00:00.000Z');
  assert.equal(parseInstant('2026-11-23T09:00:00+01:00', '--x').toISOString(), '2026-11-23T08:00:00.000Z');
  assert.equal(parseInstant('2026-11-23', '--x').toISOString(), '2026-11-23T00:00:00.000Z');
  assert.throws(() => parseInstant('yesterday', '--x'), UsageError);
  assert.throws(() => parseInstant('2026-11-23T08:00:00', '--x'), UsageError, 'a time without a zone is ambiguous');
});

test('--since accepts a duration before now', () => {
  const now = new Date('2026-11-23T08:00:00Z');
  assert.equal(parseInstantOrAgo('24h', '--since', now).toISOString(), '2026-11-22T08:00:00.000Z');
  assert.equal(parseInstantOrAgo('2026-11-01T00:00:00Z', '--since', now).toISOString(), '2026-11-01T00:00:00.000Z');
});

test('a time flag parsed before now is known: a duration stays relative, `now` is 0 ago', () => {
  const now = new Date('2026-11-23T08:00:00Z');
  assert.deepEqual(parseTimeArg('24h', '--since'), { agoMs: 86_400_000 });
  assert.deepEqual(parseTimeArg('now', '--since'), { agoMs: 0 });
  assert.deepEqual(parseTimeArg('2026-11-01', '--since'), { at: new Date('2026-11-01T00:00:00Z') });
  assert.equal(resolveTimeArg(parseTimeArg('7d', '--since'), now).toISOString(), '2026-11-16T08:00:00.000Z');
  assert.equal(resolveTimeArg(parseTimeArg('now', '--since'), now).toISOString(), now.toISOString());
  assert.throws(() => parseTimeArg('yesterday', '--since'), UsageError);
  assert.throws(() => parseTimeArg('3x', '--since'), UsageError);
});

test('counts', () => {
  assert.equal(parseCount('3', '--count'), 3);
  assert.throws(() => parseCount('0', '--count'), UsageError);
  assert.throws(() => parseCount('-1', '--count'), UsageError);
});

// Go's time.ParseDuration and time.LoadLocation rules as re-implemented for the cron engine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadLocation, parseGoDuration, parseGoDurationNs } from '../../../src/controller/cron/index.js';

const durations: Array<[string, number]> = [
  ['1h30m', 5_400_000],
  ['90s', 90_000],
  ['1.5h', 5_400_000],
  ['300ms', 300],
  ['-1.5m', -90_000],
  ['+2s', 2_000],
  ['0', 0],
  ['.5s', 500],
  ['1.s', 1_000],
  ['1us', 0.001],
  ['1\u00b5s', 0.001],
  ['1\u03bcs', 0.001],
  ['2h45m10.5s', 9_910_500],
];

for (const [text, ms] of durations) {
  test(`parseGoDuration(${JSON.stringify(text)}) = ${ms} ms`, () => assert.equal(parseGoDuration(text), ms));
}

test('parseGoDurationNs keeps nanoseconds exactly, int64 limits included', () => {
  assert.equal(parseGoDurationNs('9223372036854775807ns'), 9223372036854775807n);
  assert.equal(parseGoDurationNs('-9223372036854775808ns'), -9223372036854775808n);
  assert.equal(parseGoDurationNs('0.000000001s'), 1n);
});

const badDurations: Array<[string, string]> = [
  ['', 'time: invalid duration ""'],
  ['5', 'time: missing unit in duration "5"'],
  ['1x', 'time: unknown unit "x" in duration "1x"'],
  ['1d', 'time: unknown unit "d" in duration "1d"'],
  ['.s', 'time: invalid duration ".s"'],
  ['-', 'time: invalid duration "-"'],
  ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
  ['1\u00e9', 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'],
];

for (const [text, message] of badDurations) {
  test(`parseGoDuration(${JSON.stringify(text)}) throws ${message}`, () => {
    assert.throws(() => parseGoDuration(text), { message });
  });
}

const zones: Array<[string, string]> = [
  ['', 'UTC'],
  ['UTC', 'UTC'],
  ['Local', 'UTC'],
  ['America/New_York', 'America/New_York'],
  ['US/Eastern', 'US/Eastern'],
  ['Asia/Calcutta', 'Asia/Calcutta'],
  ['Etc/GMT+5', 'Etc/GMT+5'],
  ['Factory', 'Factory'],
];

for (const [name, want] of zones) {
  test(`loadLocation(${JSON.stringify(name)}) = ${want}`, () => assert.equal(loadLocation(name), want));
}

const badZones: Array<[string, string]> = [
  ['america/new_york', 'unknown time zone america/new_york'],
  ['Foo/Bar', 'unknown time zone Foo/Bar'],
  ['Etc/Factory', 'unknown time zone Etc/Factory'],
  ['../UTC', 'time: invalid location name'],
  ['/etc/localtime', 'time: invalid location name'],
];

for (const [name, message] of badZones) {
  test(`loadLocation(${JSON.stringify(name)}) throws ${message}`, () => {
    assert.throws(() => loadLocation(name), { message });
  });
}

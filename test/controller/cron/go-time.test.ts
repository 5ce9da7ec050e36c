// Go's time.LoadLocation rules as re-implemented for the cron engine (durations: test/controller/duration.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadLocation } from '../../../src/controller/cron/index.js';

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

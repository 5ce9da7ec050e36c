// robfig/cron v3.0.1 ParseStandard: which specs are rejected, with exactly robfig's text.
// (Every text here was checked against the Go library; the differential test keeps checking.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CronSyntaxError, parseStandard, STAR_BIT, SpecSchedule } from '../../../src/controller/cron/index.js';

const errors: Array<[name: string, spec: string, message: string]> = [
  ['empty spec', '', 'empty spec string'],
  ['only blanks', '   ', 'expected exactly 5 fields, found 0: []'],
  ['six fields (seconds are not allowed)', '0 * * * * *', 'expected exactly 5 fields, found 6: [0 * * * * *]'],
  ['four fields', '* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
  ['7 in day-of-week is an error', '0 0 * * 7', 'end of range (7) above maximum (6): 7'],
  ['mon-sun is a reversed range', '0 0 * * mon-sun', 'beginning of range (1) beyond end of range (0): mon-sun'],
  ['minute 60', '60 * * * *', 'end of range (60) above maximum (59): 60'],
  ['hour 24', '0 24 * * *', 'end of range (24) above maximum (23): 24'],
  ['day-of-month 0', '0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
  ['month 13', '0 0 1 13 *', 'end of range (13) above maximum (12): 13'],
  ['reversed range', '5-3 * * * *', 'beginning of range (5) beyond end of range (3): 5-3'],
  ['step 0', '*/0 * * * *', 'step of range should be a positive number: */0'],
  ['N/0 checks the range before the step', '7/0 * * * *', 'step of range should be a positive number: 7/0'],
  ['negative step', '*/-1 * * * *', 'negative number (-1) not allowed: -1'],
  [
    'leading minus is an empty range start',
    '-1 * * * *',
    'failed to parse int from : strconv.Atoi: parsing "": invalid syntax',
  ],
  ['too many hyphens', '1-2-3 * * * *', 'too many hyphens: 1-2-3'],
  ['too many slashes', '*/2/3 * * * *', 'too many slashes: */2/3'],
  ['L is not supported', '0 0 L * *', 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax'],
  ['# is not supported', '0 0 * * 1#2', 'failed to parse int from 1#2: strconv.Atoi: parsing "1#2": invalid syntax'],
  [
    'full month names are not names',
    '0 0 1 JANUARY *',
    'failed to parse int from JANUARY: strconv.Atoi: parsing "JANUARY": invalid syntax',
  ],
  [
    'number too big for int64',
    '99999999999999999999 * * * *',
    'failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range',
  ],
  [
    'int64 max is parsed, then out of bounds',
    '9223372036854775807 * * * *',
    'end of range (9223372036854775807) above maximum (59): 9223372036854775807',
  ],
  [
    'first bad field wins (minute before hour)',
    'x y * * *',
    'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax',
  ],
  [
    'control characters are quoted Go-style',
    '0 0 * * \u0007',
    'failed to parse int from \u0007: strconv.Atoi: parsing "\\a": invalid syntax',
  ],
  ['unknown descriptor', '@reboot', 'unrecognized descriptor: @reboot'],
  ['descriptors are case-sensitive', '@Daily', 'unrecognized descriptor: @Daily'],
  ['descriptor with a trailing blank', '@daily ', 'unrecognized descriptor: @daily '],
  ['descriptor after a blank is a field', ' @daily', 'expected exactly 5 fields, found 1: [@daily]'],
  ['@every needs a unit', '@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
  ['@every unknown unit', '@every 1x', 'failed to parse duration @every 1x: time: unknown unit "x" in duration "1x"'],
  [
    '@every trailing blank is part of the unit',
    '@every 1h ',
    'failed to parse duration @every 1h : time: unknown unit "h " in duration "1h "',
  ],
  ['@every empty', '@every ', 'failed to parse duration @every : time: invalid duration ""'],
  [
    '@every overflow',
    '@every 9999999999h',
    'failed to parse duration @every 9999999999h: time: invalid duration "9999999999h"',
  ],
  ['unknown zone', 'TZ=Mars/Olympus * * * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
  [
    'zone names are case-sensitive',
    'CRON_TZ=america/new_york * * * * *',
    'provided bad location america/new_york: unknown time zone america/new_york',
  ],
  [
    'zone name with ..',
    'TZ=../etc/passwd * * * * *',
    'provided bad location ../etc/passwd: time: invalid location name',
  ],
  ['bad field after a good zone', 'TZ=Europe/Berlin 0 0 * * 8', 'end of range (8) above maximum (6): 8'],
];

for (const [name, spec, message] of errors) {
  test(`rejects: ${name} (${JSON.stringify(spec)})`, () => {
    assert.throws(
      () => parseStandard(spec),
      (e: unknown) => {
        assert.ok(e instanceof CronSyntaxError, 'a CronSyntaxError');
        assert.equal(e.message, message);
        assert.equal(e.goPanic, false);
        return true;
      },
    );
  });
}

test('"TZ=UTC" with no blank after the zone makes robfig panic; reported with the panic text', () => {
  assert.throws(
    () => parseStandard('TZ=UTC'),
    (e: unknown) => {
      assert.ok(e instanceof CronSyntaxError);
      assert.equal(e.message, 'runtime error: slice bounds out of range [:-1]');
      assert.equal(e.goPanic, true);
      return true;
    },
  );
});

const accepted: Array<[name: string, spec: string, zone?: string]> = [
  ['? like *', '? ? ? ? ?'],
  ['names in any case', '0 0 * JAN-mar Mon-FRI'],
  ['FR\u0130 lower-cases to fri in Go', '0 0 * * FR\u0130'],
  ['plus sign and leading zeros', '+5 007 * * *'],
  ['empty list items are skipped', '1,,2 * * * *'],
  ['*-5 ignores everything after the star', '*-5 * * * *'],
  ['Go white space between fields (tab, NBSP, ideographic space, NEL)', '*\t*\u00a0*\u3000*\u0085*'],
  ['every descriptor', '@midnight'],
  ['@every with fractions and µs', '@every 1.5h30.5µs'],
  ['TZ prefix with an alias', 'TZ=US/Eastern 0 9 * * *', 'US/Eastern'],
  ['CRON_TZ prefix, blanks trimmed', 'CRON_TZ=Asia/Kolkata    @daily', 'Asia/Kolkata'],
  ['TZ= (empty) is UTC', 'TZ= * * * * *', 'UTC'],
];

for (const [name, spec, zone] of accepted) {
  test(`accepts: ${name} (${JSON.stringify(spec)})`, () => {
    const s = parseStandard(spec);
    assert.equal(s.zone, zone ?? 'UTC');
  });
}

const starBits: Array<[name: string, spec: string, domStar: boolean, dowStar: boolean]> = [
  ['* sets the star bit', '0 0 * * 1', true, false],
  ['? sets the star bit', '0 0 ? * 1', true, false],
  ['*/1 keeps the star bit', '0 0 */1 * 1', true, false],
  ['*/2 clears the star bit', '0 0 */2 * 1', false, false],
  ['a list containing * keeps it', '0 0 *,5 * 1', true, false],
  ['1-31 is not a star', '0 0 1-31 * 1', false, false],
];

for (const [name, spec, domStar, dowStar] of starBits) {
  test(`star bit: ${name}`, () => {
    const s = parseStandard(spec);
    assert.ok(s instanceof SpecSchedule);
    assert.equal((s.fields.dom & STAR_BIT) !== 0n, domStar, 'dom star');
    assert.equal((s.fields.dow & STAR_BIT) !== 0n, dowStar, 'dow star');
  });
}

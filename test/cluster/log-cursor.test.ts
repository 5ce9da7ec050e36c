// Resuming a followed log after a lost connection (src/cluster/log-cursor.ts): the API takes
// sinceTime in whole seconds, so the resumed stream repeats the start of the last second; the
// cursor must drop exactly the lines already printed, including identical lines at one instant.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogCursor, parseLogTime, splitStamp } from '../../src/cluster/log-cursor.js';
import { rng } from '../support/rng.js';

/** What the kubelet serves for `sinceTime`: every line whose time is at or after that whole second. */
function since(lines: string[], sinceTime: string | undefined): string[] {
  if (sinceTime === undefined) return lines;
  const t = Date.parse(sinceTime) / 1000;
  return lines.filter((l) => Math.floor(parseLogTime(l.split(' ')[0]!)!.s) >= t);
}

/** Prints a log through the cursor, cutting the stream after each position in `cuts`. */
function followWithCuts(lines: string[], cuts: number[]): string[] {
  const cursor = new LogCursor();
  const printed: string[] = [];
  let from: string | undefined;
  let served = 0;
  for (let k = 0; k <= cuts.length; k++) {
    const stream = since(lines, from);
    const limit = k < cuts.length ? cuts[k]! : Infinity;
    for (const raw of stream) {
      if (served >= limit) break;
      served++;
      const l = cursor.take(raw);
      if (l) printed.push(l.text);
    }
    from = cursor.resume();
  }
  return printed;
}

describe('log times', () => {
  it('parses RFC 3339 with 0 to 9 fractional digits and offsets; anything else is no time', () => {
    assert.deepEqual(parseLogTime('2026-12-01T12:00:05Z'), { s: 1796126405, ns: 0 });
    assert.deepEqual(parseLogTime('2026-12-01T12:00:05.5Z'), { s: 1796126405, ns: 500_000_000 });
    assert.deepEqual(parseLogTime('2026-12-01T12:00:05.000000123Z'), { s: 1796126405, ns: 123 });
    assert.deepEqual(parseLogTime('2026-12-01T13:00:05.25+01:00'), { s: 1796126405, ns: 250_000_000 });
    assert.equal(parseLogTime('unable'), undefined);
    assert.equal(parseLogTime('2026-12-01 12:00:05Z'), undefined);
    assert.deepEqual(splitStamp('2026-12-01T12:00:05.1Z hello world'), {
      time: '2026-12-01T12:00:05.1Z',
      text: 'hello world',
    });
    assert.deepEqual(splitStamp('2026-12-01T12:00:05.1Z'), { time: '2026-12-01T12:00:05.1Z', text: '' });
    assert.deepEqual(splitStamp('unable to retrieve container logs'), { text: 'unable to retrieve container logs' });
  });
});

describe('LogCursor', () => {
  const L = [
    '2026-12-01T12:00:04.9Z a',
    '2026-12-01T12:00:05.1Z b',
    '2026-12-01T12:00:05.3Z same',
    '2026-12-01T12:00:05.3Z same',
    '2026-12-01T12:00:05.30Z c',
    '2026-12-01T12:00:05.7Z d',
    '2026-12-01T12:00:06Z e',
  ];

  it('resumes from the last printed second and drops exactly what was printed, identical lines at one instant included', () => {
    const cursor = new LogCursor();
    for (const raw of L.slice(0, 3)) cursor.take(raw); // a, b, one "same"
    const from = cursor.resume();
    assert.equal(from, '2026-12-01T12:00:05Z', 'whole seconds, as the API takes sinceTime');
    assert.equal(cursor.lastTime, '2026-12-01T12:00:05.3Z');
    const out = since(L, from).map((raw) => cursor.take(raw)?.text);
    // b and the first "same" were printed; the second "same" (same instant) was not.
    assert.deepEqual(out, [undefined, undefined, 'same', 'c', 'd', 'e']);
  });

  it('.3 and .30 are one instant (fractions are compared as numbers)', () => {
    const cursor = new LogCursor();
    for (const raw of L.slice(0, 5)) cursor.take(raw);
    const out = since(L, cursor.resume()).map((raw) => cursor.take(raw)?.text);
    assert.deepEqual(out, [undefined, undefined, undefined, undefined, 'd', 'e']);
  });

  it('nothing printed yet: no sinceTime, the stream is opened as at first', () => {
    assert.equal(new LogCursor().resume(), undefined);
  });

  it('lines without a time pass through and do not move the cursor', () => {
    const cursor = new LogCursor();
    cursor.take(L[0]!);
    assert.deepEqual(cursor.take('a server message'), { text: 'a server message' });
    assert.equal(cursor.lastTime, '2026-12-01T12:00:04.9Z');
  });

  it('any number of cuts anywhere: every line printed exactly once, in order (2,000 seeded cases)', () => {
    const rand = rng(15);
    for (let c = 0; c < 2000; c++) {
      // Bursts of lines in the same second and at the same instant, as a busy container writes them.
      const lines: string[] = [];
      let s = 0;
      let ns = 0;
      const n = 1 + Math.floor(rand() * 40);
      for (let i = 0; i < n; i++) {
        const r = rand();
        if (r < 0.3) {
          /* same instant */
        } else if (r < 0.7) ns += 1 + Math.floor(rand() * 3e8);
        else {
          s += 1 + Math.floor(rand() * 2);
          ns = Math.floor(rand() * 1e9);
        }
        if (ns >= 1e9) {
          s++;
          ns -= 1e9;
        }
        const frac = ns === 0 ? '' : `.${String(ns).padStart(9, '0').replace(/0+$/, '')}`;
        const time = new Date(Date.UTC(2026, 11, 1, 12, 0, s)).toISOString().replace('.000Z', `${frac}Z`);
        lines.push(`${time} line ${rand() < 0.3 ? 'dup' : i}`);
      }
      const cuts = Array.from({ length: Math.floor(rand() * 5) }, () => Math.floor(rand() * (n + 3)));
      const want = lines.map((l) => l.slice(l.indexOf(' ') + 1));
      assert.deepEqual(followWithCuts(lines, cuts), want, `case ${c}: cuts ${cuts} of\n${lines.join('\n')}`);
    }
  });
});

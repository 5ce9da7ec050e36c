// Go's time.ParseDuration as re-implemented in src/controller/duration.ts, the tool's one duration
// grammar (the cron engine's @every, every duration flag, --request-timeout). The expected answers
// below are Go's own: the last test asks Go (test/go/duration-oracle, standard library only) the
// same questions and fails if any answer differs. The inputs are the examples of Go's documentation
// of ParseDuration ("300ms", "-1.5h", "2h45m") and one or more of each case of its grammar: signs,
// fractions, every unit, units repeated and out of order, the int64 limits, and what it rejects.
// CRON_DIFF_SKIP=1 (no Go toolchain) skips the comparison with Go, as it does the robfig differential.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseGoDuration, parseGoDurationNs } from '../../src/controller/duration.js';
import { skipDifferential } from './cron/go-oracle.js';

/** Accepted by Go: the duration in nanoseconds. */
const GO_ACCEPTS: Array<[string, bigint]> = [
  ['300ms', 300000000n],
  ['-1.5h', -5400000000000n],
  ['2h45m', 9900000000000n],
  ['0', 0n],
  ['+0', 0n],
  ['-0', 0n],
  ['0s', 0n],
  ['1h30m', 5400000000000n],
  ['90s', 90000000000n],
  ['1.5h', 5400000000000n],
  ['-1.5m', -90000000000n],
  ['+2s', 2000000000n],
  ['.5s', 500000000n],
  ['1.s', 1000000000n],
  ['1.0s', 1000000000n],
  ['5.600s', 5600000000n],
  ['1ns', 1n],
  ['1us', 1000n],
  ['1\u00b5s', 1000n],
  ['1\u03bcs', 1000n],
  ['1ms', 1000000n],
  ['1s', 1000000000n],
  ['1m', 60000000000n],
  ['1h', 3600000000000n],
  ['2h45m10.5s', 9910500000000n],
  ['10.5s4m', 250500000000n],
  ['1h2m3s4ms5us6ns', 3723004005006n],
  ['1h1h', 7200000000000n],
  ['-2m3.4s', -123400000000n],
  ['0.000000001s', 1n],
  ['0.0000000001s', 0n],
  ['0.3333333333333333333h', 1200000000000n],
  ['9007199254740993ns', 9007199254740993n],
  ['9223372036854775807ns', 9223372036854775807n],
  ['-9223372036854775808ns', -9223372036854775808n],
  ['2562047h47m16.854775807s', 9223372036854775807n],
  ['-2562047h47m16.854775808s', -9223372036854775808n],
  ['9223372036854775.807us', 9223372036854775807n],
  ['1.00000000000000000000000000001s', 1000000000n],
  ['00001s', 1000000000n],
];

/** Rejected by Go: its error text (the time package's quoting: non-ASCII and control bytes as \xNN). */
const GO_REJECTS: Array<[string, string]> = [
  ['', 'time: invalid duration ""'],
  ['5', 'time: missing unit in duration "5"'],
  ['-', 'time: invalid duration "-"'],
  ['+', 'time: invalid duration "+"'],
  ['.', 'time: invalid duration "."'],
  ['-.', 'time: invalid duration "-."'],
  ['.s', 'time: invalid duration ".s"'],
  ['s', 'time: invalid duration "s"'],
  ['1x', 'time: unknown unit "x" in duration "1x"'],
  ['1d', 'time: unknown unit "d" in duration "1d"'],
  ['1w', 'time: unknown unit "w" in duration "1w"'],
  ['1y', 'time: unknown unit "y" in duration "1y"'],
  ['1\u00e9', 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'],
  ['1 h', 'time: unknown unit " h" in duration "1 h"'],
  [' 1h', 'time: invalid duration " 1h"'],
  ['1h ', 'time: unknown unit "h " in duration "1h "'],
  ['1H', 'time: unknown unit "H" in duration "1H"'],
  ['1h-', 'time: unknown unit "h-" in duration "1h-"'],
  ['1h-1m', 'time: unknown unit "h-" in duration "1h-1m"'],
  ['--1s', 'time: invalid duration "--1s"'],
  ['1e3s', 'time: unknown unit "e" in duration "1e3s"'],
  ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
  ['-9223372036854775809ns', 'time: invalid duration "-9223372036854775809ns"'],
  ['2562047h47m16.854775808s', 'time: invalid duration "2562047h47m16.854775808s"'],
  ['100000000000000000000ms', 'time: invalid duration "100000000000000000000ms"'],
  ['1h\n', 'time: unknown unit "h\\x0a" in duration "1h\\x0a"'],
  ['0x10s', 'time: unknown unit "x" in duration "0x10s"'],
  ['1,5s', 'time: unknown unit "," in duration "1,5s"'],
  ['1_000s', 'time: unknown unit "_" in duration "1_000s"'],
  ['1hh', 'time: unknown unit "hh" in duration "1hh"'],
];

for (const [text, ns] of GO_ACCEPTS) {
  test(`ParseDuration(${JSON.stringify(text)}) = ${ns}ns`, () => assert.equal(parseGoDurationNs(text), ns));
}

for (const [text, message] of GO_REJECTS) {
  test(`ParseDuration(${JSON.stringify(text)}) fails: ${message}`, () =>
    assert.throws(() => parseGoDurationNs(text), { message }));
}

const millis: Array<[string, number]> = [
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

for (const [text, ms] of millis) {
  test(`parseGoDuration(${JSON.stringify(text)}) = ${ms} ms`, () => assert.equal(parseGoDuration(text), ms));
}

test('parseGoDurationNs keeps nanoseconds exactly, int64 limits included', () => {
  assert.equal(parseGoDurationNs('9223372036854775807ns'), 9223372036854775807n);
  assert.equal(parseGoDurationNs('-9223372036854775808ns'), -9223372036854775808n);
  assert.equal(parseGoDurationNs('0.000000001s'), 1n);
});

test("extra units (the CLI's d and w) extend the grammar and nothing else", () => {
  const dayWeek = new Map([
    ['d', 86_400_000_000_000n],
    ['w', 604_800_000_000_000n],
  ]);
  assert.equal(parseGoDurationNs('1w1d12h', dayWeek), 8n * 86_400_000_000_000n + 12n * 3_600_000_000_000n);
  assert.throws(() => parseGoDurationNs('1y', dayWeek), { message: 'time: unknown unit "y" in duration "1y"' });
});

function goCommand(): string | undefined {
  if (process.env.GO) return process.env.GO;
  if (spawnSync('go', ['version']).status === 0) return 'go';
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined;
}

test("the tables above are what Go's time.ParseDuration answers", {
  skip: skipDifferential && 'CRON_DIFF_SKIP=1',
}, () => {
  const go = goCommand();
  assert.ok(go, 'Go toolchain not found (set $GO or put go on PATH); CRON_DIFF_SKIP=1 skips the comparison with Go');
  const inputs = [...GO_ACCEPTS.map(([s]) => s), ...GO_REJECTS.map(([s]) => s)];
  const res = spawnSync(go, ['run', '.'], {
    cwd: resolve(dirname(fileURLToPath(import.meta.url)), '../go/duration-oracle'),
    input: `${inputs.map((s) => JSON.stringify(s)).join('\n')}\n`,
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' },
  });
  assert.equal(res.status, 0, `duration oracle failed: ${res.stderr}${res.error ?? ''}`);
  const answers = res.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { ns?: string; err?: string });
  assert.equal(answers.length, inputs.length);
  const want = [...GO_ACCEPTS.map(([, ns]) => ({ ns: String(ns) })), ...GO_REJECTS.map(([, err]) => ({ err }))];
  assert.deepEqual(answers, want);
});

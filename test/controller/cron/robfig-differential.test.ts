// Differential test: the TypeScript engine against the real robfig/cron v3.0.1 (Go), on
// 100,000 seeded random cases plus every DST transition of the test zones.
//
// Time zone data: Go reads $GOROOT/lib/time/zoneinfo.zip (tzdata 2025c for Go 1.26) and the
// engine reads the same file, converted into src/controller/cron/tzdata.ts by
// scripts/gen-tzdata.mjs (never the runtime's ICU), so every Node version and Bun agree with Go.
// The first test re-checks the zones used here so that a tzdata mismatch (Go upgraded without
// regenerating tzdata.ts) shows up as what it is, not as a cron engine bug.
// The comparison itself is exact: same error text, same instants to the millisecond.
//
// CRON_DIFF_SEED / CRON_DIFF_CASES override the seed and case count; CRON_DIFF_SKIP=1 skips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { oracleNext, runOracle, skipDifferential, type OracleAnswer, type OracleCase } from './go-oracle.js';
import { tsAnswer, zoneTransitions } from './ts-answer.js';
import { DIFF_ZONES, FROM_MS, generateCases, TO_MS, transitionCases } from './random-cases.js';

const SEED = Number(process.env.CRON_DIFF_SEED ?? 20250701);
const CASES = Number(process.env.CRON_DIFF_CASES ?? 100_000);
const HORIZON_MS = 6 * 366 * 86400_000; // robfig searches 5 years past the start

/** One spelling per answer, so JSON texts compare. */
function canonical(a: OracleAnswer): string {
  if (a.err !== undefined) return JSON.stringify({ err: a.err });
  if (a.panic !== undefined) return JSON.stringify({ panic: a.panic });
  return JSON.stringify({ next: a.next ?? [], hang: a.hang === true });
}

const show = (a: OracleAnswer) =>
  a.err !== undefined || a.panic !== undefined
    ? JSON.stringify(a)
    : (a.next ?? []).map((t) => (t === 'zero' ? 'zero' : new Date(t).toISOString())).join(', ') +
      (a.hang ? ' then hangs' : '');

interface Result {
  calls: number;
  errors: number;
  hangs: number;
  mismatches: string[];
}

/** Runs both engines on `cases`; counts Next() calls, parse errors, robfig hangs, and lists mismatches. */
async function differential(
  cases: OracleCase[],
  timeoutMs?: number,
  answer: (cases: OracleCase[]) => OracleAnswer[] = (cs) => cs.map(tsAnswer),
): Promise<Result> {
  const pending = oracleNext(cases, { timeoutMs }); // Go works while TypeScript answers
  const ours = answer(cases);
  const go = await pending;
  assert.equal(go.length, cases.length, 'oracle answered every case');
  const mismatches: string[] = [];
  let calls = 0;
  let errors = 0;
  let hangs = 0;
  cases.forEach((c, i) => {
    const want = go[i] as OracleAnswer;
    const got = ours[i] as OracleAnswer;
    if (want.err !== undefined || want.panic !== undefined) errors++;
    else calls += (want.next?.length ?? 0) + (want.hang ? 1 : 0);
    if (want.hang) hangs++;
    if (canonical(got) !== canonical(want)) {
      mismatches.push(
        `spec=${JSON.stringify(c.spec)} zone=${c.zone} start=${new Date(c.start).toISOString()} (${c.start})\n` +
          `    robfig: ${show(want)}\n    ts:     ${show(got)}`,
      );
    }
  });
  return { calls, errors, hangs, mismatches };
}

function assertNoMismatch(name: string, cases: number, r: Result): void {
  console.log(
    `cron differential (${name}): ${cases} cases, ${r.calls} Next() calls, ${r.errors} parse errors, ${r.hangs} robfig hangs, ` +
      `${r.mismatches.length} mismatches (seed ${SEED})`,
  );
  assert.equal(
    r.mismatches.length,
    0,
    `${r.mismatches.length} mismatches; first ones:\n  ${r.mismatches.slice(0, 8).join('\n  ')}`,
  );
}

/** Each test zone's offset at the start of the range and its transitions to the end of the oracle's horizon. */
type ZoneTransitions = { zone: string; initial: number; transitions: Array<[number, number]> };
const TZ_QUERIES = DIFF_ZONES.map((zone) => ({ zone, from: FROM_MS / 1000, to: (TO_MS + HORIZON_MS) / 1000 }));

/** The engine's zone tables (pinned tzdata, under `runtime`) must show Go's transitions, so that a tzdata mismatch reads as one. */
function assertGoTransitions(runtime: string, ours: ZoneTransitions[]): void {
  for (const g of runOracle<ZoneTransitions>('transitions', TZ_QUERIES)) {
    const o = ours.find((x) => x.zone === g.zone);
    assert.deepEqual([o?.initial, o?.transitions], [g.initial, g.transitions], `${g.zone} under ${runtime}`);
  }
}

test('tzdata: the pinned zone rules and Go report the same offset transitions for the test zones', {
  skip: skipDifferential,
}, () => {
  assertGoTransitions('Node', TZ_QUERIES.map(zoneTransitions));
});

test(`random schedules: ${CASES} cases against robfig v3.0.1`, { skip: skipDifferential }, async () => {
  const cases = generateCases(SEED, CASES);
  assertNoMismatch('random', cases.length, await differential(cases));
});

test('fields that can never match (", * * * *"): robfig walks 5 years minute by minute, TS answers at once', {
  skip: skipDifferential,
}, async () => {
  const specs = [
    ', * * * *',
    '0 , * * *',
    '0 0 , * *',
    '0 0 , * 1',
    '0 0 * , *',
    '0 0 ,, * ,',
    'TZ=America/New_York , * * * *',
  ];
  const cases = specs.flatMap((spec) =>
    ['UTC', 'Europe/Berlin'].map((zone) => ({ spec, zone, start: Date.UTC(2021, 2, 1), count: 3 })),
  );
  assertNoMismatch('empty fields', cases.length, await differential(cases, 60_000));
});

test('DST edge table: every transition of every test zone, specs at 00:00-03:00', {
  skip: skipDifferential,
}, async () => {
  const cases = transitionCases(SEED);
  assertNoMismatch('DST transitions', cases.length, await differential(cases));
});

// The single executable runs on Bun (JavaScriptCore, its own ICU): the engine must give robfig's
// answers there too, so the random and DST cases are answered again by the same TypeScript under
// the pinned Bun (test/controller/cron/bun-answers.ts) and compared with Go.
const BUN = fileURLToPath(new URL('../../../node_modules/bun/bin/bun.exe', import.meta.url));
const BUN_ANSWERS = fileURLToPath(new URL('./bun-answers.ts', import.meta.url));

function underBun<T>(mode: 'next' | 'transitions', input: unknown): T {
  const r = spawnSync(BUN, [BUN_ANSWERS, mode], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, `bun-answers.ts failed: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

test("under Bun (the executable's runtime): tzdata, random schedules and DST transitions against robfig v3.0.1", {
  skip: skipDifferential,
}, async () => {
  assertGoTransitions('Bun', underBun<ZoneTransitions[]>('transitions', TZ_QUERIES));
  const cases = [...generateCases(SEED, CASES), ...transitionCases(SEED)];
  assertNoMismatch(
    'under Bun',
    cases.length,
    await differential(cases, undefined, (cs) => underBun<OracleAnswer[]>('next', cs)),
  );
});

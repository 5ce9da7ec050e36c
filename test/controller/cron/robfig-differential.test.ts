// Differential test: the TypeScript engine against the real robfig/cron v3.0.1 (Go), on
// 100,000 seeded random cases plus every DST transition of the test zones.
//
// Time zone data: Go reads $GOROOT/lib/time/zoneinfo.zip (tzdata 2025c for Go 1.26) and
// Node 20.20's ICU 78.2 carries tzdata 2025c too. A one-off run over all 597 zone names found
// identical UTC-offset transitions for 1990-2050; the first test below re-checks the zones used
// here so that a tzdata mismatch shows up as what it is, not as a cron engine bug. If Node or Go
// is upgraded separately, pick zones/years whose rules did not change between the two releases.
// The comparison itself is exact: same error text, same instants to the millisecond.
//
// CRON_DIFF_SEED / CRON_DIFF_CASES override the seed and case count; CRON_DIFF_SKIP=1 skips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CronSyntaxError, parseStandard, zoneOffsets } from '../../../src/controller/cron/index.js';
import { runOracle, skipDifferential, type OracleAnswer, type OracleCase } from './go-oracle.js';
import { DIFF_ZONES, FROM_MS, generateCases, TO_MS, transitionCases } from './random-cases.js';

const SEED = Number(process.env.CRON_DIFF_SEED ?? 20250701);
const CASES = Number(process.env.CRON_DIFF_CASES ?? 100_000);
const HORIZON_MS = 6 * 366 * 86400_000; // robfig searches 5 years past the start

/** What the TypeScript engine says for one case, in the oracle's shape. */
function tsAnswer(c: OracleCase): OracleAnswer {
  let schedule;
  try {
    schedule = parseStandard(c.spec, c.zone);
  } catch (e) {
    if (!(e instanceof CronSyntaxError)) throw e;
    return e.goPanic ? { panic: e.message } : { err: e.message };
  }
  const next: Array<number | 'zero'> = [];
  let t = c.start;
  for (let i = 0; i < c.count; i++) {
    t = schedule.nextMillis(t);
    if (Number.isNaN(t)) {
      next.push('zero');
      break;
    }
    next.push(t);
  }
  return { next };
}

const show = (a: OracleAnswer) =>
  a.next ? a.next.map((t) => (t === 'zero' ? 'zero' : new Date(t).toISOString())).join(', ') : JSON.stringify(a);

/** Runs both engines on `cases`; returns [Next() calls compared, mismatch descriptions]. */
function differential(cases: OracleCase[]): { calls: number; errors: number; mismatches: string[] } {
  const go = runOracle<OracleAnswer>('next', cases);
  assert.equal(go.length, cases.length, 'oracle answered every case');
  const mismatches: string[] = [];
  let calls = 0;
  let errors = 0;
  cases.forEach((c, i) => {
    const want = go[i] as OracleAnswer;
    const got = tsAnswer(c);
    if (want.next) calls += want.next.length;
    else errors++;
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      mismatches.push(
        `spec=${JSON.stringify(c.spec)} zone=${c.zone} start=${new Date(c.start).toISOString()} (${c.start})\n` +
          `    robfig: ${show(want)}\n    ts:     ${show(got)}`,
      );
    }
  });
  return { calls, errors, mismatches };
}

function assertNoMismatch(name: string, cases: number, r: ReturnType<typeof differential>): void {
  console.log(
    `cron differential (${name}): ${cases} cases, ${r.calls} Next() calls, ${r.errors} parse errors, ` +
      `${r.mismatches.length} mismatches (seed ${SEED})`,
  );
  assert.equal(r.mismatches.length, 0, `${r.mismatches.length} mismatches; first ones:\n  ${r.mismatches.slice(0, 8).join('\n  ')}`);
}

test('tzdata: Node ICU and Go report the same offset transitions for the test zones', { skip: skipDifferential }, () => {
  const from = FROM_MS / 1000;
  const to = (TO_MS + HORIZON_MS) / 1000;
  const go = runOracle<{ zone: string; initial: number; transitions: Array<[number, number]> }>(
    'transitions',
    DIFF_ZONES.map((zone) => ({ zone, from, to })),
  );
  for (const g of go) {
    const z = zoneOffsets(g.zone);
    assert.deepEqual([z.offsetAt(from), z.transitions(from, to)], [g.initial, g.transitions], g.zone);
  }
});

test(`random schedules: ${CASES} cases against robfig v3.0.1`, { skip: skipDifferential }, () => {
  const cases = generateCases(SEED, CASES);
  assertNoMismatch('random', cases.length, differential(cases));
});

test('DST edge table: every transition of every test zone, specs at 00:00-03:00', { skip: skipDifferential }, () => {
  const cases = transitionCases();
  assertNoMismatch('DST transitions', cases.length, differential(cases));
});

// Benchmark: Next() throughput of the TypeScript cron engine (src/controller/cron) against the
// real robfig/cron v3.0.1 on the same cases in the same run (Go times its own loop in
// test/go/robfig-oracle -mode bench). Prints calls/s for both and the ratio TS/robfig.
//
//   npm run bench:cron                      # 2 s per measurement
//   npm run bench:cron -- --ms 5000         # longer measurements
//
// Go's speed depends on its tzdata: the zoneinfo.zip in $GOROOT (what the differential test
// uses, same release as Node's ICU) is "slim", so past the last stored transition (2007 for the
// US) Go evaluates the zone's TZ rule string on every lookup; a "fat" system zoneinfo stores
// transitions up to 2037. Both are measured when /usr/share/zoneinfo exists.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CronNextLoopError, parseStandard, type CronSchedule } from '../src/controller/cron/index.js';
import { runOracle, type OracleCase } from '../test/controller/cron/go-oracle.js';
import { generateCases, rng } from '../test/controller/cron/random-cases.js';

const { values: opt } = parseArgs({ options: { ms: { type: 'string', default: '2000' } } });
const BUDGET_MS = Number(opt.ms);

const SPECS = [
  '* * * * *',
  '*/5 * * * *',
  '0 * * * *',
  '0 0 * * *',
  '30 2 * * *',
  '0 9 * * 1-5',
  '0 0 1 * *',
  '15 10 * * sun',
  '0 0 13 * 5',
  '0 */6 * * *',
  '5 4 * * 0',
  '0 0 29 2 *',
  '@hourly',
  '@daily',
  '@weekly',
  '@every 1h30m',
];
const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Sao_Paulo'];

/** Typical CronJob schedules × zones × 32 seeded start times (2000-2035), 5 chained Next() each. */
function typicalCases(): OracleCase[] {
  const r = rng(7);
  const from = Date.UTC(2000, 0, 1);
  const span = Date.UTC(2035, 0, 1) - from;
  const cases: OracleCase[] = [];
  for (const spec of SPECS) {
    for (const zone of ZONES) {
      for (let i = 0; i < 32; i++) cases.push({ spec, zone, start: from + Math.floor(r() * span), count: 5 });
    }
  }
  return cases;
}

/** The differential test's random mix, minus parse errors and the cases where robfig never returns. */
function randomCases(): OracleCase[] {
  return generateCases(20250701, 20_000).filter((c) => {
    try {
      const s = parseStandard(c.spec, c.zone);
      for (let t = c.start, i = 0; i < c.count && !Number.isNaN(t); i++) t = s.nextMillis(t);
      return true;
    } catch (e) {
      if (e instanceof CronNextLoopError) return false;
      return false; // CronSyntaxError: nothing to time
    }
  });
}

/** TS Next() calls per second over the cases, chained like the Go bench loop. */
function measureTs(cases: OracleCase[]): number {
  const ready: Array<[CronSchedule, number, number]> = cases.map((c) => [
    parseStandard(c.spec, c.zone),
    c.start,
    c.count,
  ]);
  const pass = (): number => {
    let calls = 0;
    for (const [s, start, count] of ready) {
      let t = start;
      for (let i = 0; i < count; i++) {
        t = s.nextMillis(t);
        calls++;
        if (Number.isNaN(t)) break;
      }
    }
    return calls;
  };
  const warmEnd = performance.now() + Math.min(1000, BUDGET_MS / 2);
  while (performance.now() < warmEnd) pass(); // JIT and zone tables
  let calls = 0;
  const began = performance.now();
  while (performance.now() - began < BUDGET_MS) calls += pass();
  return calls / ((performance.now() - began) / 1000);
}

/** robfig Next() calls per second, timed inside the Go process. */
function measureGo(cases: OracleCase[], zoneinfo?: string): number {
  const env = zoneinfo === undefined ? undefined : { ZONEINFO: zoneinfo };
  const [res] = runOracle<{ calls: number; ns: number }>('bench', cases, ['-ms', String(BUDGET_MS)], env);
  if (!res) throw new Error('no answer from the oracle bench');
  return res.calls / (res.ns / 1e9);
}

const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M/s`;
const systemTz = existsSync('/usr/share/zoneinfo/America/New_York');
const sets: Array<[string, OracleCase[]]> = [
  ['typical schedules, UTC only', typicalCases().filter((c) => c.zone === 'UTC')],
  ['typical schedules, 6 zones', typicalCases()],
  ['random differential mix', randomCases()],
];

console.log(`cron Next() throughput, ${BUDGET_MS} ms per measurement, node ${process.version}`);
for (const [name, cases] of sets) {
  const calls = cases.reduce((n, c) => n + c.count, 0);
  const ts = measureTs(cases);
  const goZip = measureGo(cases);
  let line = `${name} (${cases.length} cases, ≤${calls} calls/pass): TS ${fmt(ts)} | robfig ${fmt(goZip)} (Go zoneinfo.zip) → TS/robfig ${(ts / goZip).toFixed(2)}x`;
  if (systemTz) {
    const goSys = measureGo(cases, ''); // empty ZONEINFO: Go reads /usr/share/zoneinfo
    line += ` | robfig ${fmt(goSys)} (system zoneinfo) → ${(ts / goSys).toFixed(2)}x`;
  }
  console.log(line);
}

// Seeded random cron cases for the robfig differential test and the benchmark.
import { zoneOffsets } from '../../../src/controller/cron/index.js';
import type { OracleCase } from './go-oracle.js';

/** Zones the differential covers: DST in both hemispheres, 30/45-minute offsets, 30-minute DST
 * (Lord_Howe), DST at midnight (Havana, Santiago, Asuncion, Beirut, Sao_Paulo until 2019),
 * negative DST (Dublin), +2h DST (Troll), a skipped day (Apia 2011), Morocco's Ramadan changes, aliases. */
export const DIFF_ZONES = [
  'UTC',
  'America/New_York',
  'America/Los_Angeles',
  'America/St_Johns',
  'America/Sao_Paulo',
  'America/Havana',
  'America/Santiago',
  'America/Asuncion',
  'Asia/Beirut',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tehran',
  'Australia/Lord_Howe',
  'Australia/Sydney',
  'Pacific/Chatham',
  'Pacific/Auckland',
  'Pacific/Apia',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Berlin',
  'Europe/Moscow',
  'Africa/Casablanca',
  'Africa/Cairo',
  'Antarctica/Troll',
  'Asia/Gaza',
  'US/Eastern',
  'Asia/Calcutta',
  'EST5EDT',
  'Factory',
] as const;

/** Start times span 1995-01-01 .. 2041-01-01 (UTC); robfig looks 5 years further. */
export const FROM_MS = Date.UTC(1995, 0, 1);
export const TO_MS = Date.UTC(2041, 0, 1);

import { rng } from '../../support/rng.js';
export { rng };

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Kind {
  min: number;
  max: number;
  names?: string[];
  /** Values worth favouring (DST hours, month ends...). */
  hot: number[];
}
const KINDS: Kind[] = [
  { min: 0, max: 59, hot: [0, 0, 0, 30, 15, 45, 59, 1] },
  { min: 0, max: 23, hot: [0, 0, 1, 2, 3, 23, 12, 4] },
  { min: 1, max: 31, hot: [1, 1, 15, 28, 29, 30, 31] },
  { min: 1, max: 12, names: MONTHS, hot: [1, 2, 3, 10, 11, 12] },
  { min: 0, max: 6, names: DAYS, hot: [0, 1, 5, 6] },
];

function value(r: Rand, k: Kind): string {
  const v = r() < 0.5 ? pick(r, k.hot) : int(r, k.min, k.max);
  if (k.names && r() < 0.3) {
    const name = k.names[v - k.min] as string;
    return r() < 0.7 ? name : r() < 0.5 ? name.toUpperCase() : name[0]!.toUpperCase() + name.slice(1);
  }
  return r() < 0.03 ? `+${v}` : r() < 0.03 ? `0${v}` : String(v);
}

function term(r: Rand, k: Kind): string {
  const x = r();
  if (x < 0.25) return '*';
  if (x < 0.28) return '?';
  if (x < 0.5) return value(r, k);
  const step = pick(r, [1, 2, 2, 3, 5, 7, 10, 15, 20, 30, 45]);
  if (x < 0.62) return `*/${step}`;
  const a = int(r, k.min, k.max);
  const b = int(r, a, k.max);
  if (x < 0.8) return `${a}-${b}`;
  if (x < 0.9) return `${a}-${b}/${step}`;
  return `${value(r, k)}/${step}`;
}

function field(r: Rand, k: Kind, starBias: number): string {
  if (r() < starBias) return '*';
  if (r() < 0.8) return term(r, k);
  const n = int(r, 2, 4);
  return Array.from({ length: n }, () => term(r, k)).join(',');
}

/** A (mostly valid) 5-field spec; minute/hour stay dense enough to run into DST changes. */
export function randomFields(r: Rand): string {
  const biases = [0.2, 0.35, 0.6, 0.7, 0.6];
  return KINDS.map((k, i) => field(r, k, biases[i] as number)).join(' ');
}

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const DURATIONS = [
  '1h',
  '30m',
  '90s',
  '1.5h',
  '300ms',
  '1h30m',
  '2h45m10.5s',
  '24h',
  '168h',
  '0',
  '-5m',
  '+3m',
  '1us',
  '1\u00b5s',
  '1\u03bcs',
  '999ms',
  '1.999s',
  '61m',
  '.5h',
  '1.h',
  '7h59m59.999999999s',
  '0.000001h',
  '100000h',
];

/** Broken specs of every error class robfig has (texts must match exactly). */
const BROKEN = [
  '',
  ' ',
  '* * * *',
  '* * * * * *',
  '0 0 0 * *',
  '60 * * * *',
  '* 24 * * *',
  '* * 32 * *',
  '* * * 13 *',
  '* * * * 7',
  '* * * 0 *',
  '*/0 * * * *',
  '5-3 * * * *',
  '1-2-3 * * * *',
  '*/2/3 * * * *',
  'x * * * *',
  '* * * * L',
  '* * * * 1#2',
  '* * L * *',
  '* * * * mon-sun',
  '* * * JANUARY *',
  '*/-1 * * * *',
  '-1 * * * *',
  '1- * * * *',
  '99999999999999999999 * * * *',
  '9223372036854775807 * * * *',
  '9223372036854775808 * * * *',
  '* * * * 9223372036854775807',
  '*/99999999999999999999 * * * *',
  '0 0 * * */0',
  '@every',
  '@every ',
  '@every 5',
  '@every 1x',
  '@every 1h ',
  '@every h',
  '@every .s',
  '@every 9999999999h',
  '@every -',
  '@Daily',
  '@daily ',
  ' @daily',
  '@reboot',
  '@every 1h30',
  'TZ=UTC',
  'CRON_TZ=UTC',
  'TZ=Mars/Olympus * * * * *',
  'TZ=america/new_york * * * * *',
  'TZ=../etc/passwd * * * * *',
  'TZ=/etc/localtime * * * * *',
  'TZ=\\x * * * * *',
  'CRON_TZ=Nowhere @daily',
  'TZ=Europe/Berlin 0 0 * * 8',
  '*,* * * * *',
  '1,,2 * * * *',
  '*/5, * * * *',
  '* * * * \u00e9',
  '* * * * FR\u0130',
  '* * * * \u212a',
  '\u00a0* * * * *',
  '* *\t* *\n*',
  '*\u3000* * * *',
  '* * * * * \u0085',
  '*-5 * * * *',
  '*-5-6/2 * * * *',
  '?/5 * * * *',
  '7/0 * * * *',
  '0-59/60 * * * *',
];

/** A TZ prefix (sometimes odd) or nothing. */
function prefix(r: Rand, zone: string): string {
  const x = r();
  if (x < 0.7) return '';
  if (x < 0.85) return `TZ=${zone} `;
  if (x < 0.97) return `CRON_TZ=${zone}  `;
  return pick(r, ['TZ=Local ', 'TZ= ', 'TZ=UTC ', 'CRON_TZ=Etc/GMT-14 ']);
}

/** A start instant: random, on a whole minute/hour, or near one of the zone's transitions. */
function start(r: Rand, zone: string): number {
  const x = r();
  if (x < 0.35) {
    const trans = zoneOffsets(zone).transitions(FROM_MS / 1000, TO_MS / 1000);
    if (trans.length > 0) {
      const [at] = pick(r, trans);
      const delta = pick(r, [-86400, -7200, -3600, -1800, -60, -1, 0, 1, 59, 1800, 3600, 7200]);
      return (at + delta) * 1000 + (r() < 0.2 ? int(r, 0, 999) : 0);
    }
  }
  const t = FROM_MS + Math.floor(r() * (TO_MS - FROM_MS));
  if (x < 0.6) return t;
  if (x < 0.85) return Math.floor(t / 60000) * 60000;
  return Math.floor(t / 3600000) * 3600000;
}

/** `n` random differential cases (spec, zone of the start time, start, chained count). */
export function generateCases(seed: number, n: number, count = 4): OracleCase[] {
  const r = rng(seed);
  const cases: OracleCase[] = [];
  for (let i = 0; i < n; i++) {
    const zone = pick(r, DIFF_ZONES);
    const specZone = r() < 0.8 ? zone : pick(r, DIFF_ZONES);
    const x = r();
    let spec: string;
    if (x < 0.06) spec = pick(r, DESCRIPTORS);
    else if (x < 0.1) spec = `@every ${pick(r, DURATIONS)}`;
    else if (x < 0.16) spec = pick(r, BROKEN);
    else spec = randomFields(r);
    if (!spec.startsWith('TZ=') && !spec.startsWith('CRON_TZ=')) spec = prefix(r, specZone) + spec;
    const startZone = spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=') ? specZone : zone;
    cases.push({ spec, zone, start: start(r, startZone), count });
  }
  return cases;
}

/** Specs that land on or near DST changes (2:30 on spring-forward days, 1:30 on fall-back days, midnight...). */
export const EDGE_SPECS = [
  '30 2 * * *',
  '30 1 * * *',
  '0 0 * * *',
  '30 0 * * *',
  '0 1 * * *',
  '0 3 * * *',
  '59 23 * * *',
  '*/15 * * * *',
  '0 * * * *',
  '15,45 0-3 * * *',
  '0 0 1 * *',
  '0 0 * * 0',
] as const;
const EDGE_DELTAS = [-86401, -3600, -1, 0, 1];

/** For every transition of every DIFF_ZONES zone in [FROM_MS, TO_MS): `perTransition` seeded picks of
 * (EDGE_SPECS entry, start 1 day / 1 hour / 1 s before, at, or 1 s after the transition). */
export function transitionCases(seed: number, perTransition = 8, count = 5): OracleCase[] {
  const r = rng(seed);
  const cases: OracleCase[] = [];
  for (const zone of DIFF_ZONES) {
    for (const [at] of zoneOffsets(zone).transitions(FROM_MS / 1000, TO_MS / 1000)) {
      for (let i = 0; i < perTransition; i++) {
        cases.push({ spec: pick(r, EDGE_SPECS), zone, start: (at + pick(r, EDGE_DELTAS)) * 1000, count });
      }
    }
  }
  return cases;
}

// robfig/cron v3.0.1 ParseStandard: optional TZ=/CRON_TZ= prefix, descriptors, 5 fields.
import { ConstantDelaySchedule } from './constant-delay.js';
import { parseGoDurationNs } from '../duration.js';
import { CronSyntaxError } from './errors.js';
import { allBits, BOUNDS, getField } from './fields.js';
import { goFields, goStringSlice, goTrimSpace } from './go-text.js';
import type { CronSchedule } from './schedule.js';
import { SpecSchedule, type SpecFields } from './spec-schedule.js';
import { loadLocation, LOCAL, resolveLocation } from './time-zone.js';

const bit = (n: number): bigint => 1n << BigInt(n);

const DESCRIPTORS: ReadonlyMap<string, SpecFields> = (() => {
  const first = { minute: bit(0), hour: bit(0) };
  const yearly = { ...first, dom: bit(1), month: bit(1), dow: allBits(BOUNDS.dow) };
  const monthly = { ...first, dom: bit(1), month: allBits(BOUNDS.month), dow: allBits(BOUNDS.dow) };
  const weekly = { ...first, dom: allBits(BOUNDS.dom), month: allBits(BOUNDS.month), dow: bit(0) };
  const daily = { ...first, dom: allBits(BOUNDS.dom), month: allBits(BOUNDS.month), dow: allBits(BOUNDS.dow) };
  const hourly = { ...daily, hour: allBits(BOUNDS.hour) };
  return new Map([
    ['@yearly', yearly],
    ['@annually', yearly],
    ['@monthly', monthly],
    ['@weekly', weekly],
    ['@daily', daily],
    ['@midnight', daily],
    ['@hourly', hourly],
  ]);
})();

const EVERY = '@every ';

function parseDescriptor(descriptor: string, zone: string): CronSchedule {
  const fields = DESCRIPTORS.get(descriptor);
  if (fields !== undefined) return new SpecSchedule(fields, zone);
  if (descriptor.startsWith(EVERY)) {
    let ns: bigint;
    try {
      ns = parseGoDurationNs(descriptor.slice(EVERY.length));
    } catch (e) {
      throw new CronSyntaxError(`failed to parse duration ${descriptor}: ${(e as Error).message}`);
    }
    return new ConstantDelaySchedule(ns, zone);
  }
  throw new CronSyntaxError(`unrecognized descriptor: ${descriptor}`);
}

/** robfig/cron v3 ParseStandard: 5 fields or a descriptor, optional "CRON_TZ=<zone> "/"TZ=<zone> " prefix; throws CronSyntaxError with robfig's text. defaultZone is the zone used without a prefix (and for TZ=Local). */
export function parseStandard(spec: string, defaultZone = 'UTC'): CronSchedule {
  let zone = loadLocation(defaultZone); // a bad defaultZone is a caller error: plain Error
  if (spec.length === 0) throw new CronSyntaxError('empty spec string');
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const eq = spec.indexOf('=');
    // robfig slices spec[eq+1:space]; with no space Go panics.
    if (space < 0) throw new CronSyntaxError('runtime error: slice bounds out of range [:-1]', true);
    const name = spec.slice(eq + 1, space);
    let loc: string | typeof LOCAL;
    try {
      loc = resolveLocation(name);
    } catch (e) {
      throw new CronSyntaxError(`provided bad location ${name}: ${(e as Error).message}`);
    }
    if (loc !== LOCAL) zone = loc;
    spec = goTrimSpace(spec.slice(space));
  }

  if (spec.startsWith('@')) return parseDescriptor(spec, zone);

  const fields = goFields(spec);
  if (fields.length !== 5) {
    throw new CronSyntaxError(`expected exactly 5 fields, found ${fields.length}: ${goStringSlice(fields)}`);
  }
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  return new SpecSchedule(
    {
      minute: getField(minute, BOUNDS.minute),
      hour: getField(hour, BOUNDS.hour),
      dom: getField(dom, BOUNDS.dom),
      month: getField(month, BOUNDS.month),
      dow: getField(dow, BOUNDS.dow),
    },
    zone,
  );
}

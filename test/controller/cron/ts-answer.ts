// The TypeScript engine's answers in the robfig oracle's shape, shared by the differential test
// (under Node) and bun-answers.ts (the same code under Bun).
import { CronNextLoopError, CronSyntaxError, parseStandard, zoneOffsets } from '../../../src/controller/cron/index.js';
import type { OracleAnswer, OracleCase } from './go-oracle.js';

/** What the TypeScript engine says for one case, in the oracle's shape. */
export function tsAnswer(c: OracleCase): OracleAnswer {
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
    try {
      t = schedule.nextMillis(t);
    } catch (e) {
      if (!(e instanceof CronNextLoopError)) throw e;
      return { next, hang: true };
    }
    if (Number.isNaN(t)) {
      next.push('zero');
      break;
    }
    next.push(t);
  }
  return { next };
}

/** A zone's offset at `from` and its transitions up to `to` (unix seconds), as the oracle's "transitions" mode gives them. */
export function zoneTransitions(q: { zone: string; from: number; to: number }): {
  zone: string;
  initial: number;
  transitions: Array<[number, number]>;
} {
  const z = zoneOffsets(q.zone);
  return { zone: q.zone, initial: z.offsetAt(q.from), transitions: z.transitions(q.from, q.to) };
}

// Benchmark: `misses` over a year of `* * * * *` (525,600 schedule times) with a few hundred Jobs.
// Prints CPU milliseconds (user + system, which includes GC threads) per run and the best of N.
// Run: node --import tsx bench/misses.ts [runs]

import { listMisses } from '../src/controller/cronjob/index.js';
import { missesTimeline } from '../src/explain/misses.js';
import type { Job } from '../src/api/types.js';
import { cronJob, scheduledJob } from '../test/support/builders.js';

const runs = Number(process.argv[2] ?? 5);
const since = new Date('2023-01-01T00:00:00Z');
const until = new Date('2024-01-01T00:00:00Z');
const now = new Date('2023-12-31T23:59:30Z');
const cj = cronJob('tick')
  .schedule('* * * * *')
  .forbid()
  .createdAt(since)
  .lastScheduleTime(new Date('2023-12-31T23:58:00Z'))
  .build();

// 300 Jobs spread over the year, each running 90 seconds (so Forbid skips the next minute).
const jobs: Job[] = [];
for (let i = 0; i < 300; i++) {
  const t = new Date(since.getTime() + (i + 1) * 1750 * 60_000);
  jobs.push(
    scheduledJob(cj, t)
      .succeeded(new Date(t.getTime() + 90_000))
      .build(),
  );
}

const cpu = (f: () => void): number => {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const times: number[] = [];
let total = 0;
let groups = 0;
for (let i = 0; i < runs; i++) {
  times.push(
    cpu(() => {
      const r = listMisses({ cronJob: cj, jobs, events: [], now, since, until });
      total = r.total;
      groups = missesTimeline(r).length;
    }),
  );
}
const jsonMs = cpu(() => JSON.stringify(listMisses({ cronJob: cj, jobs, events: [], now, since, until })));

console.log(`misses: ${total} slots, ${jobs.length} jobs, ${groups} timeline groups`);
console.log(`listMisses + timeline CPU ms per run: ${times.map((t) => t.toFixed(1)).join(', ')}`);
console.log(`best: ${Math.min(...times).toFixed(1)} ms`);
console.log(`with full JSON serialisation of every slot: ${jsonMs.toFixed(1)} ms`);

// Small pure helpers shared by the Job model: durations and object names (timestamps: ../time.ts).
import type { Condition, Job, Pod } from '../../api/types.js';

/** A duration in seconds as `1h2m3s` / `6m` / `40s` (whole seconds; `0s` for zero). */
export function duration(seconds: number): string {
  let s = Math.max(0, Math.round(seconds));
  if (s === 0) return '0s';
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

/** `job/<name>` or `pod/<name>`: how evidence names the object a fact came from. */
export function ref(kind: 'job' | 'pod' | 'cronjob', name: string | undefined): string {
  return `${kind}/${name ?? '<unnamed>'}`;
}

/** The first condition of the given type, if any. */
export function findCondition(list: Condition[] | undefined, type: string): Condition | undefined {
  return list?.find((c) => c.type === type);
}

/** The Job's condition of that type when its status is True. */
export function trueCondition(job: Job, type: string): Condition | undefined {
  const c = findCondition(job.status?.conditions, type);
  return c?.status === 'True' ? c : undefined;
}

/** The pod's condition of that type, if any. */
export function podCondition(pod: Pod, type: string): Condition | undefined {
  return findCondition(pod.status?.conditions, type);
}

/** `n thing` / `n things`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

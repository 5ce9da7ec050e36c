// One-off changes to the Job a trigger creates: another image, extra or replaced environment
// variables, replaced args, in one chosen container (the first by default). Pure: returns a
// new Job, or the reason the overrides cannot apply.
import type { Container, Job } from '../../api/types.js';

/** What `trigger --image/--env/--container/-- args` asks for. */
export interface Overrides {
  /** --container: which container (default: the first). */
  container?: string;
  image?: string;
  /** --env K=V, in order; a later K wins. */
  env?: Array<[name: string, value: string]>;
  /** Everything after `--`: replaces the container's args (its command stays). */
  args?: string[];
}

/** True when nothing is overridden. */
export function noOverrides(o: Overrides): boolean {
  return o.image === undefined && !o.env?.length && o.args === undefined;
}

/** The Job with the overrides applied, and the container they went to; or an error message. */
export function applyOverrides(job: Job, o: Overrides): { job: Job; container: string } | { error: string } {
  const containers = job.spec.template?.spec?.containers ?? [];
  const names = containers.map((c) => c.name);
  if (containers.length === 0) return { error: 'the Job template has no containers' };
  const index = o.container === undefined ? 0 : names.indexOf(o.container);
  if (index < 0)
    return { error: `container "${o.container}" not found in the Job template; its containers: ${names.join(', ')}` };
  const out = structuredClone(job);
  if (noOverrides(o)) return { job: out, container: names[index]! };
  const c: Container = out.spec.template.spec.containers[index]!;
  if (o.image !== undefined) c.image = o.image;
  if (o.args !== undefined) c.args = [...o.args];
  for (const [name, value] of o.env ?? []) {
    const env = (c.env ??= []);
    const at = env.findIndex((e) => e.name === name);
    // A replaced variable loses its valueFrom: the value given wins, as `kubectl set env` does.
    if (at >= 0) env[at] = { name, value };
    else env.push({ name, value });
  }
  return { job: out, container: c.name };
}

/** Overrides as a short phrase for messages, e.g. `image busybox:1.36, env A=1, args ["echo","hi"] in container main`. */
export function describeOverrides(o: Overrides, container: string): string {
  const parts: string[] = [];
  if (o.image !== undefined) parts.push(`image ${o.image}`);
  if (o.env?.length) parts.push(`env ${o.env.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (o.args !== undefined) parts.push(`args ${JSON.stringify(o.args)}`);
  return parts.length ? `${parts.join(', ')} in container ${container}` : '';
}

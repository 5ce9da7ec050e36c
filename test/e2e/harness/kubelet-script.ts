// The declarative behaviour of pods played by the kubelet stand-in (see README.md).

/** Pod (template) annotation holding a pod's script as JSON. */
export const SCRIPT_ANNOTATION = 'kubelet-standin.test/script';

/** One run of the pod's containers: how long it runs, what it logs, how it ends. */
export interface Step {
  /** Exit code of every regular container (default 0; 137 with `oom` or `condition`). */
  exit?: number;
  /** Run time before the containers exit: "1s", "500ms", "2m" or milliseconds (default 200ms). */
  after?: string | number;
  /** Container output, one line per "\n"; {pod} {namespace} {container} {run} {restart} are replaced. */
  log?: string;
  /** Keep running until the pod is deleted. */
  hang?: boolean;
  /** While running, log "tick N" at this interval (useful with `kubectl logs -f`). */
  tick?: string | number;
  /** Containers are OOM-killed: reason OOMKilled, exit code 137 unless `exit` says otherwise. */
  oom?: boolean;
  /** Termination message of the containers (state.terminated.message). */
  message?: string;
  /** The pod fails as if disrupted/evicted: this condition (status True) is added, no restart. */
  condition?: { type: string; reason?: string; message?: string };
  /** pod.status.reason / message when the pod fails (e.g. "Evicted", "DeadlineExceeded"). */
  podReason?: string;
  podMessage?: string;
  /** Never start: stay Pending with containers waiting for this reason (e.g. "ImagePullBackOff"). */
  pending?: string;
  /** Message of the waiting state when `pending` is set. */
  pendingMessage?: string;
}

/** A script: steps for successive runs, optionally per completion index of an Indexed Job. */
export interface Script {
  steps: Step[];
  byIndex: Record<string, Step[]>;
}

const STEP_KEYS = new Set([
  'exit', 'after', 'log', 'hang', 'tick', 'oom', 'message', 'condition',
  'podReason', 'podMessage', 'pending', 'pendingMessage',
]);

/** Parses "1.5s", "500ms", "2m", "1h" or a number of milliseconds. */
export function parseDuration(v: string | number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(String(v).trim());
  if (!m) throw new Error(`bad duration ${JSON.stringify(v)} (want e.g. "500ms", "2s", "1m")`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

function checkStep(s: unknown, where: string): Step {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new Error(`${where}: a step must be an object`);
  for (const k of Object.keys(s)) if (!STEP_KEYS.has(k)) throw new Error(`${where}: unknown key ${JSON.stringify(k)}`);
  const step = s as Step;
  if (step.exit !== undefined && (!Number.isInteger(step.exit) || step.exit < 0 || step.exit > 255)) {
    throw new Error(`${where}: exit must be an integer 0..255`);
  }
  parseDuration(step.after, 0);
  parseDuration(step.tick, 0);
  if (step.condition !== undefined && typeof step.condition?.type !== 'string') {
    throw new Error(`${where}: condition needs a type`);
  }
  return step;
}

function checkSteps(v: unknown, where: string): Step[] {
  if (!Array.isArray(v)) throw new Error(`${where}: want an array of steps`);
  return v.map((s, i) => checkStep(s, `${where}[${i}]`));
}

/** Parses the annotation value (undefined = default script). Throws a readable error. */
export function parseScript(text: string | undefined): Script {
  if (text === undefined || text.trim() === '') return { steps: [], byIndex: {} };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  if (Array.isArray(v)) return { steps: checkSteps(v, 'script'), byIndex: {} };
  if (typeof v !== 'object' || v === null) throw new Error('want an array of steps or {"steps":[...],"byIndex":{...}}');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'steps' && k !== 'byIndex') throw new Error(`unknown key ${JSON.stringify(k)}`);
  const byIndex: Record<string, Step[]> = {};
  for (const [k, steps] of Object.entries((o.byIndex ?? {}) as Record<string, unknown>)) {
    byIndex[k] = checkSteps(steps, `byIndex[${k}]`);
  }
  return { steps: o.steps === undefined ? [] : checkSteps(o.steps, 'steps'), byIndex };
}

/** The step for the `run`-th run (0-based); the last step repeats, an empty list means `{}`. */
export function stepFor(script: Script, run: number, index?: string): Step {
  const list = (index !== undefined ? script.byIndex[index] : undefined) ?? script.steps;
  if (list.length === 0) return {};
  return list[Math.min(run, list.length - 1)]!;
}

/** Serialises steps for the annotation (a typed helper for tests). */
export function script(steps: Step[] | { steps?: Step[]; byIndex?: Record<string, Step[]> }): string {
  return JSON.stringify(steps);
}

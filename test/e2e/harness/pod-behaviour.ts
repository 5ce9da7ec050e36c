// Pod templates whose real containers (busybox sh on the e2e node) do what a test asks:
// exit codes, run times, log lines, termination messages, OOM kills under a memory limit,
// hanging until deleted, a missing image (ErrImagePull) or a missing ConfigMap
// (CreateContainerConfigError). Successive runs of a Job (new pods with restartPolicy
// Never, container restarts with OnFailure) take successive steps: a counter file on a
// hostPath volume under the node's directory counts them per Job (per completion index
// for Indexed Jobs). Nothing here is simulated: the kubelet, containerd and runc run it.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { NODE_DIR } from './node.js';

/** One run of a pod's containers: how long it runs, what it logs, how it ends. */
export interface Step {
  /** Exit code of the container (default 0). */
  exit?: number;
  /** Run time before the container exits: "1s", "500ms", "2m" or milliseconds (default 200ms). */
  after?: string | number;
  /** Output lines ("\n"-separated); {pod} {namespace} {container} {run} {restart} are replaced by the shell. */
  log?: string;
  /** Run until the pod is deleted (SIGTERM ends the container with 143). */
  hang?: boolean;
  /** While running, print "tick N" at this interval (for `kubectl logs -f`). */
  tick?: string | number;
  /** Allocate far beyond a 32Mi memory limit: the kernel kills the container (OOMKilled, 137). */
  oom?: boolean;
  /** Termination message (written to /dev/termination-log). */
  message?: string;
  /**
   * Never start (first step only): 'ImagePullBackOff' or 'ErrImagePull' (an image nothing serves),
   * 'CreateContainerConfigError' (a ConfigMap that does not exist). The kubelet writes the reasons and messages.
   */
  pending?: 'ImagePullBackOff' | 'ErrImagePull' | 'CreateContainerConfigError';
}

/** Parses "1.5s", "500ms", "2m", "1h" or a number of milliseconds. */
export function parseDuration(v: string | number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(String(v).trim());
  if (!m) throw new Error(`bad duration ${JSON.stringify(v)} (want e.g. "500ms", "2s", "1m")`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/** A behaviour: steps for successive runs, optionally per completion index. */
export type Behaviour = Step[] | { steps?: Step[]; byIndex?: Record<string, Step[]> };

/** An image reference that no registry serves (connection refused on 127.0.0.1: nothing leaves the machine). */
export const MISSING_IMAGE = '127.0.0.1:9/kubectl-job-e2e/missing:1';

let image: string | undefined;

/** The image with a shell that pods run on an existing cluster (E2E_KUBECONFIG) unless E2E_IMAGE names one. */
export const EXTERNAL_IMAGE = 'busybox:1.36';

/** The node's image with a shell: $E2E_IMAGE, else the busybox image node-images.ts builds (EXTERNAL_IMAGE on E2E_KUBECONFIG). */
export function nodeImage(): string {
  if (process.env.E2E_IMAGE) return process.env.E2E_IMAGE;
  if (process.env.E2E_KUBECONFIG) return EXTERNAL_IMAGE;
  if (!image) {
    let version = 'unknown';
    try {
      const banner = execFileSync('/bin/busybox', [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      version = /v(\d+\.\d+\.\d+)/.exec(banner)?.[1] ?? version;
    } catch {
      /* not installed yet: the node installs it */
    }
    image = `kubectl-job.test/busybox:${version}`;
  }
  return image;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function seconds(v: string | number | undefined, fallbackMs: number): string {
  return (parseDuration(v, fallbackMs) / 1000).toFixed(3).replace(/\.?0+$/, '') || '0';
}

/** Shell lines for one step (runs in a function; `$run` and `$restart` are set). */
function stepLines(s: Step, container: string): string[] {
  const lines: string[] = [];
  const sub = (text: string) =>
    text.split('\n').map((l) => {
      const parts = l.split(/(\{pod\}|\{namespace\}|\{container\}|\{run\}|\{restart\})/);
      return parts
        .map(
          (p) =>
            ({
              '{pod}': '"$POD_NAME"',
              '{namespace}': '"$POD_NAMESPACE"',
              '{container}': q(container),
              '{run}': '"$run"',
              '{restart}': '"$restart"',
            })[p] ?? q(p),
        )
        .join('');
    });
  for (const l of s.log ? sub(s.log) : []) lines.push(`echo ${l || "''"}`);
  if (s.message !== undefined) lines.push(`printf %s ${q(s.message)} > /dev/termination-log`);
  if (s.tick !== undefined) {
    const tick = seconds(s.tick, 1000);
    const n = s.hang ? 0 : Math.floor(parseDuration(s.after, 200) / parseDuration(s.tick, 1000));
    lines.push(`i=0; while [ ${n} -eq 0 ] || [ $i -lt ${n} ]; do nap ${tick}; i=$((i+1)); echo "tick $i"; done`);
  } else if (s.hang) {
    lines.push('while :; do nap 3600; done');
  } else {
    lines.push(`nap ${seconds(s.after, 200)}`);
  }
  // Allocating far more than the container's memory limit: the kernel OOM-kills the container.
  // exec: the container's main process must be the one killed (a killed child leaves sh to
  // exit 0, and the kubelet then reports reason OOMKilled with exit code 0: seen here).
  if (s.oom) lines.push('exec dd if=/dev/zero of=/dev/null bs=512M count=1');
  lines.push(`exit ${s.exit ?? 0}`);
  return lines;
}

function chooser(steps: Step[], container: string, fn: string): string[] {
  const list = steps.length ? steps : [{}];
  const out = [`${fn}() {`, `  s=$run; [ "$s" -gt ${list.length - 1} ] && s=${list.length - 1}`, '  case $s in'];
  for (const [i, s] of list.entries()) out.push(`  ${i}) ${stepLines(s, container).join('; ')} ;;`);
  out.push('  esac', '}');
  return out;
}

/** The shell program of a container following `behaviour`. */
export function behaviourScript(behaviour: Behaviour, container = 'main'): string {
  const b = Array.isArray(behaviour)
    ? { steps: behaviour, byIndex: {} }
    : { steps: behaviour.steps ?? [], byIndex: behaviour.byIndex ?? {} };
  const lines = [
    // sh as PID 1 ignores SIGTERM unless it traps it: trap, so deletions end the container
    // at once with 143 as a well-behaved program would.
    "trap 'exit 143' TERM",
    'nap() { sleep "$1" & wait $!; }',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
    'key=${JOB_COMPLETION_INDEX:-all}',
    'run=$(cat /runs/$key 2>/dev/null || echo 0); echo $((run+1)) > /runs/$key',
    'restart=$(cat /runs/pod-$POD_NAME 2>/dev/null || echo 0); echo $((restart+1)) > /runs/pod-$POD_NAME',
    `echo "attempt: pod $POD_NAMESPACE/$POD_NAME container ${container} run $run restart $restart"`,
    ...chooser(b.steps, container, 'steps'),
  ];
  const indexes = Object.keys(b.byIndex);
  for (const i of indexes) lines.push(...chooser(b.byIndex[i]!, container, `index_${i}`));
  if (indexes.length) {
    lines.push('case "$key" in', ...indexes.map((i) => `  ${i}) index_${i} ;;`), '  *) steps ;;', 'esac');
  } else lines.push('steps');
  return lines.join('\n');
}

/** True when a step needs a memory limit (OOM). */
function needsMemoryLimit(b: Behaviour): boolean {
  const all = Array.isArray(b) ? b : [...(b.steps ?? []), ...Object.values(b.byIndex ?? {}).flat()];
  return all.some((s) => s.oom);
}

function pendingReason(b: Behaviour): string | undefined {
  const first = Array.isArray(b) ? b[0] : (b.steps ?? [])[0];
  return first?.pending;
}

/**
 * A pod template running `behaviour` on the real node. `pending: 'ImagePullBackOff'` (or
 * ErrImagePull) uses an image no registry serves; `pending: 'CreateContainerConfigError'` an
 * environment from a ConfigMap that does not exist. Pod conditions and reasons that no container
 * can cause (DisruptionTarget, Evicted) come from the API (e.g. the Eviction API).
 */
export function podTemplate(behaviour: Behaviour, restartPolicy = 'Never', labels: Record<string, string> = {}) {
  const pending = pendingReason(behaviour);
  const runs = `${NODE_DIR}/runs/${randomBytes(6).toString('hex')}`;
  const container: Record<string, unknown> = {
    name: 'main',
    image: pending === 'ImagePullBackOff' || pending === 'ErrImagePull' ? MISSING_IMAGE : nodeImage(),
    command: ['sh', '-c', behaviourScript(behaviour)],
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ],
    volumeMounts: [{ name: 'runs', mountPath: '/runs' }],
  };
  if (pending === 'CreateContainerConfigError')
    container.envFrom = [{ configMapRef: { name: 'kubectl-job-e2e-missing' } }];
  if (needsMemoryLimit(behaviour)) container.resources = { limits: { memory: '32Mi' }, requests: { memory: '32Mi' } };
  return {
    metadata: { labels },
    spec: {
      restartPolicy,
      terminationGracePeriodSeconds: 30,
      containers: [container],
      volumes: [{ name: 'runs', hostPath: { path: runs, type: 'DirectoryOrCreate' } }],
    },
  };
}

// Checks objects read from a snapshot file against the shapes the controller models read
// (api/types.ts) and keeps only those fields, so a hand-edited or truncated file can
// never reach the models with a number where a string belongs, and a big snapshot does not
// keep every field of every object in memory. A problem names the object and the field.

/** A field's expected shape. */
type Shape = 'string' | 'int32' | 'int64' | 'boolean' | 'time' | 'strmap' | 'any' | { list: Shape } | Fields;

/** An object's declared fields; a name ending in `!` is required. */
interface Fields {
  fields: Record<string, Shape>;
}

const obj = (fields: Record<string, Shape>): Fields => ({ fields });
const list = (of: Shape): Shape => ({ list: of });

const ownerReference = obj({
  'apiVersion!': 'string',
  'kind!': 'string',
  'name!': 'string',
  'uid!': 'string',
  controller: 'boolean',
  blockOwnerDeletion: 'boolean',
});
const managedFields = obj({
  manager: 'string',
  operation: 'string',
  apiVersion: 'string',
  time: 'time',
  fieldsType: 'string',
  fieldsV1: 'any',
  subresource: 'string',
});
const objectMeta = obj({
  name: 'string',
  generateName: 'string',
  namespace: 'string',
  uid: 'string',
  resourceVersion: 'string',
  creationTimestamp: 'time',
  deletionTimestamp: 'time',
  labels: 'strmap',
  annotations: 'strmap',
  ownerReferences: list(ownerReference),
  managedFields: list(managedFields),
  finalizers: list('string'),
});
const objectReference = obj({
  apiVersion: 'string',
  kind: 'string',
  name: 'string',
  namespace: 'string',
  uid: 'string',
  resourceVersion: 'string',
});
const condition = obj({
  'type!': 'string',
  status: 'string',
  reason: 'string',
  message: 'string',
  lastTransitionTime: 'time',
  lastProbeTime: 'time',
});
const terminated = obj({
  exitCode: 'int32',
  signal: 'int32',
  reason: 'string',
  message: 'string',
  startedAt: 'time',
  finishedAt: 'time',
  containerID: 'string',
});
const containerState = obj({
  waiting: obj({ reason: 'string', message: 'string' }),
  running: obj({ startedAt: 'time' }),
  terminated,
});
const containerStatus = obj({
  name: 'string',
  ready: 'boolean',
  restartCount: 'int32',
  image: 'string',
  state: containerState,
  lastState: containerState,
  started: 'boolean',
});
const container = obj({
  name: 'string',
  image: 'string',
  command: list('string'),
  args: list('string'),
  env: list(obj({ name: 'string', value: 'string', valueFrom: 'any' })),
  envFrom: 'any',
  resources: 'any',
  volumeMounts: 'any',
  restartPolicy: 'string',
});
const podSpec = obj({
  containers: list(container),
  initContainers: list(container),
  restartPolicy: 'string',
  nodeName: 'string',
  activeDeadlineSeconds: 'int64',
  terminationGracePeriodSeconds: 'int64',
  volumes: 'any',
  serviceAccountName: 'string',
});
const podStatus = obj({
  phase: 'string',
  reason: 'string',
  message: 'string',
  startTime: 'time',
  conditions: list(condition),
  containerStatuses: list(containerStatus),
  initContainerStatuses: list(containerStatus),
  podIP: 'string',
  hostIP: 'string',
});
const podTemplate = obj({ metadata: objectMeta, 'spec!': podSpec });
const jobSpec = obj({
  parallelism: 'int32',
  completions: 'int32',
  activeDeadlineSeconds: 'int64',
  backoffLimit: 'int32',
  backoffLimitPerIndex: 'int32',
  maxFailedIndexes: 'int32',
  podFailurePolicy: obj({
    'rules!': list(
      obj({
        'action!': 'string',
        onExitCodes: obj({ containerName: 'string', 'operator!': 'string', 'values!': list('int32') }),
        onPodConditions: list(obj({ 'type!': 'string', status: 'string' })),
      }),
    ),
  }),
  successPolicy: obj({ 'rules!': list(obj({ succeededIndexes: 'string', succeededCount: 'int32' })) }),
  selector: obj({ matchLabels: 'strmap' }),
  manualSelector: 'boolean',
  'template!': podTemplate,
  ttlSecondsAfterFinished: 'int32',
  completionMode: 'string',
  suspend: 'boolean',
  podReplacementPolicy: 'string',
  managedBy: 'string',
});
const jobStatus = obj({
  conditions: list(condition),
  startTime: 'time',
  completionTime: 'time',
  active: 'int32',
  succeeded: 'int32',
  failed: 'int32',
  terminating: 'int32',
  ready: 'int32',
  completedIndexes: 'string',
  failedIndexes: 'string',
  uncountedTerminatedPods: obj({ succeeded: list('string'), failed: list('string') }),
});
const cronJobSpec = obj({
  'schedule!': 'string',
  timeZone: 'string',
  startingDeadlineSeconds: 'int64',
  concurrencyPolicy: 'string',
  suspend: 'boolean',
  'jobTemplate!': obj({ metadata: objectMeta, 'spec!': jobSpec }),
  successfulJobsHistoryLimit: 'int32',
  failedJobsHistoryLimit: 'int32',
});

const top = (rest: Record<string, Shape>) =>
  obj({ apiVersion: 'string', kind: 'string', 'metadata!': objectMeta, ...rest });

/** The shape of each kind a snapshot may hold. */
export const SHAPES = {
  CronJob: top({
    'spec!': cronJobSpec,
    status: obj({ active: list(objectReference), lastScheduleTime: 'time', lastSuccessfulTime: 'time' }),
  }),
  Job: top({ 'spec!': jobSpec, status: jobStatus }),
  Pod: top({ spec: podSpec, status: podStatus }),
  Event: top({
    'involvedObject!': objectReference,
    reason: 'string',
    message: 'string',
    type: 'string',
    count: 'int32',
    firstTimestamp: 'time',
    lastTimestamp: 'time',
    eventTime: 'time',
    source: obj({ component: 'string', host: 'string' }),
    reportingComponent: 'string',
  }),
} as const;

export type ValidatedKind = keyof typeof SHAPES;

/** A field that does not have the expected shape. */
export class ShapeError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path || 'the object'} ${problem}`);
  }
}

/** The object reduced to its declared fields (nulls dropped), or a ShapeError for the first bad field. */
export function validateObject(kind: ValidatedKind, o: unknown): Record<string, unknown> {
  const lean = check(SHAPES[kind], o, '') as Record<string, unknown>;
  if (kind === 'CronJob') {
    // The Job template is what `trigger --dry-run=client` copies into a new Job: every field of it
    // is kept, not only those the models read (which have been checked above).
    (lean.spec as Record<string, unknown>).jobTemplate = (
      (o as Record<string, unknown>).spec as Record<string, unknown>
    ).jobTemplate;
  }
  return lean;
}

const INT32_MAX = 2 ** 31 - 1;
// RFC 3339 as the API writes it (with an optional fraction and any offset).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v === 'number' ? 'the number' : `the ${typeof v}`} ${String(v)}`;
}

function check(shape: Shape, v: unknown, path: string): unknown {
  const fail = (want: string): never => {
    throw new ShapeError(path, `is ${describe(v)}, not ${want}`);
  };
  if (typeof shape === 'string') {
    switch (shape) {
      case 'string':
        return typeof v === 'string' ? v : fail('a string');
      case 'boolean':
        return typeof v === 'boolean' ? v : fail('true or false');
      case 'int32':
        return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= INT32_MAX ? v : fail('a 32-bit integer');
      case 'int64':
        return typeof v === 'number' && Number.isSafeInteger(v) ? v : fail('an integer');
      case 'time':
        return typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v)) ? v : fail('an RFC 3339 time');
      case 'strmap': {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('a mapping of strings');
        const out: Record<string, string> = {};
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
          if (typeof x !== 'string') throw new ShapeError(`${path}.${k}`, `is ${describe(x)}, not a string`);
          if (k !== '__proto__') out[k] = x;
        }
        return out;
      }
      case 'any':
        return v;
    }
  }
  if ('list' in shape) {
    if (!Array.isArray(v)) fail('a list');
    return (v as unknown[]).map((x, i) => check(shape.list, x, `${path}[${i}]`));
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('a mapping');
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // The file's key order is kept (a dry-run prints objects built from these).
  for (const key of Object.keys(src)) {
    const sub = shape.fields[key] ?? shape.fields[`${key}!`];
    const x = src[key];
    if (sub === undefined || x === undefined || x === null) continue;
    out[key] = check(sub, x, `${path}.${key}`);
  }
  for (const decl of Object.keys(shape.fields)) {
    if (!decl.endsWith('!')) continue;
    const key = decl.slice(0, -1);
    if (!(key in out)) throw new ShapeError(`${path}.${key}`, src[key] === null ? 'is null' : 'is missing');
  }
  return out;
}

// Findings about a manifest before it is applied: what the controllers' own rules make of it.

/** How bad a finding is: error = it will not work as written (rejected, or never runs); warning = it
 * works but very likely not as meant; info = worth knowing. */
export type Severity = 'error' | 'warning' | 'info';

/** One finding about one field of a manifest. */
export interface Finding {
  /** A stable code, e.g. `EveryDeadlineNeverRuns`. */
  code: string;
  severity: Severity;
  /** The field it is about, e.g. `.spec.startingDeadlineSeconds`. */
  path: string;
  /** One line: what happens and why. */
  message: string;
  /** The upstream rule it rests on (package and function or constant). */
  basis: string;
}

/** What the static rules know besides the manifest itself. */
export interface LintContext {
  /** The instant "within 5 years" counts from. */
  now: Date;
  /** kube-controller-manager's zone for schedules without `.spec.timeZone`. */
  controllerZone: string;
  /** The schedule of the object in the cluster, when it exists (the API then allows what it already has). */
  liveSchedule?: string;
  /** True when the object already exists (an apply is an update, not a create). */
  exists?: boolean;
  /** The server's minor version when known (pod-failure backoff cap). */
  serverVersion?: { major: number; minor: number };
}

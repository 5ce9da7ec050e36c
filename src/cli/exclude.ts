// `why --all --exclude NAMESPACE/NAME`: CronJobs the fleet audit leaves out. The in-cluster audit
// (deploy/20-cronjob.yaml) leaves out its own CronJob: a failed audit Job would otherwise make its
// CronJob "failing" (the last run failed), and every later audit would fail on that alone, long
// after the problem it reported was fixed.
import { UsageError } from '../errors.js';

/** One CronJob to leave out. */
export interface Excluded {
  namespace: string;
  name: string;
}

// Names as the API server accepts them: a namespace is a DNS label, a CronJob name a DNS subdomain.
const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Reads the --exclude values; each must be NAMESPACE/NAME (a usage error otherwise). */
export function parseExcludes(values: string[] | undefined): Excluded[] {
  return (values ?? []).map((v) => {
    const parts = v.split('/');
    const [namespace, name] = parts;
    if (parts.length !== 2 || !namespace || !name || !LABEL.test(namespace) || !SUBDOMAIN.test(name)) {
      throw new UsageError(
        `invalid --exclude "${v}": expected NAMESPACE/NAME of a CronJob`,
        'kubectl job why --all -A --exclude ops/kubectl-job-audit',
      );
    }
    return { namespace, name };
  });
}

/** Whether a CronJob (namespace, name) is one of the excluded. */
export function isExcluded(excluded: Excluded[], namespace: string | undefined, name: string | undefined): boolean {
  return excluded.some((e) => e.namespace === (namespace ?? 'default') && e.name === name);
}

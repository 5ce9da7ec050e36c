// The names shell completion offers (src/cli/completion.ts): CronJobs and Jobs of the cluster or
// snapshot file the typed flags select, the cluster's namespaces, and the context, cluster and
// user names of the kubeconfig files kubectl would read (kubeconfig.ts). A shell waiting on TAB
// should not notice: every lookup has a short budget and answers [] on any failure, silently.
// The modules behind each lookup load only when it runs, so completing a flag name reads nothing.
import type { SourceFlags } from './open.js';

/** The kinds of object completion names. */
export type CompletionKind = 'CronJob' | 'Job';

/** A named object offered for an object argument. */
export interface NamedObject {
  kind: CompletionKind;
  name: string;
  /** Shown beside the name by shells that show descriptions. */
  detail?: string;
}

/** Where completion looks names up. Every method resolves to [] on any failure. */
export interface Lookup {
  objects(kinds: CompletionKind[], flags: SourceFlags): Promise<NamedObject[]>;
  namespaces(flags: SourceFlags): Promise<string[]>;
  /** Context, cluster or user names of the kubeconfig the flags select. */
  kubeconfigNames(what: 'contexts' | 'clusters' | 'users', flags: SourceFlags): Promise<string[]>;
}

/** The whole budget for a cluster lookup. */
export const LOOKUP_TIMEOUT_MS = 2000;

/** Resolves to `fallback` when `work` fails or takes longer than `timeoutMs`. */
export async function quietly<T>(work: () => Promise<T>, fallback: T, timeoutMs = LOOKUP_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([work().catch(() => fallback), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The lookups against the live cluster (as the typed flags and `env` select it) or the --snapshot file. */
export function clusterLookupIn(env: NodeJS.ProcessEnv): Lookup {
  return {
    objects(kinds, flags) {
      return quietly(async () => {
        const { openSource } = await import('./open.js');
        const src = await openSource(flags, env);
        try {
          // A snapshot without -n holds whatever namespaces were captured: offer them all.
          const ns = flags.namespace ?? (flags.snapshot ? undefined : src.namespace);
          const [cronJobs, jobs] = await Promise.all([
            kinds.includes('CronJob') ? src.listCronJobs(ns) : [],
            kinds.includes('Job') ? src.listJobs(ns) : [],
          ]);
          const named: NamedObject[] = [];
          for (const c of cronJobs) {
            const detail = `schedule "${c.spec.schedule}"${c.spec.suspend ? ', suspended' : ''}`;
            if (c.metadata.name) named.push({ kind: 'CronJob', name: c.metadata.name, detail });
          }
          for (const j of jobs) if (j.metadata.name) named.push({ kind: 'Job', name: j.metadata.name });
          return named.sort((a, b) => a.name.localeCompare(b.name));
        } finally {
          await src.close();
        }
      }, []);
    },
    namespaces(flags) {
      return quietly(async () => {
        if (flags.snapshot) return [];
        const { openConnection } = await import('./open.js');
        const { apiRequest, closeConnection } = await import('./http.js');
        const conn = await openConnection(flags, env);
        try {
          const list = await apiRequest<{ items?: Array<{ metadata?: { name?: string } }> }>(conn, {
            method: 'GET',
            path: '/api/v1/namespaces',
            what: { verb: 'list', resource: 'namespaces' },
          });
          return (list.items ?? []).flatMap((n) => (n.metadata?.name ? [n.metadata.name] : []));
        } finally {
          await closeConnection(conn);
        }
      }, []);
    },
    kubeconfigNames(what, flags) {
      // Only the files are read, as kubectl picks them; the --context being typed is not applied.
      return quietly(async () => {
        const { kubeconfigNames } = await import('./kubeconfig.js');
        return kubeconfigNames(what, flags, env);
      }, []);
    },
  };
}

/** The lookups with the process's environment. */
export const clusterLookup: Lookup = clusterLookupIn(process.env);

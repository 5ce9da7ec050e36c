// Resolves kubeconfig, context and namespace the way kubectl does, using the client's
// KubeConfig for the credential plumbing (certs, tokens, exec plugins, auth providers).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from '../errors.js';

/** The connection flags kubectl plugins are expected to honour. */
export interface ConnectionFlags {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  server?: string;
  token?: string;
  insecureSkipTlsVerify?: boolean;
  as?: string;
  asGroup?: string[];
  requestTimeout?: string;
}

/** A resolved connection: the client config plus what kubectl would show the user. */
export interface Connection {
  kc: KubeConfig;
  contextName: string;
  server: string;
  /** The namespace to use when -n is not given (context namespace, in-cluster namespace, or "default"). */
  namespace: string;
  /** Extra headers (impersonation). */
  headers: Record<string, string | string[]>;
  /** Per-request timeout in ms; 0 = none. */
  timeoutMs: number;
}

const IN_CLUSTER_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Loads and merges kubeconfig files like kubectl: --kubeconfig, else $KUBECONFIG (first wins), else ~/.kube/config, else in-cluster. */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Connection {
  const kc = new KubeConfig();
  let inCluster = false;
  if (flags.kubeconfig) {
    if (!fs.existsSync(flags.kubeconfig)) {
      throw new ClusterError('Config', `kubeconfig file ${flags.kubeconfig} does not exist`);
    }
    loadFile(kc, flags.kubeconfig);
  } else if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(path.delimiter).filter((f) => f && fs.existsSync(f));
    if (files.length === 0) {
      throw new ClusterError('Config', `none of the files in KUBECONFIG exist: ${env.KUBECONFIG}`);
    }
    mergeFiles(kc, files);
  } else {
    const home = path.join(env.HOME ?? os.homedir(), '.kube', 'config');
    if (fs.existsSync(home)) {
      loadFile(kc, home);
    } else if (env.KUBERNETES_SERVICE_HOST && fs.existsSync(path.join(IN_CLUSTER_DIR, 'token'))) {
      kc.loadFromCluster();
      inCluster = true;
    } else if (!flags.server) {
      throw new ClusterError(
        'Config',
        'no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config',
        'to read a saved snapshot without a cluster, pass --snapshot FILE',
      );
    }
  }
  applyOverrides(kc, flags);
  const contextName = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    throw new ClusterError(
      'Config',
      contextName ? `context "${contextName}" has no cluster server` : 'no current context is set in the kubeconfig',
      'pick one with --context NAME (kubectl config get-contexts lists them)',
    );
  }
  const ctxNs = contextName ? kc.getContextObject(contextName)?.namespace : undefined;
  const namespace = flags.namespace || ctxNs || (inCluster ? readInClusterNamespace() : undefined) || 'default';
  const headers: Record<string, string | string[]> = {};
  if (flags.as) headers['Impersonate-User'] = flags.as;
  if (flags.asGroup?.length) headers['Impersonate-Group'] = flags.asGroup;
  return { kc, contextName, server: cluster.server, namespace, headers, timeoutMs: parseRequestTimeout(flags.requestTimeout) };
}

function loadFile(kc: KubeConfig, file: string): void {
  try {
    kc.loadFromFile(file);
  } catch (e) {
    throw new ClusterError('Config', `cannot read kubeconfig ${file}: ${(e as Error).message}`);
  }
}

// kubectl merges $KUBECONFIG files so that the first file to define a name (or current-context) wins;
// the client's own merge throws on duplicate names and lets the last current-context win.
function mergeFiles(kc: KubeConfig, files: string[]): void {
  const merged = { clusters: [] as KubeConfig['clusters'], users: [] as KubeConfig['users'], contexts: [] as KubeConfig['contexts'], currentContext: '' };
  for (const file of files) {
    const one = new KubeConfig();
    loadFile(one, file);
    for (const c of one.clusters) if (!merged.clusters.some((x) => x.name === c.name)) merged.clusters.push(c);
    for (const u of one.users) if (!merged.users.some((x) => x.name === u.name)) merged.users.push(u);
    for (const c of one.contexts) if (!merged.contexts.some((x) => x.name === c.name)) merged.contexts.push(c);
    if (!merged.currentContext && one.currentContext) merged.currentContext = one.currentContext;
  }
  kc.loadFromOptions(merged);
}

function applyOverrides(kc: KubeConfig, flags: ConnectionFlags): void {
  if (flags.context) {
    if (!kc.getContextObject(flags.context)) {
      throw new ClusterError('Config', `context "${flags.context}" does not exist`, 'kubectl config get-contexts lists the contexts');
    }
    kc.setCurrentContext(flags.context);
  }
  const needsOverride = flags.cluster || flags.user || flags.server || flags.token || flags.insecureSkipTlsVerify;
  if (!needsOverride) return;
  const current = kc.getContextObject(kc.getCurrentContext());
  let clusterName = flags.cluster ?? current?.cluster ?? 'kubectl-job-cluster';
  let userName = flags.user ?? current?.user ?? 'kubectl-job-user';
  if (flags.cluster && !kc.getCluster(flags.cluster)) throw new ClusterError('Config', `cluster "${flags.cluster}" does not exist in the kubeconfig`);
  if (flags.user && !kc.getUser(flags.user)) throw new ClusterError('Config', `user "${flags.user}" does not exist in the kubeconfig`);
  const baseCluster = kc.getCluster(clusterName);
  const baseUser = kc.getUser(userName);
  const cluster = {
    ...(baseCluster ?? { name: clusterName, server: '', skipTLSVerify: false }),
    ...(flags.server ? { server: flags.server } : {}),
    ...(flags.insecureSkipTlsVerify ? { skipTLSVerify: true, caData: undefined, caFile: undefined } : {}),
  };
  const user = { ...(baseUser ?? { name: userName }), ...(flags.token ? { token: flags.token } : {}) };
  clusterName = cluster.name;
  userName = user.name;
  const ctxName = 'kubectl-job-override';
  kc.loadFromOptions({
    clusters: [cluster, ...kc.clusters.filter((c) => c.name !== clusterName)],
    users: [user, ...kc.users.filter((u) => u.name !== userName)],
    contexts: [
      { name: ctxName, cluster: clusterName, user: userName, namespace: current?.namespace },
      ...kc.contexts.filter((c) => c.name !== ctxName),
    ],
    currentContext: ctxName,
  });
}

function readInClusterNamespace(): string | undefined {
  try {
    return fs.readFileSync(path.join(IN_CLUSTER_DIR, 'namespace'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** kubectl's --request-timeout: "0" = none, a bare number = seconds, or a Go-style duration (1s, 2m, 1h). */
export function parseRequestTimeout(v: string | undefined): number {
  if (v === undefined || v === '' || v === '0') return 0;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v);
  if (!m) throw new ClusterError('Config', `invalid --request-timeout "${v}": use a number of seconds or a duration such as 30s, 2m`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

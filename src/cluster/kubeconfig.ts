// Resolves kubeconfig, context, credentials and namespace the way kubectl (client-go's
// clientcmd) does: file precedence and merging, paths relative to the file that names them,
// flag overrides, token / token file / client certificate / basic auth / impersonation, and
// in-cluster configuration. This is plain data work with no client library, so a command
// that talks to the cluster starts fast; credentials that need a program to run (an exec
// plugin or an auth provider) are handed to the client library on the first request
// (plugin-credentials.ts).
// Named imports: a default import of a built-in makes the bundle copy every property of the
// module, which under Bun loads node:stream (for fs.WriteStream) at start-up.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { parseGoDuration } from '../controller/duration.js';
import { ClusterError, UsageError } from '../errors.js';
import { environmentProxy, kubeconfigProxy } from './proxy.js';
import { parseSimpleYaml } from './simple-yaml.js';
import { readYaml } from './yaml-read.js';
import { systemRoots } from './system-roots.js';
import { tokenFromFile } from './token-file.js';

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
  asUid?: string;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  tlsServerName?: string;
  username?: string;
  password?: string;
  requestTimeout?: string;
}

/** TLS settings of a connection, ready for node:tls. */
export interface TlsSettings {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
  servername?: string;
}

/** A cluster and user entry as written in a kubeconfig file (kebab-case keys), with absolute paths. */
export type RawEntry = Record<string, unknown>;

/** A resolved connection: where to connect, how to authenticate, and what kubectl would show the user. */
export interface Connection {
  contextName: string;
  server: string;
  /** The namespace to use when -n is not given (context namespace, in-cluster namespace, or "default"). */
  namespace: string;
  /** Headers sent with every request: static credentials and impersonation. */
  headers: Record<string, string | string[]>;
  tls: TlsSettings;
  /** Credentials only a program can produce (exec plugin, auth provider): resolved on the first request. */
  plugin?: { cluster: RawEntry; user: RawEntry };
  /** Per-request timeout in ms; 0 = none. */
  timeoutMs: number;
  /** The proxy requests go through (the cluster's proxy-url, else HTTPS_PROXY/HTTP_PROXY/NO_PROXY), if any. */
  proxy?: URL;
  /** A bearer token file that is re-read while the command runs (in-cluster: the kubelet rotates it); its token replaces the Authorization header. */
  tokenFile?: string;
}

/** Where the kubelet mounts a pod's service account token, CA certificate and namespace. */
export const IN_CLUSTER_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** One kubeconfig file's named entries, paths already made absolute. */
interface ConfigFile {
  clusters: Map<string, RawEntry>;
  users: Map<string, RawEntry>;
  contexts: Map<string, RawEntry>;
  currentContext: string;
}

/** Loads and merges kubeconfig files like kubectl: --kubeconfig, else $KUBECONFIG (first wins), else ~/.kube/config, else in-cluster. */
export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
  inClusterDir = IN_CLUSTER_DIR,
): Connection {
  const timeoutMs = parseRequestTimeout(flags.requestTimeout);
  const files = kubeconfigFiles(flags, env);
  if (files.length === 0) {
    // client-go's rule: in-cluster when KUBERNETES_SERVICE_HOST and _PORT are set and the token file exists.
    if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && !flags.server) {
      if (existsSync(join(inClusterDir, 'token'))) return inClusterConnection(flags, env, timeoutMs, inClusterDir);
      throw new ClusterError(
        'Config',
        `running in a pod (KUBERNETES_SERVICE_HOST is set), but there is no service account token at ${join(inClusterDir, 'token')} and no kubeconfig`,
        'mount the token (automountServiceAccountToken: true, a serviceAccountName), or pass --kubeconfig',
      );
    }
    if (!flags.server) {
      throw new ClusterError(
        'Config',
        'no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config',
        'to read a saved snapshot without a cluster, pass --snapshot FILE',
      );
    }
  }
  const config = merge(files.map(loadFile));

  const contextName = flags.context || config.currentContext;
  if (flags.context && !config.contexts.has(flags.context)) {
    throw new ClusterError(
      'Config',
      `context "${flags.context}" does not exist`,
      'kubectl config get-contexts lists the contexts',
    );
  }
  const context = config.contexts.get(contextName) ?? {};
  const clusterName = flags.cluster || str(context.cluster);
  const userName = flags.user || str(context.user);
  if (flags.cluster && !config.clusters.has(flags.cluster))
    throw new ClusterError('Config', `cluster "${flags.cluster}" does not exist in the kubeconfig`);
  if (flags.user && !config.users.has(flags.user))
    throw new ClusterError('Config', `user "${flags.user}" does not exist in the kubeconfig`);

  const cluster = withClusterFlags({ ...(config.clusters.get(clusterName) ?? {}) }, flags);
  const user = withUserFlags({ ...(config.users.get(userName) ?? {}) }, flags);
  validate(cluster, clusterName, user, userName, flags);

  const server = str(cluster.server);
  if (!server) {
    throw new ClusterError(
      'Config',
      contextName ? `context "${contextName}" has no cluster server` : 'no current context is set in the kubeconfig',
      'pick one with --context NAME (kubectl config get-contexts lists them)',
    );
  }
  checkServerUrl(server, flags.server ? '--server' : `the server of cluster "${clusterName}"`);
  const namespace = flags.namespace || str(context.namespace) || 'default';
  return {
    contextName,
    server,
    namespace,
    headers: { ...credentialHeaders(user, server), ...impersonation(user, flags) },
    tls: tlsSettings(cluster, user, server, env),
    plugin: user.exec || user['auth-provider'] ? { cluster, user } : undefined,
    timeoutMs,
    proxy: proxyFor(cluster, clusterName, server, env),
  };
}

/**
 * The context names of the merged kubeconfig, sorted (as `kubectl config get-contexts -o name`
 * lists them): what `why --all --all-contexts` audits. In-cluster configuration has no contexts.
 */
export function kubeconfigContexts(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): string[] {
  const files = kubeconfigFiles(flags, env);
  if (files.length === 0) {
    throw new ClusterError(
      'Config',
      'no kubeconfig found: --all-contexts audits the contexts of a kubeconfig (--kubeconfig, KUBECONFIG or ~/.kube/config)',
      'name the clusters with --context, or run without --all-contexts',
    );
  }
  const names = [...merge(files.map(loadFile)).contexts.keys()].filter((n) => n !== '').sort();
  if (names.length === 0)
    throw new ClusterError(
      'Config',
      `the kubeconfig (${files.join(', ')}) has no contexts`,
      'kubectl config get-contexts lists them',
    );
  return names;
}

/**
 * The context, cluster or user names of the kubeconfig files kubectl would read for these flags
 * (--kubeconfig, else the files of $KUBECONFIG, else ~/.kube/config), in merge order, each once:
 * what shell completion offers. Never throws: no file gives [], and a file that cannot be read
 * is left out (the names of the others still count).
 */
export function kubeconfigNames(
  what: 'contexts' | 'clusters' | 'users',
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  let files: string[];
  try {
    files = kubeconfigFiles(flags, env);
  } catch {
    return [];
  }
  const loaded = files.flatMap((file) => {
    try {
      return [loadFile(file)];
    } catch {
      return [];
    }
  });
  return [...merge(loaded)[what].keys()].filter((n) => n !== '');
}

/** kubectl's choice of proxy: the cluster's proxy-url, else the environment's (proxy.ts). */
function proxyFor(cluster: RawEntry, clusterName: string, server: string, env: NodeJS.ProcessEnv): URL | undefined {
  const proxyUrl = str(cluster['proxy-url']);
  if (proxyUrl) return kubeconfigProxy(proxyUrl, clusterName);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return undefined; // the request reports the bad server address
  }
  return environmentProxy(url, env);
}

// kubectl's flags override the kubeconfig entry field by field (clientcmd's overrides): a flag
// that is set replaces the field; file paths given as flags are relative to the working directory.

function withClusterFlags(cluster: RawEntry, flags: ConnectionFlags): RawEntry {
  if (flags.server) cluster.server = flags.server;
  // --insecure-skip-tls-verify or --certificate-authority replace the entry's CA file, CA data and
  // insecure setting together (so the kubeconfig's CA data cannot win over the flag's file).
  if (flags.insecureSkipTlsVerify || flags.certificateAuthority) {
    cluster['insecure-skip-tls-verify'] = flags.insecureSkipTlsVerify === true;
    delete cluster['certificate-authority-data'];
    if (flags.certificateAuthority) cluster['certificate-authority'] = resolve(flags.certificateAuthority);
    else delete cluster['certificate-authority'];
  }
  // --tls-server-name wins; a --server without it drops the kubeconfig's tls-server-name.
  if (flags.tlsServerName || flags.server) {
    if (flags.tlsServerName) cluster['tls-server-name'] = flags.tlsServerName;
    else delete cluster['tls-server-name'];
  }
  return cluster;
}

function withUserFlags(user: RawEntry, flags: ConnectionFlags): RawEntry {
  if (flags.token) user.token = flags.token;
  if (flags.clientCertificate) user['client-certificate'] = resolve(flags.clientCertificate);
  if (flags.clientKey) user['client-key'] = resolve(flags.clientKey);
  if (flags.username) user.username = flags.username;
  if (flags.password) user.password = flags.password;
  return user;
}

/** The conflicts kubectl refuses in the cluster and user it is about to use (clientcmd's validation, the transport's TLS check). */
function validate(
  cluster: RawEntry,
  clusterName: string,
  user: RawEntry,
  userName: string,
  flags: ConnectionFlags,
): void {
  const fail = (message: string) => {
    throw new ClusterError(
      'Config',
      message,
      'fix the kubeconfig entry or the flags: kubectl refuses this combination too',
    );
  };
  const has = (e: RawEntry, k: string) => str(e[k]) !== '';
  if (has(cluster, 'certificate-authority') && has(cluster, 'certificate-authority-data')) {
    fail(`cluster "${clusterName}" has both certificate-authority and certificate-authority-data`);
  }
  if (
    cluster['insecure-skip-tls-verify'] === true &&
    (has(cluster, 'certificate-authority') || has(cluster, 'certificate-authority-data'))
  ) {
    fail(`cluster "${clusterName}" names a CA certificate and insecure-skip-tls-verify at once`);
  }
  const methods = [
    ...(has(user, 'token') ? ['token'] : []),
    ...(has(user, 'username') || has(user, 'password') ? ['basicAuth'] : []),
  ];
  if (methods.length > 1)
    fail(
      `more than one authentication method found for user "${userName}": ${methods.join(' and ')}; only one is allowed`,
    );
  if (has(user, 'client-certificate') || has(user, 'client-certificate-data')) {
    if (has(user, 'client-certificate') && has(user, 'client-certificate-data'))
      fail(`user "${userName}" has both client-certificate and client-certificate-data`);
    if (has(user, 'client-key') && has(user, 'client-key-data'))
      fail(`user "${userName}" has both client-key and client-key-data`);
    if (!has(user, 'client-key') && !has(user, 'client-key-data'))
      fail(`user "${userName}" has a client certificate but no client-key or client-key-data`);
  }
  const as = flags.as || str(user.as);
  const groups = flags.asGroup?.length ? flags.asGroup : strings(user['as-groups']);
  const uid = flags.asUid || str(user['as-uid']);
  const extra = Object.keys((user['as-user-extra'] as Record<string, unknown> | undefined) ?? {});
  if (!as && (groups.length > 0 || uid || extra.length > 0))
    fail(`impersonation of a uid, groups or extra for user "${userName}" needs a user to impersonate (--as)`);
}

/** An http(s) URL with a host, or a one-line error naming where the value came from. */
function checkServerUrl(server: string, where: string): void {
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || !url.hostname) {
    throw new ClusterError(
      'Config',
      `${where} is ${JSON.stringify(server.length > 60 ? `${server.slice(0, 60)}…` : server)}, not an http:// or https:// URL`,
      'kubectl config view --minify shows the cluster entry in use',
    );
  }
}

/** The kubeconfig files in precedence order; [] when none exists (in-cluster may apply). */
function kubeconfigFiles(flags: ConnectionFlags, env: NodeJS.ProcessEnv): string[] {
  if (flags.kubeconfig) {
    if (!existsSync(flags.kubeconfig))
      throw new ClusterError('Config', `kubeconfig file ${flags.kubeconfig} does not exist`);
    return [flags.kubeconfig];
  }
  if (env.KUBECONFIG) {
    // kubectl skips missing files in the list; the first file to define a name wins.
    const files = [...new Set(env.KUBECONFIG.split(delimiter).filter((f) => f && existsSync(f)))];
    if (files.length === 0)
      throw new ClusterError('Config', `none of the files in KUBECONFIG exist: ${env.KUBECONFIG}`);
    return files;
  }
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : [];
}

function loadFile(file: string): ConfigFile {
  let doc: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    // YAML 1.1, as Go's YAML reader: `yes` and `y` are booleans, `0755` a number. The usual
    // plain block kubeconfig is read by the fast path, anything else by the yaml library.
    const simple = text.trim() === '' ? {} : parseSimpleYaml(text);
    doc = simple !== undefined ? simple : readYaml(text, '1.1');
  } catch (e) {
    throw new ClusterError('Config', `cannot read kubeconfig ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const bad = (what: string) => new ClusterError('Config', `cannot read kubeconfig ${file}: ${what}`);
  if (doc === null || doc === undefined) doc = {};
  if (!isMapping(doc)) throw bad('not a kubeconfig (a mapping is expected)');
  checkTypes(doc, TOP_FIELDS, 'the file', bad);
  const dir = dirname(resolve(file));
  const named = (
    key: 'clusters' | 'users' | 'contexts',
    inner: string,
    fields: FieldTypes,
    absolute: (e: RawEntry) => RawEntry,
  ) => {
    const out = new Map<string, RawEntry>();
    const list = doc[key];
    if (list !== undefined && list !== null && !Array.isArray(list)) throw bad(`"${key}" is not a list`);
    for (const item of (list as unknown[] | null) ?? []) {
      if (!isMapping(item)) throw bad(`an entry of "${key}" is not a mapping`);
      checkTypes(item, { name: 'string' }, `an entry of "${key}"`, bad);
      const name = str(item.name);
      const entry = item[inner] ?? {};
      if (!isMapping(entry)) throw bad(`${inner} "${name}" is not a mapping`);
      checkTypes(entry, fields, `${inner} "${name}"`, bad);
      // Within one file a repeated name is the last one, as in Go's map decoding.
      out.set(name, absolute({ ...entry }));
    }
    return out;
  };
  return {
    clusters: named('clusters', 'cluster', CLUSTER_FIELDS, (c) => withAbsolutePaths(c, ['certificate-authority'], dir)),
    users: named('users', 'user', USER_FIELDS, (u) =>
      absoluteExec(withAbsolutePaths(u, ['client-certificate', 'client-key', 'tokenFile'], dir), dir),
    ),
    contexts: named('contexts', 'context', CONTEXT_FIELDS, (c) => c),
    currentContext: str(doc['current-context']),
  };
}

// The types of the fields this module reads. kubectl refuses a file whose field has another
// type (a quoted "true" for a boolean, an unquoted 0755 or `y` for a string), and so does this.
type FieldTypes = Record<string, 'string' | 'boolean' | 'strings' | 'mapping'>;
const TOP_FIELDS: FieldTypes = { 'current-context': 'string' };
const CLUSTER_FIELDS: FieldTypes = {
  server: 'string',
  'tls-server-name': 'string',
  'certificate-authority': 'string',
  'certificate-authority-data': 'string',
  'insecure-skip-tls-verify': 'boolean',
  'proxy-url': 'string',
};
const USER_FIELDS: FieldTypes = {
  'client-certificate': 'string',
  'client-certificate-data': 'string',
  'client-key': 'string',
  'client-key-data': 'string',
  token: 'string',
  tokenFile: 'string',
  username: 'string',
  password: 'string',
  as: 'string',
  'as-uid': 'string',
  'as-groups': 'strings',
  'as-user-extra': 'mapping',
  exec: 'mapping',
  'auth-provider': 'mapping',
};
const CONTEXT_FIELDS: FieldTypes = { cluster: 'string', user: 'string', namespace: 'string' };

function checkTypes(o: Record<string, unknown>, fields: FieldTypes, where: string, bad: (what: string) => Error): void {
  for (const [key, type] of Object.entries(fields)) {
    const v = o[key];
    if (v === undefined || v === null) continue;
    const ok =
      type === 'strings'
        ? Array.isArray(v) && v.every((x) => typeof x === 'string')
        : type === 'mapping'
          ? isMapping(v)
          : typeof v === type;
    if (!ok)
      throw bad(
        `"${key}" of ${where} must be ${type === 'strings' ? 'a list of strings' : type === 'mapping' ? 'a mapping' : `a ${type}`}`,
      );
  }
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** kubectl's merge: the first file to define a name, or to set current-context, wins. */
function merge(files: ConfigFile[]): ConfigFile {
  const out: ConfigFile = { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: '' };
  for (const f of files) {
    for (const key of ['clusters', 'users', 'contexts'] as const) {
      for (const [name, entry] of f[key]) if (!out[key].has(name)) out[key].set(name, entry);
    }
    out.currentContext ||= f.currentContext;
  }
  return out;
}

function withAbsolutePaths(entry: RawEntry, keys: string[], dir: string): RawEntry {
  for (const k of keys) {
    const v = str(entry[k]);
    if (v && !isAbsolute(v)) entry[k] = join(dir, v);
  }
  return entry;
}

// An exec command with a path separator is relative to the kubeconfig; a bare name is looked up on PATH.
function absoluteExec(user: RawEntry, dir: string): RawEntry {
  const exec = user.exec as RawEntry | undefined;
  const command = str(exec?.command);
  if (exec && command.includes(sep) && !isAbsolute(command)) user.exec = { ...exec, command: join(dir, command) };
  return user;
}

/** Bearer token (a readable token file wins over an inline token, as in client-go) or basic auth. */
function credentialHeaders(user: RawEntry, server: string): Record<string, string> {
  // client-go sends user credentials only over TLS.
  if (!server.startsWith('https:')) return {};
  const headers: Record<string, string> = {};
  const tokenFile = str(user.tokenFile);
  let token = str(user.token);
  if (tokenFile) {
    try {
      token = readFileSync(tokenFile, 'utf8').trim() || token;
    } catch (e) {
      if (!token) throw new ClusterError('Config', `cannot read the token file ${tokenFile}: ${(e as Error).message}`);
    }
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (str(user.username) || str(user.password)) {
    headers.Authorization = `Basic ${Buffer.from(`${str(user.username)}:${str(user.password)}`).toString('base64')}`;
  }
  return headers;
}

/** Impersonation: --as / --as-group / --as-uid, else the kubeconfig user's as / as-groups / as-uid / as-user-extra. */
function impersonation(user: RawEntry, flags: ConnectionFlags): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  const as = flags.as || str(user.as);
  if (!as) return headers;
  headers['Impersonate-User'] = as;
  const groups = flags.asGroup?.length ? flags.asGroup : strings(user['as-groups']);
  if (groups.length) headers['Impersonate-Group'] = groups;
  const uid = flags.asUid || str(user['as-uid']);
  if (uid) headers['Impersonate-Uid'] = uid;
  for (const [k, v] of Object.entries((user['as-user-extra'] as Record<string, unknown> | undefined) ?? {})) {
    headers[`Impersonate-Extra-${encodeURIComponent(k)}`] = strings(v);
  }
  return headers;
}

function tlsSettings(cluster: RawEntry, user: RawEntry, server: string, env: NodeJS.ProcessEnv): TlsSettings {
  const insecure = cluster['insecure-skip-tls-verify'] === true;
  const tls: TlsSettings = { rejectUnauthorized: !insecure };
  if (!server.startsWith('https:')) return tls;
  // No CA named: kubectl trusts the system's roots (system-roots.ts), not the runtime's own.
  tls.ca =
    fileOrData(cluster, 'certificate-authority', 'certificate-authority-data') ??
    (insecure ? undefined : systemRoots(env));
  tls.servername = str(cluster['tls-server-name']) || undefined;
  tls.cert = fileOrData(user, 'client-certificate', 'client-certificate-data');
  tls.key = fileOrData(user, 'client-key', 'client-key-data');
  return tls;
}

/** The bytes of a `<name>` file or an inline base64 `<name>-data`, as kubeconfig allows. */
function fileOrData(entry: RawEntry, fileKey: string, dataKey: string): Buffer | undefined {
  const file = str(entry[fileKey]);
  if (file) {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new ClusterError('Config', `cannot read ${fileKey} ${file}: ${(e as Error).message}`);
    }
  }
  const data = str(entry[dataKey]);
  return data ? Buffer.from(data, 'base64') : undefined;
}

/**
 * client-go's in-cluster configuration: https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT, the
 * service account token (re-read while the command runs, as the kubelet rotates it) and CA from
 * the mounted directory, the pod's namespace as the default one. --token, --insecure-skip-tls-verify,
 * --certificate-authority, --tls-server-name and impersonation flags apply on top, as in kubectl.
 */
function inClusterConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  dir: string,
): Connection {
  const host = env.KUBERNETES_SERVICE_HOST!;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`;
  checkServerUrl(server, 'KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT');
  let namespace = flags.namespace;
  if (!namespace) {
    try {
      namespace = readFileSync(join(dir, 'namespace'), 'utf8').trim() || undefined;
    } catch {
      namespace = undefined;
    }
  }
  const tokenFile = flags.token ? undefined : join(dir, 'token');
  let token = flags.token ?? '';
  if (tokenFile) {
    try {
      token = tokenFromFile(tokenFile);
    } catch (e) {
      throw new ClusterError('Config', `cannot read the service account token ${tokenFile}: ${(e as Error).message}`);
    }
  }
  const caFile = flags.certificateAuthority ? resolve(flags.certificateAuthority) : join(dir, 'ca.crt');
  const cluster: RawEntry = flags.insecureSkipTlsVerify
    ? { 'insecure-skip-tls-verify': true }
    : { 'certificate-authority': caFile };
  if (flags.tlsServerName) cluster['tls-server-name'] = flags.tlsServerName;
  return {
    contextName: 'in-cluster',
    server,
    namespace: namespace ?? 'default',
    headers: { ...credentialHeaders({ token }, server), ...impersonation({}, flags) },
    tls: tlsSettings(cluster, {}, server, env),
    timeoutMs,
    proxy: environmentProxy(new URL(server), env),
    ...(tokenFile ? { tokenFile } : {}),
  };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(str) : v === undefined || v === null ? [] : [str(v)];
}

/**
 * kubectl's --request-timeout: "0" or empty = none, a whole number = seconds, else a Go duration
 * (1s, 1m30s, 1.5h) through the tool's one duration parser; negative values are refused, as kubectl does.
 */
export function parseRequestTimeout(v: string | undefined): number {
  if (v === undefined || v === '' || v === '0') return 0;
  const invalid = () =>
    new UsageError(
      `invalid --request-timeout ${JSON.stringify(v)}: a whole number of seconds, or a number with a unit (e.g. 1s, 2m, 3h, 1m30s)`,
    );
  if (/^\+?\d+$/.test(v)) return Number(v) * 1000;
  let ms: number;
  try {
    ms = parseGoDuration(v);
  } catch {
    throw invalid();
  }
  if (ms < 0) throw invalid();
  return ms;
}

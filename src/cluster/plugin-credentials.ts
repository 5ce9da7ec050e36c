// Credentials that only a program can produce: a kubeconfig user with an exec plugin or an
// auth provider. The client library runs it (caching, interactive modes, provider-specific
// token refresh); this module is loaded only for such users, on the first request.
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from '../errors.js';
import type { Connection, RawEntry } from './kubeconfig.js';

/** What the plugin adds to requests: an Authorization header, or a client certificate and key. */
export interface PluginCredentials {
  headers: Record<string, string>;
  cert?: Buffer;
  key?: Buffer;
}

/** Runs the user's exec plugin or auth provider once and returns what it yields. */
export async function pluginCredentials(
  conn: Connection,
  plugin: { cluster: RawEntry; user: RawEntry },
): Promise<PluginCredentials> {
  const kc = new KubeConfig();
  // The entries are handed over in kubeconfig form, so the library reads them as from a file.
  kc.loadFromString(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: plugin.cluster }],
      users: [{ name: 'u', user: plugin.user }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  const opts: { headers?: Record<string, string>; cert?: Buffer | string; key?: Buffer | string } = { headers: {} };
  try {
    await kc.applyToHTTPSOptions(opts);
  } catch (e) {
    throw new ClusterError(
      'Unauthorized',
      `cannot get credentials for context "${conn.contextName}": ${(e as Error).message}`,
      'check the exec credential plugin or auth provider in your kubeconfig, e.g. run `kubectl get ns` once',
    );
  }
  const headers: Record<string, string> = {};
  const authorization = opts.headers?.Authorization ?? opts.headers?.authorization;
  if (authorization) headers.Authorization = authorization;
  const buf = (v: Buffer | string | undefined) =>
    v === undefined ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(v);
  return { headers, cert: buf(opts.cert), key: buf(opts.key) };
}

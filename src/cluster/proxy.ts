// Which proxy, if any, carries the requests to the API server, as kubectl decides it:
//   1. the kubeconfig cluster's proxy-url (http, https or socks5), for every server address;
//   2. else the environment, as Go's net/http reads it: HTTPS_PROXY (or https_proxy) for an
//      https:// server, HTTP_PROXY (or http_proxy) for http://; never for localhost or a
//      loopback address; not for a host NO_PROXY (or no_proxy) names: "*", a domain (and its
//      subdomains; with a leading dot, only its subdomains), an IP address or a CIDR range,
//      each optionally with a port. A proxy given without a scheme is http://.
import { isIP } from 'node:net';
import { BlockList } from 'node:net';
import { ClusterError } from '../errors.js';

const SCHEMES = new Set(['http:', 'https:', 'socks5:']);

/** The proxy-url of a kubeconfig cluster, checked as kubectl checks it. */
export function kubeconfigProxy(proxyUrl: string, clusterName: string): URL {
  let u: URL;
  try {
    u = new URL(proxyUrl);
  } catch {
    throw new ClusterError('Config', `proxy-url "${proxyUrl}" of cluster "${clusterName}" is not a URL`);
  }
  if (!SCHEMES.has(u.protocol)) {
    throw new ClusterError(
      'Config',
      `proxy-url "${proxyUrl}" of cluster "${clusterName}" has scheme "${u.protocol.slice(0, -1)}": it must be http, https or socks5`,
    );
  }
  return u;
}

/** The proxy the environment names for this server URL, or undefined for a direct connection. */
export function environmentProxy(server: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const raw = server.protocol === 'https:' ? env.HTTPS_PROXY || env.https_proxy : env.HTTP_PROXY || env.http_proxy;
  if (!raw) return undefined;
  const host = server.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || isLoopback(host)) return undefined;
  const port = server.port || (server.protocol === 'https:' ? '443' : '80');
  if (noProxyMatches(env.NO_PROXY || env.no_proxy || '', host, port)) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
    if (!SCHEMES.has(u.protocol)) u = new URL(`http://${raw}`);
  } catch {
    try {
      u = new URL(`http://${raw}`);
    } catch {
      throw new ClusterError(
        'Config',
        `invalid proxy address "${raw}" in the environment (${server.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY'})`,
      );
    }
  }
  return u;
}

function isLoopback(host: string): boolean {
  const v = isIP(host);
  if (v === 4) return host.startsWith('127.');
  if (v === 6) {
    const list = new BlockList();
    list.addAddress('::1', 'ipv6');
    list.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
    return list.check(host, 'ipv6');
  }
  return false;
}

/** Whether a NO_PROXY list exempts host:port. */
export function noProxyMatches(noProxy: string, host: string, port: string): boolean {
  for (let entry of noProxy.split(',')) {
    entry = entry.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    // CIDR ranges and bare IP addresses
    if (entry.includes('/')) {
      const [net, bits] = entry.split('/');
      const family = isIP(net!);
      if (family && isIP(host) === family) {
        const list = new BlockList();
        list.addSubnet(net!, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
        if (list.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true;
      }
      continue;
    }
    let entryHost = entry;
    let entryPort = '';
    const v6 = /^\[(.*)\](?::(\d+))?$/.exec(entry);
    if (v6) {
      entryHost = v6[1]!;
      entryPort = v6[2] ?? '';
    } else if (!isIP(entry)) {
      const colon = entry.lastIndexOf(':');
      if (colon >= 0 && /^\d+$/.test(entry.slice(colon + 1))) {
        entryHost = entry.slice(0, colon);
        entryPort = entry.slice(colon + 1);
      }
    }
    if (entryPort && entryPort !== port) continue;
    if (isIP(entryHost)) {
      if (entryHost === host) return true;
      continue;
    }
    if (entryHost.startsWith('*.')) entryHost = entryHost.slice(1);
    if (entryHost.startsWith('.')) {
      if (host.endsWith(entryHost)) return true;
    } else if (host === entryHost || host.endsWith(`.${entryHost}`)) {
      return true;
    }
  }
  return false;
}

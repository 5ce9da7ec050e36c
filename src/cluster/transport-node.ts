// Requests under Node: node:http(s) with one keep-alive agent per connection.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Transport, WireRequest, WireResponse } from './wire.js';
import type { TlsSettings } from './kubeconfig.js';

/**
 * A transport over node:https (node:http for an http:// server) with the connection's TLS
 * settings, directly or through a proxy: an http(s) proxy by CONNECT (hpagent), a SOCKS5 proxy
 * that resolves the server's name itself, as Go's does (socks-proxy-agent). The proxy libraries
 * load only when a proxy is used.
 */
export async function nodeTransport(tls: TlsSettings, plain: boolean, proxy?: URL): Promise<Transport> {
  const pool = { keepAlive: true, maxSockets: 16 };
  let agent: http.Agent;
  if (proxy?.protocol === 'socks5:') {
    const { SocksProxyAgent } = await import('socks-proxy-agent');
    const socks = new URL(proxy.href.replace(/^socks5:/, 'socks5h:'));
    agent = new SocksProxyAgent(socks, { ...pool, ...(plain ? {} : tls) }) as unknown as http.Agent;
  } else if (proxy) {
    const { HttpProxyAgent, HttpsProxyAgent } = await import('hpagent');
    agent = plain ? new HttpProxyAgent({ ...pool, proxy }) : new HttpsProxyAgent({ ...tls, ...pool, proxy });
  } else if (plain) {
    agent = new http.Agent(pool);
  } else {
    // Every connection of the agent would otherwise build its own TLS context from the same CA,
    // certificate and key (parsing the PEMs each time: the whole system bundle when the
    // kubeconfig names no CA); one context is built on the first request and shared.
    agent = new https.Agent({ ...tls, ...pool });
    let context: SecureContext | undefined;
    const { ca, cert, key, ...rest } = tls;
    return {
      send: (req) =>
        send(agent, () => ({ ...rest, secureContext: (context ??= createSecureContext({ ca, cert, key })) }), req),
      close: () => agent.destroy(),
    };
  }
  return {
    send: (req) => send(agent, () => (plain ? {} : tls), req),
    close: () => agent.destroy(),
  };
}

function send(agent: http.Agent, tls: () => https.RequestOptions, req: WireRequest): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const mod = req.url.protocol === 'http:' ? http : https;
    // tls() runs here so that a certificate or key it cannot read rejects like a connection error.
    const r = mod.request(req.url, { ...tls(), agent, method: req.method, headers: req.headers }, (res) =>
      resolve(wrap(res)),
    );
    if (req.timeoutMs > 0) {
      r.setTimeout(req.timeoutMs, () =>
        r.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })),
      );
    }
    r.on('error', reject);
    if (req.payload !== undefined) r.write(req.payload);
    r.end();
  });
}

function wrap(res: http.IncomingMessage): WireResponse {
  return {
    status: res.statusCode ?? 0,
    header: (name) => {
      const v = res.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    },
    text: () => readAll(res),
    stream: async (): Promise<Readable> => res,
  };
}

function readAll(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

// Requests under Node: node:http(s) with one keep-alive agent per connection.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { Transport, WireRequest, WireResponse } from './http.js';
import type { TlsSettings } from './kubeconfig.js';

/** A transport over node:https (node:http for an http:// server) with the connection's TLS settings. */
export function nodeTransport(tls: TlsSettings, plain: boolean): Transport {
  const agent = plain ? new http.Agent({ keepAlive: true, maxSockets: 16 }) : new https.Agent({ ...tls, keepAlive: true, maxSockets: 16 });
  return {
    send: (req) => send(agent, plain ? {} : tls, req),
    close: () => agent.destroy(),
  };
}

function send(agent: http.Agent, tls: https.RequestOptions, req: WireRequest): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const mod = req.url.protocol === 'http:' ? http : https;
    const r = mod.request(req.url, { ...tls, agent, method: req.method, headers: req.headers }, (res) => resolve(wrap(res)));
    if (req.timeoutMs > 0) {
      r.setTimeout(req.timeoutMs, () => r.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
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

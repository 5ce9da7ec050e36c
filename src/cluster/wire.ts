// What http.ts hands a transport and gets back (transport-node.ts under Node, transport-fetch.ts
// under Bun), in a module of its own so neither transport imports http.ts, which loads them.
import type { Readable } from 'node:stream';

/** What a transport needs to send one request: everything is resolved already. */
export interface WireRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[]>;
  payload?: string;
  timeoutMs: number;
}

/** A response whose body has not been read yet. */
export interface WireResponse {
  status: number;
  header(name: string): string | undefined;
  text(): Promise<string>;
  stream(): Promise<Readable>;
}

/** Sends requests over one connection's credentials and TLS settings; rejects with the socket's error. */
export interface Transport {
  send(req: WireRequest): Promise<WireResponse>;
  close(): void;
}

// A bearer token read from a file that another process rotates: the projected service account
// token of a pod, which the kubelet rewrites before it expires (bound tokens live an hour by
// default). Like client-go's cached file token source, the file is read again when the last read
// is a minute old, and a failed re-read keeps the last token rather than failing the request.
import { readFileSync } from 'node:fs';

/** How long a token read from its file is used before the file is read again. */
export const TOKEN_FILE_TTL_MS = 60_000;

interface Cached {
  token: string;
  readAt: number;
}

const cache = new Map<string, Cached>();

/** The token in `file` (trimmed), read at most once per TOKEN_FILE_TTL_MS; throws only when no token was ever read. */
export function tokenFromFile(file: string, nowMs: number = Date.now()): string {
  const hit = cache.get(file);
  if (hit && nowMs - hit.readAt < TOKEN_FILE_TTL_MS && nowMs >= hit.readAt) return hit.token;
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (!token) throw new Error('the file is empty');
    cache.set(file, { token, readAt: nowMs });
    return token;
  } catch (e) {
    if (hit) return hit.token;
    throw e;
  }
}

/** Forgets every cached token (tests). */
export function clearTokenCache(): void {
  cache.clear();
}

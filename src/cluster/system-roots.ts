// The certificate authorities kubectl trusts when a kubeconfig names none: on Linux, Go's
// crypto/x509 reads $SSL_CERT_FILE or the first of the distributions' bundle files, plus every
// file in $SSL_CERT_DIR (colon-separated) or /etc/ssl/certs and /etc/pki/tls/certs, skipping
// symlinks that point within their own directory (the hashed names). Node.js and Bun would use
// their own bundled roots instead, which lack what an organisation adds to the system store.
// Elsewhere (macOS, Windows: Go asks the platform's verifier) the runtime's roots are used.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

const CERT_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];
const CERT_DIRS = ['/etc/ssl/certs', '/etc/pki/tls/certs'];

/** The system's CA certificates as PEM, as Go loads them on Linux; undefined elsewhere or when none is found. */
export function systemRoots(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Buffer | undefined {
  if (platform !== 'linux') return undefined;
  const pems: string[] = [];
  for (const file of env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : CERT_FILES) {
    const text = read(file);
    if (text !== undefined) {
      pems.push(...certificates(text));
      break;
    }
  }
  for (const dir of env.SSL_CERT_DIR ? env.SSL_CERT_DIR.split(':') : CERT_DIRS) {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isSymbolicLink() && !readlinkSafe(join(dir, e.name)).includes('/')) continue;
      const text = read(join(dir, e.name));
      if (text !== undefined) pems.push(...certificates(text));
    }
  }
  return pems.length ? Buffer.from([...new Set(pems)].join('\n')) : undefined;
}

/** The CERTIFICATE blocks of a PEM text (what Go's AppendCertsFromPEM takes; other blocks are skipped). */
function certificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END CERTIFICATE-----/g) ?? [];
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
}

function readlinkSafe(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '/';
  }
}

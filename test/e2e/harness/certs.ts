// Certificates for the e2e control plane, made with the openssl CLI (EC P-256: fast).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';

const run = promisify(execFile);

const CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1
[node]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
`;

/** PEM file paths of one key pair and its certificate. */
export interface CertFiles {
  cert: string;
  key: string;
}

/** Escapes a value for openssl's -subj syntax (/CN=a/O=b). */
function rdn(value: string): string {
  return value.replace(/[\\/+=,]/g, (c) => `\\${c}`);
}

/** A certificate authority in `dir` that signs client and serving certificates. */
export class CertAuthority {
  readonly cert: string;
  readonly key: string;
  private readonly config: string;

  private constructor(readonly dir: string) {
    this.cert = join(dir, 'ca.crt');
    this.key = join(dir, 'ca.key');
    this.config = join(dir, 'openssl.cnf');
  }

  /** Creates a new self-signed CA in `dir`. */
  static async create(dir: string): Promise<CertAuthority> {
    const ca = new CertAuthority(dir);
    await writeFile(ca.config, CONFIG);
    await ca.openssl('ca', ca.key, ca.cert, '/CN=kubectl-job-e2e-ca', []);
    return ca;
  }

  /** Issues a client certificate for `user` in `groups` (file names from `name`). */
  async client(name: string, user: string, groups: string[] = []): Promise<CertFiles> {
    const subj = `/CN=${rdn(user)}${groups.map((g) => `/O=${rdn(g)}`).join('')}`;
    return this.issue(name, 'client', subj);
  }

  /** Issues a serving certificate valid for 127.0.0.1 and localhost. */
  async server(name: string, commonName: string): Promise<CertFiles> {
    return this.issue(name, 'server', `/CN=${rdn(commonName)}`);
  }

  /** Issues a kubelet serving certificate for `host` and the node's addresses (plus 127.0.0.1). */
  async nodeServer(name: string, commonName: string, host: string, ips: string[]): Promise<CertFiles> {
    const san = [`DNS:${host}`, 'DNS:localhost', 'IP:127.0.0.1', ...ips.map((ip) => `IP:${ip}`)].join(',');
    return this.issue(name, 'node', `/CN=${rdn(commonName)}`, ['-addext', `subjectAltName=${san}`]);
  }

  private async issue(name: string, ext: string, subj: string, extra: string[] = []): Promise<CertFiles> {
    const files = { cert: join(this.dir, `${name}.crt`), key: join(this.dir, `${name}.key`) };
    await this.openssl(ext, files.key, files.cert, subj, ['-CA', this.cert, '-CAkey', this.key, ...extra]);
    return files;
  }

  private async openssl(ext: string, key: string, cert: string, subj: string, extra: string[]) {
    const serial = `0x${randomBytes(12).toString('hex')}`;
    await run('openssl', [
      'req',
      '-x509',
      '-config',
      this.config,
      '-extensions',
      ext,
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-noenc',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '7',
      '-set_serial',
      serial,
      '-subj',
      subj,
      ...extra,
    ]);
  }
}

/** Where a kubeconfig points and the client certificate it authenticates with. */
export interface KubeconfigSpec {
  server: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  user?: string;
}

/** Writes a self-contained kubeconfig (certificates embedded) to `path`. */
export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<string> {
  const b64 = async (f: string) => (await readFile(f)).toString('base64');
  const user = { 'client-certificate-data': await b64(spec.certFile), 'client-key-data': await b64(spec.keyFile) };
  const name = spec.user ?? 'e2e';
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'e2e', cluster: { server: spec.server, 'certificate-authority-data': await b64(spec.caFile) } }],
    users: [{ name, user }],
    contexts: [{ name: 'e2e', context: { cluster: 'e2e', user: name } }],
    'current-context': 'e2e',
  };
  await writeFile(path, stringify(doc), { mode: 0o600 });
  return path;
}

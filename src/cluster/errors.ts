// Turns API failures into ClusterErrors a person can act on: what was asked, what the
// server said, and the next command to run. Never the raw response dump.
import { ClusterError, type ClusterErrorKind } from '../errors.js';
import type { Connection } from './kubeconfig.js';

/** What a request was for, used in messages. */
export interface RequestWhat {
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
}

interface StatusBody {
  kind?: string;
  reason?: string;
  message?: string;
  details?: { causes?: Array<{ field?: string; message?: string; reason?: string }>; retryAfterSeconds?: number };
}

/** "get cronjobs/backup in namespace prod" */
export function describeResource(w: RequestWhat): string {
  const obj = w.name ? `${w.resource}/${w.name}` : w.resource;
  const where = w.namespace ? ` in namespace ${w.namespace}` : w.verb === 'list' ? ' in all namespaces' : '';
  return `${w.verb} ${obj}${where}`;
}

/** Maps an HTTP error status and its Status body to a ClusterError (which records the request). */
export function errorFromStatus(code: number, text: string, w: RequestWhat, conn: Connection): ClusterError {
  const e = statusError(code, text, w, conn);
  e.request = { verb: w.verb, resource: w.resource, ...(w.namespace ? { namespace: w.namespace } : {}) };
  return e;
}

function statusError(code: number, text: string, w: RequestWhat, conn: Connection): ClusterError {
  let st: StatusBody = {};
  try {
    st = JSON.parse(text) as StatusBody;
  } catch {
    st = { message: text.trim().slice(0, 300) };
  }
  const msg = st.message || `HTTP ${code}`;
  const ns = w.namespace ? ` -n ${w.namespace}` : ' -A';
  const kind = kindFor(code, st.reason);
  switch (kind) {
    case 'NotFound': {
      const singular = w.resource.replace(/s$/, '');
      if (w.name) {
        return new ClusterError(
          kind,
          `${singular} "${w.name}" not found${w.namespace ? ` in namespace "${w.namespace}"` : ''} (context "${conn.contextName}")`,
          `kubectl get ${w.resource}${ns} lists what exists`,
          code,
        );
      }
      return new ClusterError(
        kind,
        `the server does not serve ${w.resource} (${msg})`,
        'batch/v1 CronJobs need Kubernetes 1.21 or newer',
        code,
      );
    }
    case 'Forbidden':
      return new ClusterError(
        kind,
        `forbidden: you cannot ${w.verb} ${w.resource}${w.namespace ? ` in namespace "${w.namespace}"` : ' at cluster scope'}: ${msg}`,
        `check with: kubectl auth can-i ${w.verb} ${w.resource}${ns}`,
        code,
      );
    case 'Unauthorized':
      return new ClusterError(
        kind,
        `unauthorized: the server at ${conn.server} rejected the credentials of context "${conn.contextName}"`,
        'the token or certificate may have expired; try `kubectl get ns` to refresh it',
        code,
      );
    case 'Invalid': {
      const causes = (st.details?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? c.reason ?? ''}`.trim());
      const err = new ClusterError(
        kind,
        `invalid request to ${describeResource(w)}: ${msg}${causes.length ? `\n  ${causes.join('\n  ')}` : ''}`,
        undefined,
        code,
      );
      // The server's own field errors, for callers that report them one by one (why -f --validate=server).
      err.causes = (st.details?.causes ?? []).map((c) => ({
        field: c.field ?? '',
        message: c.message ?? c.reason ?? '',
      }));
      return err;
    }
    case 'Conflict':
      return new ClusterError(
        kind,
        `conflict: ${msg}`,
        'the object changed since it was read; nothing was changed — run the command again',
        code,
      );
    case 'AlreadyExists':
      return new ClusterError(kind, `already exists: ${msg}`, 'choose another name with --name', code);
    case 'TooManyRequests':
      return new ClusterError(
        kind,
        `the server is throttling requests (${describeResource(w)}): ${msg}`,
        'retry in a moment',
        code,
      );
    case 'Timeout':
      return new ClusterError(
        kind,
        `the server timed out on ${describeResource(w)}: ${msg}`,
        'retry, or raise --request-timeout',
        code,
      );
    default:
      return new ClusterError(
        kind,
        `the server failed to ${describeResource(w)}: ${msg} (HTTP ${code})`,
        undefined,
        code,
      );
  }
}

function kindFor(code: number, reason?: string): ClusterErrorKind {
  if (reason === 'AlreadyExists') return 'AlreadyExists';
  if (reason === 'Invalid' || code === 422) return 'Invalid';
  if (code === 404) return 'NotFound';
  if (code === 403) return 'Forbidden';
  if (code === 401) return 'Unauthorized';
  if (code === 409) return 'Conflict';
  if (code === 429) return 'TooManyRequests';
  if (code === 504 || reason === 'Timeout') return 'Timeout';
  return 'ServerError';
}

/** Maps a socket/TLS failure to a ClusterError naming the server URL. */
export function errorFromNetwork(e: NodeJS.ErrnoException, conn: Connection, w: RequestWhat): ClusterError {
  const code = e.code ?? '';
  if (code === 'ETIMEDOUT') {
    return new ClusterError(
      'Timeout',
      `timed out talking to ${conn.server} (${describeResource(w)})`,
      'is the cluster up? raise --request-timeout if it is slow',
    );
  }
  if (/^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ECONNRESET|EAI_AGAIN|EPIPE)$/.test(code)) {
    return new ClusterError(
      'Unreachable',
      `cannot reach the API server at ${conn.server} (context "${conn.contextName}"): ${code}`,
      'is the cluster running and the context right? kubectl config current-context shows it',
    );
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code) || /certificate/i.test(e.message)) {
    return new ClusterError(
      'Unreachable',
      `TLS failure talking to ${conn.server}: ${e.message}`,
      'check certificate-authority in the kubeconfig',
    );
  }
  return new ClusterError('Unreachable', `request to ${conn.server} failed: ${e.message}`);
}

// Asks the API server who the tool is, through its own kubeconfig resolution and transport:
// argv[2] is the ConnectionFlags as JSON, the environment is the one to resolve in. Prints the
// SelfSubjectReview's userInfo as JSON, or {"error": "..."}. Run by kubeconfig.test.ts under
// Node (node:https transport) and under Bun (fetch transport, as in the executable).
import { apiRequest, closeConnection } from '../../../src/cluster/http.js';
import { resolveConnection, type Connection } from '../../../src/cluster/kubeconfig.js';

const flags = JSON.parse(process.argv[2] ?? '{}');
let conn: Connection | undefined;
try {
  conn = resolveConnection(flags, process.env);
  const review = await apiRequest<{ status?: { userInfo?: unknown } }>(conn, {
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    what: { verb: 'create', resource: 'selfsubjectreviews' },
  });
  process.stdout.write(JSON.stringify(review.status?.userInfo ?? {}));
} catch (e) {
  process.stdout.write(JSON.stringify({ error: (e as Error).message }));
} finally {
  if (conn) await closeConnection(conn);
}

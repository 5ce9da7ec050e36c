// Opens the source a command reads from. Each kind of source is loaded only when used, so
// offline commands (snapshots, --schedule) read no kubeconfig and load no HTTP code.
import type { ConnectionFlags, Connection } from './kubeconfig.js';
import type { ClusterSource } from './source.js';

/** Flags that pick where to read from. */
export interface SourceFlags extends ConnectionFlags {
  snapshot?: string;
}

/** A live cluster (kubeconfig/context/namespace as kubectl resolves them) or a snapshot file. */
export async function openSource(flags: SourceFlags, env: NodeJS.ProcessEnv = process.env): Promise<ClusterSource> {
  if (flags.snapshot) {
    const { SnapshotSource } = await import('./snapshot-file.js');
    return new SnapshotSource(flags.snapshot, flags.namespace ?? 'default', Boolean(flags.namespace));
  }
  const conn = await openConnection(flags, env);
  const { LiveSource } = await import('./live.js');
  return new LiveSource(conn, conn.namespace, Boolean(flags.namespace));
}

/** The context names of the merged kubeconfig, sorted (for --all-contexts). */
export async function contextNames(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const { kubeconfigContexts } = await import('./kubeconfig.js');
  return kubeconfigContexts(flags, env);
}

/** Resolves the kubeconfig into a connection (for commands that write). */
export async function openConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Connection> {
  const { resolveConnection } = await import('./kubeconfig.js');
  return resolveConnection(flags, env);
}

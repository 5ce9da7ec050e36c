// Shapes shared by the plans of the commands that change the cluster (trigger, suspend,
// unsuspend, clean). A plan is pure data: the cluster layer executes it, explain words it.

/** How a write is carried out: for real, printed only (`client`), or checked by the server without persisting (`server`). */
export type DryRun = 'none' | 'client' | 'server';

/** The dry-run strategies a flag may name, as kubectl spells them. */
export const DRY_RUN_VALUES: readonly DryRun[] = ['none', 'client', 'server'];

/** A namespaced object name, e.g. for reports. */
export interface ObjectName {
  namespace: string;
  name: string;
}

/** `namespace/name` for messages and keys. */
export function qualified(o: ObjectName): string {
  return `${o.namespace}/${o.name}`;
}

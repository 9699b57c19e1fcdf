/**
 * What the console needs to know across kinds: a server's classes, its binding, the cluster and role it
 * serves (or is reserved for), and whether an object is valid. Lookups are by key in the store's memory;
 * the one derived index (classes by server) is rebuilt only when a ServerClass changes.
 */
import {
  annotations,
  CLUSTER_NAME_LABEL,
  validateResource,
  type Machine,
  type MetalMachine,
  type Resource,
  type Server,
  type ServerBinding,
  type ServerClass,
} from '../../api/index.js';
import type { Store } from '../../store/index.js';

export const CONTROL_PLANE_LABEL = 'cluster.x-k8s.io/control-plane';

export type Role = 'controlplane' | 'worker';

export interface Placement {
  cluster?: string;
  role?: Role;
  /** Reserved by the operator, not (yet) bound. */
  reserved: boolean;
}

const keyOf = (obj: Resource) => `${obj.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;

export class Relations {
  private classes: Map<string, string[]> | undefined;
  private readonly validity = new Map<string, { rv: string | undefined; problem: string | undefined }>();
  private queue: Resource[] = [];
  private defer = false;

  constructor(readonly store: Store) {}

  /** A ServerClass changed: the membership index is rebuilt on next use. */
  classesChanged(): void {
    this.classes = undefined;
  }

  classesOf(server: string): string[] {
    if (!this.classes) this.classes = this.buildClasses();
    return this.classes.get(server) ?? [];
  }

  bindingOf(server: string): ServerBinding | undefined {
    return this.store.get<ServerBinding>('ServerBinding', server);
  }

  machineOfBinding(b: ServerBinding): Machine | undefined {
    const ref = b.spec?.metalMachineRef;
    if (!ref?.name) return undefined;
    const mm = this.store.get<MetalMachine>('MetalMachine', ref.name, ref.namespace ?? 'default');
    const owner = mm?.metadata.ownerReferences?.find((o) => o.kind === 'Machine');
    return owner ? this.store.get<Machine>('Machine', owner.name, mm!.metadata.namespace) : undefined;
  }

  placementOf(s: Server): Placement {
    const b = this.bindingOf(s.metadata.name);
    if (b) {
      const m = this.machineOfBinding(b);
      const cluster = b.metadata.labels?.[CLUSTER_NAME_LABEL] ?? m?.spec?.clusterName;
      const role: Role | undefined = m ? (m.metadata.labels?.[CONTROL_PLANE_LABEL] !== undefined ? 'controlplane' : 'worker') : undefined;
      return { ...(cluster ? { cluster } : {}), ...(role ? { role } : {}), reserved: false };
    }
    const cluster = s.metadata.labels?.[annotations.CLUSTER_LABEL];
    const role = s.metadata.labels?.[annotations.ROLE_LABEL];
    if (!cluster) return { reserved: false };
    return { cluster, ...(role === 'controlplane' || role === 'worker' ? { role } : {}), reserved: true };
  }

  /**
   * Why an object is invalid, or undefined; checked once per resourceVersion. While `defer` is on (the
   * first paint of a big store), objects are queued and checked afterwards in slices (see drainChecks).
   */
  problemOf(obj: Resource): string | undefined {
    const key = keyOf(obj);
    const rv = obj.metadata?.resourceVersion;
    const hit = this.validity.get(key);
    if (hit && hit.rv === rv && rv !== undefined) return hit.problem;
    if (this.defer) {
      this.queue.push(obj);
      return undefined;
    }
    return this.check(key, obj);
  }

  /** Queue checks instead of running them (on), or run them as asked again (off). */
  deferChecks(on: boolean): void {
    this.defer = on;
  }

  /**
   * Check queued objects for up to `budgetMs`; `found` hears of each invalid one (so its row is redrawn).
   * Returns whether more are queued.
   */
  drainChecks(budgetMs: number, found: (obj: Resource) => void): boolean {
    const end = performance.now() + budgetMs;
    while (this.queue.length && performance.now() < end) {
      const obj = this.queue.shift()!;
      if (this.check(keyOf(obj), obj)) found(obj);
    }
    return this.queue.length > 0;
  }

  private check(key: string, obj: Resource): string | undefined {
    let problem: string | undefined;
    try {
      const r = validateResource(obj);
      problem = r.ok ? undefined : r.errors.slice(0, 2).map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ');
    } catch (e) {
      problem = (e as Error).message;
    }
    this.validity.set(key, { rv: obj.metadata?.resourceVersion, problem });
    return problem;
  }

  forget(obj: Resource): void {
    this.validity.delete(keyOf(obj));
  }

  private buildClasses(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const c of this.store.list<ServerClass>('ServerClass')) {
      for (const s of [...(c.status?.serversInUse ?? []), ...(c.status?.serversAvailable ?? [])]) {
        const list = out.get(s) ?? [];
        if (!list.includes(c.metadata.name)) list.push(c.metadata.name);
        out.set(s, list);
      }
    }
    return out;
  }
}

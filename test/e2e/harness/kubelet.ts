// The kubelet stand-in: registers a Ready Node, binds pending pods to it (there is no
// scheduler), plays them per their script annotation (kubelet-script.ts), handles their
// deletion like a kubelet, and serves their logs to the apiserver (kubelet-logs.ts).
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import type https from 'node:https';
import { ApiError, KubeClient } from './kube-client.js';
import { LogStore, portOf, serveLogs, type Run } from './kubelet-logs.js';
import { SCRIPT_ANNOTATION, parseDuration, parseScript, stepFor, type Script, type Step } from './kubelet-script.js';

/** How to start the stand-in. */
export interface KubeletOptions {
  /** Kubeconfig the stand-in uses to talk to the apiserver (needs rights on nodes and pods). */
  kubeconfig: string;
  /** Serving certificate for the kubelet port, and the CA that signed the apiserver's client certificate. */
  tls: { key: Buffer; cert: Buffer; ca: Buffer };
  /** Require client certificates signed by `tls.ca` on the kubelet port (default true). */
  verifyClients?: boolean;
  /** Node name (default "e2e-node"). */
  nodeName?: string;
  /** Which unbound pods to bind to the node: all, only those with a script annotation, or none. */
  bind?: 'all' | 'annotated' | 'none';
  /** File receiving the stand-in's own log. */
  logFile?: string;
  /** First delay between container restarts (doubling, capped at 5 s), default 200 ms. */
  restartDelayMs?: number;
}

interface ContainerModel {
  name: string;
  image: string;
  state: any;
  lastState: any;
  restartCount: number;
  ready: boolean;
  started: boolean;
  containerID?: string;
  startedAt?: string;
}

interface PodState {
  uid: string;
  ns: string;
  name: string;
  restartPolicy: string;
  script?: Script;
  scriptError?: string;
  group: string;
  index?: string;
  phase: string;
  reason?: string;
  message?: string;
  startTime?: string;
  podIP?: string;
  conditions: Map<string, any>;
  init: ContainerModel[];
  containers: ContainerModel[];
  runs: Run[];
  timers: Set<NodeJS.Timeout>;
  queue: Promise<void>;
  terminal: boolean;
  deleting: boolean;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const isTerminal = (pod: any) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** A fake kubelet for one Node, driven by pod annotations; see README.md. */
export class KubeletStandin {
  readonly nodeName: string;
  private readonly pods = new Map<string, PodState>();
  private readonly runCounts = new Map<string, number>();
  private readonly binding = new Set<string>();
  private readonly abort = new AbortController();
  private heartbeat?: NodeJS.Timeout;
  private loop?: Promise<void>;
  private ipCounter = 0;

  private constructor(
    private readonly client: KubeClient,
    private readonly logs: LogStore,
    private readonly server: https.Server,
    private readonly opts: KubeletOptions,
    private readonly out?: WriteStream,
  ) {
    this.nodeName = opts.nodeName ?? 'e2e-node';
  }

  /** Starts serving logs, registers the Node and begins watching pods. */
  static async start(opts: KubeletOptions): Promise<KubeletStandin> {
    const client = await KubeClient.fromKubeconfig(opts.kubeconfig);
    const logs = new LogStore();
    const server = await serveLogs(logs, opts.tls, opts.verifyClients ?? true);
    const out = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
    const k = new KubeletStandin(client, logs, server, opts, out);
    await k.registerNode();
    k.heartbeat = setInterval(() => void k.postNodeStatus().catch((e) => k.note(`heartbeat: ${e}`)), 10_000);
    k.heartbeat.unref();
    k.loop = k.watchPods();
    return k;
  }

  /** The kubelet port (daemonEndpoints.kubeletEndpoint.Port). */
  get port(): number {
    return portOf(this.server);
  }

  /** Stops watching and playing (pods and the Node object are left as they are). */
  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.heartbeat);
    for (const st of this.pods.values()) this.cancel(st);
    this.server.close();
    this.server.closeAllConnections();
    await this.loop;
    this.client.close();
    this.out?.end();
  }

  private note(msg: string): void {
    this.out?.write(`${new Date().toISOString()} ${msg}\n`);
  }

  // ---- Node ----

  private async registerNode(): Promise<void> {
    const labels = { 'kubernetes.io/hostname': this.nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' };
    try {
      await this.client.request('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: this.nodeName, labels } });
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409)) throw e;
    }
    await this.postNodeStatus();
    this.note(`registered node ${this.nodeName} with kubelet port ${this.port}`);
  }

  private async postNodeStatus(): Promise<void> {
    const t = now();
    const cond = (type: string, status: string, reason: string, message: string) => ({
      type, status, reason, message, lastHeartbeatTime: t, lastTransitionTime: t,
    });
    const resources = { cpu: '16', memory: '64Gi', pods: '250', 'ephemeral-storage': '100Gi' };
    const status = {
      capacity: resources,
      allocatable: resources,
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet stand-in is posting ready status'),
      ],
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: this.nodeName }],
      daemonEndpoints: { kubeletEndpoint: { Port: this.port } },
      nodeInfo: {
        machineID: 'standin', systemUUID: 'standin', bootID: 'standin', kernelVersion: 'standin',
        osImage: 'kubelet stand-in', containerRuntimeVersion: 'standin://1', kubeletVersion: 'v1.36.3',
        kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64',
      },
    };
    await this.client.request('PATCH', `/api/v1/nodes/${this.nodeName}/status`, { status }, { contentType: 'application/merge-patch+json' });
  }

  // ---- watching pods ----

  private async watchPods(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        const list = await this.client.request('GET', '/api/v1/pods');
        const seen = new Set<string>();
        for (const pod of list.items) {
          seen.add(pod.metadata.uid);
          this.onPod(pod);
        }
        for (const st of [...this.pods.values()]) if (!seen.has(st.uid)) this.forget(st);
        await this.client.watch('/api/v1/pods', { resourceVersion: list.metadata.resourceVersion, timeoutSeconds: 300 }, (e) => {
          if (e.type === 'DELETED') {
            const st = this.pods.get(e.object.metadata.uid);
            if (st) this.forget(st);
          } else if (e.type === 'ADDED' || e.type === 'MODIFIED') {
            this.onPod(e.object);
          }
        }, signal);
      } catch (e) {
        if (signal.aborted) break;
        this.note(`watch: ${e}; relisting`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private onPod(pod: any): void {
    if (!pod.spec.nodeName) return this.maybeBind(pod);
    if (pod.spec.nodeName !== this.nodeName) return;
    let st = this.pods.get(pod.metadata.uid);
    if (pod.metadata.deletionTimestamp) {
      st ??= this.track(pod);
      if (!st.deleting) {
        st.deleting = true;
        this.enqueue(st, () => this.terminate(st!, pod));
      }
      return;
    }
    if (st || isTerminal(pod)) return;
    st = this.track(pod);
    this.enqueue(st, () => this.startPod(st!));
  }

  private maybeBind(pod: any): void {
    const mode = this.opts.bind ?? 'all';
    const uid = pod.metadata.uid;
    if (mode === 'none' || this.binding.has(uid) || pod.metadata.deletionTimestamp) return;
    if (pod.spec.schedulingGates?.length) return;
    if (mode === 'annotated' && pod.metadata.annotations?.[SCRIPT_ANNOTATION] === undefined) return;
    this.binding.add(uid);
    const { name, namespace } = pod.metadata;
    const body = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid }, target: { apiVersion: 'v1', kind: 'Node', name: this.nodeName } };
    this.client.request('POST', `/api/v1/namespaces/${namespace}/pods/${name}/binding`, body).then(
      () => this.note(`bound ${namespace}/${name}`),
      (e) => this.note(`bind ${namespace}/${name}: ${e}`),
    ).finally(() => setTimeout(() => this.binding.delete(uid), 5_000).unref());
  }

  private track(pod: any): PodState {
    const md = pod.metadata;
    const job = (md.ownerReferences ?? []).find((o: any) => o.controller && o.kind === 'Job');
    const index = md.annotations?.['batch.kubernetes.io/job-completion-index'];
    const model = (c: any): ContainerModel => ({
      name: c.name, image: c.image ?? 'standin', state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {}, restartCount: 0, ready: false, started: false,
    });
    const st: PodState = {
      uid: md.uid, ns: md.namespace, name: md.name, restartPolicy: pod.spec.restartPolicy ?? 'Always',
      group: job ? `job/${job.uid}${index !== undefined ? `#${index}` : ''}` : `pod/${md.uid}`, index,
      phase: pod.status?.phase ?? 'Pending', conditions: new Map(),
      init: (pod.spec.initContainers ?? []).map(model), containers: pod.spec.containers.map(model),
      runs: [], timers: new Set(), queue: Promise.resolve(), terminal: isTerminal(pod), deleting: false,
    };
    try {
      st.script = parseScript(md.annotations?.[SCRIPT_ANNOTATION]);
    } catch (e) {
      st.scriptError = `kubelet-standin: invalid ${SCRIPT_ANNOTATION} annotation: ${(e as Error).message}`;
    }
    this.logs.pod(st.ns, st.name, st.uid);
    this.pods.set(st.uid, st);
    return st;
  }

  private forget(st: PodState): void {
    this.cancel(st);
    this.pods.delete(st.uid);
    this.logs.remove(st.ns, st.name, st.uid);
  }

  private cancel(st: PodState): void {
    for (const t of st.timers) clearTimeout(t);
    st.timers.clear();
    for (const r of st.runs) if (!r.done) r.end();
  }

  /** Runs pod actions one at a time per pod; errors are logged, never thrown. */
  private enqueue(st: PodState, fn: () => Promise<void>): void {
    st.queue = st.queue.then(fn).catch((e) => this.note(`${st.ns}/${st.name}: ${e}`));
  }

  private later(st: PodState, ms: number, fn: () => Promise<void> | void): void {
    const t = setTimeout(() => {
      st.timers.delete(t);
      this.enqueue(st, async () => fn());
    }, ms);
    st.timers.add(t);
  }

  // ---- playing pods ----

  private setCondition(st: PodState, type: string, status: string, reason?: string, message?: string): void {
    const old = st.conditions.get(type);
    const lastTransitionTime = old?.status === status ? old.lastTransitionTime : now();
    st.conditions.set(type, { type, status, ...(reason && { reason }), ...(message && { message }), lastProbeTime: null, lastTransitionTime });
  }

  private setReady(st: PodState, ready: boolean, reason?: string): void {
    this.setCondition(st, 'ContainersReady', ready ? 'True' : 'False', reason);
    this.setCondition(st, 'Ready', ready ? 'True' : 'False', reason);
  }

  private async startPod(st: PodState): Promise<void> {
    this.setCondition(st, 'PodScheduled', 'True');
    if (st.scriptError || !st.script) {
      return this.wait(st, 'CreateContainerConfigError', st.scriptError ?? 'no script');
    }
    const run = this.nextRun(st);
    const step = stepFor(st.script, run, st.index);
    st.startTime = now();
    st.podIP = `127.0.1.${(this.ipCounter++ % 250) + 1}`;
    this.setCondition(st, 'PodReadyToStartContainers', 'True');
    if (step.pending) return this.wait(st, step.pending, step.pendingMessage ?? `kubelet-standin: ${step.pending}`);
    for (const c of st.init) {
      const t = now();
      c.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: t, finishedAt: t, containerID: this.containerID() } };
    }
    this.setCondition(st, 'Initialized', 'True');
    await this.runContainers(st, step, run);
  }

  private async wait(st: PodState, reason: string, message: string): Promise<void> {
    for (const c of st.containers) c.state = { waiting: { reason, message } };
    this.logs.pod(st.ns, st.name, st.uid).waiting = reason;
    this.setCondition(st, 'Initialized', 'True');
    this.setReady(st, false, 'ContainersNotReady');
    this.note(`${st.ns}/${st.name}: waiting ${reason}`);
    await this.pushStatus(st);
  }

  private nextRun(st: PodState): number {
    const n = this.runCounts.get(st.group) ?? 0;
    this.runCounts.set(st.group, n + 1);
    return n;
  }

  private containerID(): string {
    return `standin://${randomBytes(32).toString('hex')}`;
  }

  private async runContainers(st: PodState, step: Step, run: number): Promise<void> {
    const startedAt = now();
    st.runs = st.containers.map((c) => {
      const r = this.logs.start(st.ns, st.name, st.uid, c.name);
      r.write(`kubelet-standin: pod ${st.ns}/${st.name} container ${c.name} run ${run} restart ${c.restartCount}`);
      const fill = (s: string) => s.replace(/\{(pod|namespace|container|run|restart)\}/g, (_, k: string) =>
        String({ pod: st.name, namespace: st.ns, container: c.name, run, restart: c.restartCount }[k]));
      if (step.log !== undefined) for (const line of step.log.split('\n')) r.write(fill(line));
      Object.assign(c, { state: { running: { startedAt } }, ready: true, started: true, containerID: this.containerID(), startedAt });
      return r;
    });
    st.phase = 'Running';
    this.setReady(st, true);
    this.note(`${st.ns}/${st.name}: run ${run} started: ${JSON.stringify(step)}`);
    await this.pushStatus(st);
    if (step.tick !== undefined) {
      const every = Math.max(parseDuration(step.tick, 1000), 10);
      let n = 0;
      const tick = () => {
        n++;
        for (const r of st.runs) r.write(`tick ${n}`);
        const t = setTimeout(() => { st.timers.delete(t); tick(); }, every);
        st.timers.add(t);
      };
      const t = setTimeout(() => { st.timers.delete(t); tick(); }, every);
      st.timers.add(t);
    }
    if (!step.hang) this.later(st, parseDuration(step.after, 200), () => this.finishRun(st, step));
  }

  private async finishRun(st: PodState, step: Step): Promise<void> {
    this.cancel(st);
    const exitCode = step.exit ?? (step.oom || step.condition ? 137 : 0);
    const reason = step.oom ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
    const finishedAt = now();
    for (const c of st.containers) {
      c.state = { terminated: { exitCode, reason, ...(step.message && { message: step.message }), startedAt: c.startedAt, finishedAt, containerID: c.containerID } };
      c.ready = false;
      c.started = false;
    }
    const restart = !step.condition && (st.restartPolicy === 'Always' || (st.restartPolicy === 'OnFailure' && exitCode !== 0));
    if (restart) {
      // Back-off doubles per restart like the kubelet's (10 s … 5 min), scaled down: 200 ms … 5 s.
      const delay = Math.min((this.opts.restartDelayMs ?? 200) * 2 ** (st.containers[0]?.restartCount ?? 0), 5000);
      for (const c of st.containers) {
        c.lastState = c.state;
        c.restartCount++;
        c.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${delay}ms restarting failed container=${c.name} pod=${st.name}_${st.ns}(${st.uid})` } };
      }
      this.setReady(st, false, 'ContainersNotReady');
      this.note(`${st.ns}/${st.name}: exited ${exitCode}, restarting`);
      await this.pushStatus(st);
      this.later(st, delay, () => {
        const run = this.nextRun(st);
        return this.runContainers(st, stepFor(st.script!, run, st.index), run);
      });
      return;
    }
    if (step.condition) {
      const { type, reason: r, message } = step.condition;
      this.setCondition(st, type, 'True', r, message);
    }
    st.reason = step.podReason;
    st.message = step.podMessage;
    await this.finish(st, exitCode === 0 && !step.condition ? 'Succeeded' : 'Failed');
  }

  private async finish(st: PodState, phase: string): Promise<void> {
    st.phase = phase;
    st.terminal = true;
    this.setReady(st, false, 'PodCompleted');
    this.note(`${st.ns}/${st.name}: ${phase}`);
    await this.pushStatus(st);
  }

  /** Deletion: stop the containers, report a terminal phase, then delete with grace period 0. */
  private async terminate(st: PodState, pod: any): Promise<void> {
    this.cancel(st);
    if (!st.terminal && !isTerminal(pod)) {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? 30;
      const finishedAt = now();
      for (const c of [...st.init, ...st.containers]) {
        if (c.state.running) {
          c.state = { terminated: { exitCode: grace === 0 ? 137 : 143, reason: 'Error', startedAt: c.startedAt, finishedAt, containerID: c.containerID } };
        } else if (c.state.waiting) {
          c.state = { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated', startedAt: null, finishedAt } };
        }
        c.ready = false;
        c.started = false;
      }
      const ok = st.containers.every((c) => c.state.terminated?.exitCode === 0);
      await this.finish(st, ok ? 'Succeeded' : 'Failed');
    }
    const body = { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: st.uid } };
    try {
      await this.client.request('DELETE', `/api/v1/namespaces/${st.ns}/pods/${st.name}`, body);
      this.note(`${st.ns}/${st.name}: deleted`);
    } catch (e) {
      if (!(e instanceof ApiError && (e.status === 404 || e.status === 409))) throw e;
    }
  }

  /** Writes the modelled status onto the latest pod (PUT status, retried on conflicts). */
  private async pushStatus(st: PodState): Promise<void> {
    const path = `/api/v1/namespaces/${st.ns}/pods/${st.name}`;
    const status = (c: ContainerModel) => ({
      name: c.name, state: c.state, lastState: c.lastState, ready: c.ready, restartCount: c.restartCount,
      image: c.image, imageID: `${c.image}@sha256:${createHash('sha256').update(c.image).digest('hex')}`,
      started: c.started, ...(c.containerID && { containerID: c.containerID }),
    });
    for (let attempt = 0; ; attempt++) {
      const pod = await this.client.getOrNull(path);
      if (!pod || pod.metadata.uid !== st.uid) return;
      const conditions = (pod.status?.conditions ?? []).filter((c: any) => !st.conditions.has(c.type));
      pod.status = {
        ...pod.status,
        phase: st.phase,
        conditions: [...conditions, ...st.conditions.values()],
        hostIP: '127.0.0.1',
        hostIPs: [{ ip: '127.0.0.1' }],
        ...(st.podIP && { podIP: st.podIP, podIPs: [{ ip: st.podIP }] }),
        ...(st.startTime && { startTime: st.startTime }),
        ...(st.reason && { reason: st.reason }),
        ...(st.message && { message: st.message }),
        containerStatuses: st.containers.map(status),
        ...(st.init.length && { initContainerStatuses: st.init.map(status) }),
      };
      try {
        await this.client.request('PUT', `${path}/status`, pod);
        return;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return;
        if (!(e instanceof ApiError && e.status === 409) || attempt >= 10) throw e;
      }
    }
  }
}

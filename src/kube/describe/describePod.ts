// `kubectl describe pod`, rendered from the live store instead of a kubectl process: the same
// sections in the same order, aligned by the same tabwriter rules, so what a person reads in
// Podscope matches what they would read in a terminal. Secrets appear by name and key only
// (the store holds nothing else). Volumes are summarised by type.
import type { ClusterView } from '../clusterView';
import { controllerOf } from '../ownership';
import { qosClass } from '../qos';
import type { Container, ContainerState, ContainerStatus, Pod, Probe, Toleration, Volume } from '../types';
import { writeEvents } from './describeEvents';
import { TabWriter } from './tabWriter';

const MAX_ANNOTATION_LEN = 140;

export function describePod(view: ClusterView, pod: Pod): string {
  const w = new TabWriter();
  const meta = pod.metadata ?? {};
  const spec = pod.spec;
  const status = pod.status ?? {};
  w.write(`Name:\t${meta.name ?? ''}\n`);
  w.write(`Namespace:\t${meta.namespace ?? ''}\n`);
  if (spec?.priority !== undefined) w.write(`Priority:\t${spec.priority}\n`);
  if (spec?.priorityClassName) w.write(`Priority Class Name:\t${spec.priorityClassName}\n`);
  w.write(`Service Account:\t${spec?.serviceAccountName ?? ''}\n`);
  w.write(`Node:\t${spec?.nodeName ? `${spec.nodeName}/${status.hostIP ?? ''}` : '<none>'}\n`);
  if (status.startTime) w.write(`Start Time:\t${rfc1123z(status.startTime)}\n`);
  writeMultiline(w, 'Labels', meta.labels);
  writeAnnotations(w, meta.annotations);
  if (meta.deletionTimestamp) w.write(`Status:\tTerminating\n`);
  else w.write(`Status:\t${status.phase ?? ''}\n`);
  if (status.reason) w.write(`Reason:\t${status.reason}\n`);
  if (status.message) w.write(`Message:\t${status.message}\n`);
  w.write(`IP:\t${status.podIP ?? ''}\n`);
  const ips = (status['podIPs'] as { ip: string }[] | undefined) ?? [];
  if (ips.length === 0) w.write('IPs:\t<none>\n');
  else {
    w.write('IPs:\n');
    for (const { ip } of ips) w.write(`  IP:\t${ip}\n`);
  }
  const owner = controllerOf(pod);
  if (owner) w.write(`Controlled By:\t${owner.kind}/${owner.name}\n`);
  if (status.nominatedNodeName) w.write(`NominatedNodeName:\t${status.nominatedNodeName}\n`);
  const volumes = spec?.volumes ?? [];
  if ((spec?.initContainers ?? []).length > 0) {
    w.write('Init Containers:\n');
    writeContainers(w, spec?.initContainers ?? [], status.initContainerStatuses ?? []);
  }
  w.write('Containers:\n');
  writeContainers(w, spec?.containers ?? [], status.containerStatuses ?? []);
  if ((spec?.ephemeralContainers ?? []).length > 0) {
    w.write('Ephemeral Containers:\n');
    writeContainers(w, spec?.ephemeralContainers ?? [], status.ephemeralContainerStatuses ?? []);
  }
  const conditions = status.conditions ?? [];
  if (conditions.length > 0) {
    w.write('Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(`  ${c.type} \t${c.status} \n`);
  }
  writeVolumes(w, volumes);
  w.write(`QoS Class:\t${status.qosClass ?? qosClass(pod)}\n`);
  writeMultiline(w, 'Node-Selectors', spec?.nodeSelector);
  writeTolerations(w, spec?.tolerations ?? []);
  writeEvents(w, view.eventsFor('Pod', meta.namespace, meta.name ?? ''), view.now());
  return w.toString();
}

function writeContainers(
  w: TabWriter,
  containers: readonly Container[],
  statuses: readonly ContainerStatus[],
): void {
  for (const container of containers) {
    const status = statuses.find((s) => s.name === container.name);
    w.write(`  ${container.name}:\n`);
    if (status) w.write(`    Container ID:\t${status.containerID ?? ''}\n`);
    w.write(`    Image:\t${container.image ?? ''}\n`);
    if (status) w.write(`    Image ID:\t${status.imageID}\n`);
    const ports = container.ports ?? [];
    const portText = (p: { containerPort: number; protocol?: string }): string =>
      `${p.containerPort}/${p.protocol ?? 'TCP'}`;
    const hostText = (p: { hostPort?: number; protocol?: string }): string =>
      `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`;
    if (ports.length === 0) w.write('    Port:\t<none>\n    Host Port:\t<none>\n');
    else if (ports.length === 1)
      w.write(`    Port:\t${portText(ports[0]!)}\n    Host Port:\t${hostText(ports[0]!)}\n`);
    else {
      w.write(`    Ports:\t${ports.map(portText).join(', ')}\n`);
      w.write(`    Host Ports:\t${ports.map(hostText).join(', ')}\n`);
    }
    writeList(w, 'Command', container.command);
    writeList(w, 'Args', container.args);
    if (status) {
      writeState(w, 'State', status.state);
      if (status.lastState?.terminated) writeState(w, 'Last State', status.lastState);
      w.write(`    Ready:\t${status.ready ? 'True' : 'False'}\n`);
      w.write(`    Restart Count:\t${status.restartCount}\n`);
    }
    writeResources(w, 'Limits', container.resources?.limits);
    writeResources(w, 'Requests', container.resources?.requests);
    if (container.livenessProbe) w.write(`    Liveness:\t${describeProbe(container.livenessProbe)}\n`);
    if (container.readinessProbe) w.write(`    Readiness:\t${describeProbe(container.readinessProbe)}\n`);
    if (container.startupProbe) w.write(`    Startup:\t${describeProbe(container.startupProbe)}\n`);
    writeEnvironment(w, container);
    const mounts = container.volumeMounts ?? [];
    if (mounts.length === 0) w.write('    Mounts:\t<none>\n');
    else {
      w.write('    Mounts:\n');
      for (const m of [...mounts].sort((a, b) => a.mountPath.localeCompare(b.mountPath))) {
        const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path="${m.subPath}"`] : [])];
        w.write(`      ${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
      }
    }
  }
}

function writeState(w: TabWriter, title: string, state: ContainerState | undefined): void {
  if (state?.running) {
    w.write(`    ${title}:\tRunning\n`);
    w.write(`      Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(`    ${title}:\tTerminated\n`);
    if (t.reason) w.write(`      Reason:\t${t.reason}\n`);
    if (t.message) w.write(`      Message:\t${t.message}\n`);
    w.write(`      Exit Code:\t${t.exitCode}\n`);
    if ((t.signal ?? 0) > 0) w.write(`      Signal:\t${t.signal}\n`);
    w.write(`      Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(`      Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(`    ${title}:\tWaiting\n`);
    if (state?.waiting?.reason) w.write(`      Reason:\t${state.waiting.reason}\n`);
  }
}

function writeList(w: TabWriter, title: string, items: readonly string[] | undefined): void {
  if (!items || items.length === 0) return;
  w.write(`    ${title}:\n`);
  for (const item of items) for (const line of item.split('\n')) w.write(`      ${line}\n`);
}

function writeResources(w: TabWriter, title: string, resources: Record<string, string> | undefined): void {
  const names = Object.keys(resources ?? {}).sort();
  if (names.length === 0) return;
  w.write(`    ${title}:\n`);
  for (const name of names) w.write(`      ${name}:\t${resources?.[name] ?? ''}\n`);
}

function writeEnvironment(w: TabWriter, container: Container): void {
  const from = container.envFrom ?? [];
  if (from.length > 0) {
    w.write('    Environment Variables from:\n');
    for (const source of from) {
      const ref = source.configMapRef ?? source.secretRef;
      const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
      const prefix = source.prefix ? ` with prefix '${source.prefix}'` : '';
      w.write(`      ${ref?.name ?? ''}\t${kind}${prefix}\tOptional: ${ref?.optional === true}\n`);
    }
  }
  const env = container.env ?? [];
  if (env.length === 0) {
    w.write('    Environment:\t<none>\n');
    return;
  }
  w.write('    Environment:\n');
  for (const e of env) {
    const from = e.valueFrom;
    if (from?.configMapKeyRef) {
      const r = from.configMapKeyRef;
      w.write(
        `      ${e.name}:\t<set to the key '${r.key}' of config map '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`,
      );
    } else if (from?.secretKeyRef) {
      const r = from.secretKeyRef;
      w.write(
        `      ${e.name}:\t<set to the key '${r.key}' in secret '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`,
      );
    } else if (from?.fieldRef) w.write(`      ${e.name}:\t (v1:${from.fieldRef.fieldPath})\n`);
    else if (from?.resourceFieldRef) w.write(`      ${e.name}:\t${from.resourceFieldRef.resource}\n`);
    else w.write(`      ${e.name}:\t${e.value ?? ''}\n`);
  }
}

/** `DescribeProbe`: the handler, then `delay=… timeout=… period=… #success=… #failure=…`. */
export function describeProbe(probe: Probe): string {
  const attrs = `delay=${probe.initialDelaySeconds ?? 0}s timeout=${probe.timeoutSeconds ?? 0}s period=${probe.periodSeconds ?? 0}s #success=${probe.successThreshold ?? 0} #failure=${probe.failureThreshold ?? 0}`;
  if (probe.exec) return `exec [${(probe.exec.command ?? []).join(' ')}] ${attrs}`;
  if (probe.httpGet) {
    // Go's url.URL.String(): an absent scheme prints as `//host:port/path`.
    const { scheme = '', host = '', port, path = '' } = probe.httpGet;
    const hostPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return `http-get ${scheme ? `${scheme.toLowerCase()}:` : ''}//${hostPort}${path} ${attrs}`;
  }
  if (probe.tcpSocket) return `tcp-socket ${probe.tcpSocket.host ?? ''}:${probe.tcpSocket.port} ${attrs}`;
  if (probe.grpc) return `grpc <pod>:${probe.grpc.port} ${probe.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function writeVolumes(w: TabWriter, volumes: readonly Volume[]): void {
  if (volumes.length === 0) {
    w.write('Volumes:\t<none>\n');
    return;
  }
  w.write('Volumes:\n');
  for (const v of volumes) {
    w.write(`  ${v.name}:\n`);
    if (v.configMap) {
      w.write('    Type:\tConfigMap (a volume populated by a ConfigMap)\n');
      w.write(`    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${v.configMap.optional === true}\n`);
    } else if (v.secret) {
      w.write('    Type:\tSecret (a volume populated by a Secret)\n');
      w.write(
        `    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${v.secret.optional === true}\n`,
      );
    } else if (v.persistentVolumeClaim) {
      w.write(
        '    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n',
      );
      w.write(`    ClaimName:\t${v.persistentVolumeClaim.claimName}\n`);
      w.write(`    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`);
    } else if (v.emptyDir) {
      w.write("    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n");
      const medium = (v.emptyDir as { medium?: string }).medium ?? '';
      const limit = (v.emptyDir as { sizeLimit?: string }).sizeLimit;
      w.write(`    Medium:\t${medium}\n    SizeLimit:\t${limit ?? '<unset>'}\n`);
    } else if (v.projected) writeProjected(w, v.projected);
    else w.write(`    Type:\t${Object.keys(v).find((k) => k !== 'name') ?? '<unknown>'}\n`);
  }
}

interface ProjectedSource {
  sources?: {
    secret?: { name?: string; optional?: boolean };
    configMap?: { name?: string; optional?: boolean };
    downwardAPI?: unknown;
    serviceAccountToken?: { expirationSeconds?: number };
  }[];
}

function writeProjected(w: TabWriter, projected: ProjectedSource): void {
  w.write('    Type:\tProjected (a volume that contains injected data from multiple sources)\n');
  // Optional is a *bool in Go: unset prints `<nil>`.
  const optional = (value: boolean | undefined): string => (value === undefined ? '<nil>' : String(value));
  for (const source of projected.sources ?? []) {
    if (source.secret)
      w.write(
        `    SecretName:\t${source.secret.name ?? ''}\n    SecretOptionalName:\t${optional(source.secret.optional)}\n`,
      );
    else if (source.downwardAPI) w.write('    DownwardAPI:\ttrue\n');
    else if (source.configMap)
      w.write(
        `    ConfigMapName:\t${source.configMap.name ?? ''}\n    ConfigMapOptional:\t${optional(source.configMap.optional)}\n`,
      );
    else if (source.serviceAccountToken)
      w.write(`    TokenExpirationSeconds:\t${source.serviceAccountToken.expirationSeconds ?? 0}\n`);
  }
}

function writeMultiline(w: TabWriter, title: string, values: Record<string, string> | undefined): void {
  const keys = Object.keys(values ?? {}).sort();
  if (keys.length === 0) {
    w.write(`${title}:\t<none>\n`);
    return;
  }
  keys.forEach((key, i) => w.write(`${i === 0 ? `${title}:` : ''}\t${key}=${values?.[key] ?? ''}\n`));
}

function writeAnnotations(w: TabWriter, annotations: Record<string, string> | undefined): void {
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
    .sort();
  if (keys.length === 0) {
    w.write('Annotations:\t<none>\n');
    return;
  }
  keys.forEach((key, i) => {
    const lead = i === 0 ? 'Annotations:' : '';
    const value = (annotations?.[key] ?? '').replace(/\n$/, '');
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(`${lead}\t${key}:\n`);
      for (const line of value.split('\n')) w.write(`\t  ${shorten(line, MAX_ANNOTATION_LEN - 2)}\n`);
    } else w.write(`${lead}\t${key}: ${value}\n`);
  });
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

function writeTolerations(w: TabWriter, tolerations: readonly Toleration[]): void {
  if (tolerations.length === 0) {
    w.write('Tolerations:\t<none>\n');
    return;
  }
  tolerations.forEach((t, i) => {
    let text = t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined) text += ` for ${t.tolerationSeconds}s`;
    w.write(`${i === 0 ? 'Tolerations:' : ''}\t${text}\n`);
  });
}

/** Go's time.RFC1123Z in UTC, as kubectl prints times on a UTC machine. */
export function rfc1123z(timestamp: string | undefined): string {
  const ms = timestamp ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(ms)) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    d.getUTCMonth()
  ];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${day}, ${pad(d.getUTCDate())} ${month} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

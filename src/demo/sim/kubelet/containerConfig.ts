// What the kubelet resolves before it can create a container, with the real error texts:
// ConfigMap/Secret volumes (FailedMount, §4), env and envFrom references
// (CreateContainerConfigError, §3; envFrom first, then env), runAsNonRoot against the image's
// USER (§3.6), and $(VAR) expansion of command and args.
import type { Container, KubeObject, Pod, Volume } from '../../../kube/types';
import type { ObjectStore } from '../../objectStore';
import { formatPod } from '../objects';

interface DataObject extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  stringData?: Record<string, string>;
}

function keysOf(object: DataObject): Set<string> {
  return new Set([
    ...Object.keys(object.data ?? {}),
    ...Object.keys(object.binaryData ?? {}),
    ...Object.keys(object.stringData ?? {}),
  ]);
}

function valueOf(object: DataObject, k: string, secret: boolean): string {
  const raw = object.data?.[k] ?? object.stringData?.[k] ?? '';
  return secret && object.data?.[k] !== undefined ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

/** The first volume that cannot be set up, as the FailedMount event message. */
export function volumeError(store: ObjectStore, pod: Pod): string | undefined {
  const ns = pod.metadata?.namespace;
  for (const volume of pod.spec?.volumes ?? []) {
    const err = oneVolumeError(store, ns, volume);
    if (err) return `MountVolume.SetUp failed for volume "${volume.name}" : ${err}`;
  }
  return undefined;
}

function oneVolumeError(store: ObjectStore, ns: string | undefined, volume: Volume): string | undefined {
  if (volume.configMap) {
    const name = volume.configMap.name ?? '';
    const cm: DataObject | undefined = store.get('ConfigMap', ns, name);
    if (!cm) return volume.configMap.optional ? undefined : `configmap "${name}" not found`;
    const keys = keysOf(cm);
    for (const item of volume.configMap.items ?? []) {
      if (!keys.has(item.key) && !volume.configMap.optional)
        return `configmap references non-existent config key: ${item.key}`;
    }
  }
  if (volume.secret) {
    const name = volume.secret.secretName ?? '';
    const secret: DataObject | undefined = store.get('Secret', ns, name);
    if (!secret) return volume.secret.optional ? undefined : `secret "${name}" not found`;
    const keys = keysOf(secret);
    for (const item of volume.secret.items ?? []) {
      if (!keys.has(item.key) && !volume.secret.optional)
        return `references non-existent secret key: ${item.key}`;
    }
  }
  return undefined;
}

/** Files the container sees from ConfigMap/Secret volumes, by absolute path. */
export function mountedFiles(store: ObjectStore, pod: Pod, container: Container): Map<string, string> {
  const files = new Map<string, string>();
  const ns = pod.metadata?.namespace;
  for (const mount of container.volumeMounts ?? []) {
    const volume = pod.spec?.volumes?.find((v) => v.name === mount.name);
    if (!volume) continue;
    let source: DataObject | undefined;
    let items: { key: string; path: string }[] | undefined;
    let secret = false;
    if (volume.configMap) {
      source = store.get('ConfigMap', ns, volume.configMap.name ?? '');
      items = volume.configMap.items;
    } else if (volume.secret) {
      source = store.get('Secret', ns, volume.secret.secretName ?? '');
      items = volume.secret.items;
      secret = true;
    }
    if (!source) continue;
    const entries = items ?? [...keysOf(source)].map((k) => ({ key: k, path: k }));
    for (const item of entries) {
      const content = valueOf(source, item.key, secret);
      if (mount.subPath) {
        if (mount.subPath === item.path) files.set(mount.mountPath, content);
      } else files.set(`${mount.mountPath.replace(/\/$/, '')}/${item.path}`, content);
    }
  }
  return files;
}

export type EnvResult = { env: Record<string, string> } | { error: string };

/** makeEnvironmentVariables: envFrom first, then env; `optional` skips what is missing. */
export function resolveEnv(store: ObjectStore, pod: Pod, container: Container): EnvResult {
  const ns = pod.metadata?.namespace ?? '';
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const secret = Boolean(from.secretRef);
    const object: DataObject | undefined = store.get(secret ? 'Secret' : 'ConfigMap', ns, ref.name ?? '');
    if (!object) {
      if (ref.optional) continue;
      return { error: `${secret ? 'secret' : 'configmap'} "${ref.name ?? ''}" not found` };
    }
    for (const k of keysOf(object)) env[`${from.prefix ?? ''}${k}`] = valueOf(object, k, secret);
  }
  for (const variable of container.env ?? []) {
    const cmRef = variable.valueFrom?.configMapKeyRef;
    const secretRef = variable.valueFrom?.secretKeyRef;
    if (cmRef || secretRef) {
      const ref = (cmRef ?? secretRef)!;
      const secret = !cmRef;
      const object: DataObject | undefined = store.get(secret ? 'Secret' : 'ConfigMap', ns, ref.name ?? '');
      if (!object) {
        if (ref.optional) continue;
        return { error: `${secret ? 'secret' : 'configmap'} "${ref.name ?? ''}" not found` };
      }
      if (!keysOf(object).has(ref.key)) {
        if (ref.optional) continue;
        return {
          error: `couldn't find key ${ref.key} in ${secret ? 'Secret' : 'ConfigMap'} ${ns}/${ref.name ?? ''}`,
        };
      }
      env[variable.name] = valueOf(object, ref.key, secret);
      continue;
    }
    if (variable.valueFrom?.fieldRef) {
      const path = variable.valueFrom.fieldRef.fieldPath;
      const fields: Record<string, string | undefined> = {
        'metadata.name': pod.metadata?.name,
        'metadata.namespace': pod.metadata?.namespace,
        'metadata.uid': pod.metadata?.uid,
        'spec.nodeName': pod.spec?.nodeName,
        'spec.serviceAccountName': pod.spec?.serviceAccountName,
        'status.podIP': pod.status?.podIP,
        'status.hostIP': pod.status?.hostIP,
      };
      env[variable.name] = fields[path] ?? '';
      continue;
    }
    env[variable.name] = expand(variable.value ?? '', env);
  }
  return { env };
}

/** $(VAR) expansion as the kubelet does it: unknown references stay literal, $$ escapes. */
export function expand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && Object.prototype.hasOwnProperty.call(env, name) ? env[name]! : match;
  });
}

/** verifyRunAsNonRoot, with the three real messages. */
export function runAsNonRootError(pod: Pod, container: Container, imageUser: string): string | undefined {
  const nonRoot = container.securityContext?.runAsNonRoot ?? pod.spec?.securityContext?.runAsNonRoot;
  if (!nonRoot) return undefined;
  const formatted = JSON.stringify(formatPod(pod));
  const runAsUser = container.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
  if (runAsUser !== undefined) {
    return runAsUser === 0
      ? `container's runAsUser breaks non-root policy (pod: ${formatted}, container: ${container.name})`
      : undefined;
  }
  const user = imageUser.split(':')[0] ?? '';
  if (user === '' || user === '0' || user === 'root')
    return `container has runAsNonRoot and image will run as root (pod: ${formatted}, container: ${container.name})`;
  if (!/^[0-9]+$/.test(user)) {
    return `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root (pod: ${formatted}, container: ${container.name})`;
  }
  return undefined;
}

/** The runc error when argv[0] is not in the image, or undefined when it starts. */
export function startError(argv: string[], binaries: string[]): string | undefined {
  const exe = argv[0];
  if (exe === undefined)
    return 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: no command specified: unknown';
  const prefix =
    'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ';
  if (exe.includes('/')) {
    if (binaries.includes(exe)) return undefined;
    return `${prefix}exec: ${JSON.stringify(exe)}: stat ${exe}: no such file or directory: unknown`;
  }
  const pathDirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  if (binaries.some((b) => pathDirs.some((d) => b === `${d}/${exe}`))) return undefined;
  return `${prefix}exec: ${JSON.stringify(exe)}: executable file not found in $PATH: unknown`;
}

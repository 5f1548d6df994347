// Missing ConfigMaps, Secrets and keys (catalog §3 and §4). Two carriers: the container's
// CreateContainerConfigError message for env/envFrom, and the pod's FailedMount events for volumes.
// Neither says which field failed, so the field is found by searching the pod spec for the name,
// in the kubelet's own order (envFrom before env), skipping references marked `optional`, which the
// kubelet skips too.
import type { ClusterView } from '../../kube/clusterView';
import type { Finding, FindingCode, FixSuggestion } from '../finding';
import type { Container, KeyedObject, KubeEvent, Pod, Volume } from '../../kube/types';
import { sanitizeText } from '../../kube/sanitize';
import { rankBySimilarity, similarNames } from './closestNames';
import { describeEvent, eventContainer, eventMessage, newestEventTime } from './eventText';
import { newest, podFinding } from './findingBase';
import type { PodContainer } from './podContainers';
import { podContainers } from './podContainers';

type RefKind = 'ConfigMap' | 'Secret';

interface ConfigError {
  kind: RefKind;
  name: string;
  /** Set for "couldn't find key" / "non-existent ... key". */
  key?: string;
}

const NOT_FOUND = /\b(configmap|secret) "([^"]+)" not found/;
const KEY_NOT_FOUND = /couldn't find key (\S+) in (ConfigMap|Secret) ([^/\s]+)\/(\S+)/;
const MOUNT_FAILED = /^MountVolume\.SetUp failed for volume "([^"]+)" : (.*)$/s;
const VOLUME_CONFIGMAP_KEY = /configmap references non-existent config key: (\S+)/;
const VOLUME_SECRET_KEY = /references non-existent secret key: (\S+)/;
const MAX_KEY_FIXES = 3;

/** Parse a kubelet config error (env/envFrom or volume). */
export function parseConfigError(message: string): ConfigError | undefined {
  const key = KEY_NOT_FOUND.exec(message);
  if (key) return { kind: key[2] as RefKind, name: key[4] ?? '', key: key[1] ?? '' };
  const cmKey = VOLUME_CONFIGMAP_KEY.exec(message);
  if (cmKey) return { kind: 'ConfigMap', name: '', key: cmKey[1] ?? '' };
  const secretKey = VOLUME_SECRET_KEY.exec(message);
  if (secretKey) return { kind: 'Secret', name: '', key: secretKey[1] ?? '' };
  const notFound = NOT_FOUND.exec(message);
  if (notFound)
    return { kind: notFound[1] === 'configmap' ? 'ConfigMap' : 'Secret', name: notFound[2] ?? '' };
  return undefined;
}

function codeFor(error: ConfigError): FindingCode {
  if (error.kind === 'ConfigMap')
    return error.key === undefined ? 'configmap-missing' : 'configmap-key-missing';
  return error.key === undefined ? 'secret-missing' : 'secret-key-missing';
}

/** A place in the pod spec that refers to the object: the path to blame and where `optional` goes. */
interface Reference {
  path: string;
  /** The mapping that holds `name`/`key`/`optional`. */
  holder: string;
  keyPath?: string;
}

/** env/envFrom references of one container to the object, in kubelet processing order. */
function envReferences(container: PodContainer, error: ConfigError): Reference[] {
  const spec: Container | undefined = container.spec;
  const refs: Reference[] = [];
  if (!spec) return refs;
  if (error.key === undefined) {
    (spec.envFrom ?? []).forEach((source, index) => {
      const ref = error.kind === 'ConfigMap' ? source.configMapRef : source.secretRef;
      if (ref?.name !== error.name || ref.optional) return;
      const holder = `${container.path}.envFrom[${index}].${error.kind === 'ConfigMap' ? 'configMapRef' : 'secretRef'}`;
      refs.push({ path: `${holder}.name`, holder });
    });
  }
  for (const env of spec.env ?? []) {
    const ref = error.kind === 'ConfigMap' ? env.valueFrom?.configMapKeyRef : env.valueFrom?.secretKeyRef;
    if (!ref || ref.name !== error.name || ref.optional) continue;
    if (error.key !== undefined && ref.key !== error.key) continue;
    const holder = `${container.path}.env[name=${env.name}].valueFrom.${error.kind === 'ConfigMap' ? 'configMapKeyRef' : 'secretKeyRef'}`;
    refs.push({
      path: `${holder}.${error.key === undefined ? 'name' : 'key'}`,
      holder,
      keyPath: `${holder}.key`,
    });
  }
  return refs;
}

/** Volume references to the object (its own source, or a projected source). */
function volumeReferences(volume: Volume, error: ConfigError): Reference[] {
  const base = `volumes[name=${volume.name}]`;
  const refs: Reference[] = [];
  const direct =
    error.kind === 'ConfigMap'
      ? volume.configMap && {
          holder: `${base}.configMap`,
          nameField: 'name',
          name: volume.configMap.name,
          items: volume.configMap.items,
          optional: volume.configMap.optional,
        }
      : volume.secret && {
          holder: `${base}.secret`,
          nameField: 'secretName',
          name: volume.secret.secretName,
          items: volume.secret.items,
          optional: volume.secret.optional,
        };
  const candidates: {
    holder: string;
    nameField: string;
    name: string | undefined;
    items: { key: string }[] | undefined;
    optional: boolean | undefined;
  }[] = direct ? [direct] : [];
  const sources = (volume.projected?.['sources'] ?? []) as Record<
    string,
    { name?: string; items?: { key: string }[]; optional?: boolean } | undefined
  >[];
  sources.forEach((source, index) => {
    const projected = source[error.kind === 'ConfigMap' ? 'configMap' : 'secret'];
    if (projected)
      candidates.push({
        holder: `${base}.projected.sources[${index}].${error.kind === 'ConfigMap' ? 'configMap' : 'secret'}`,
        nameField: 'name',
        name: projected.name,
        items: projected.items,
        optional: projected.optional,
      });
  });
  for (const c of candidates) {
    if (c.optional || (error.name !== '' && c.name !== error.name)) continue;
    if (error.key === undefined) {
      refs.push({ path: `${c.holder}.${c.nameField}`, holder: c.holder });
    } else if (c.items?.some((item) => item.key === error.key)) {
      refs.push({
        path: `${c.holder}.items[key=${error.key}].key`,
        holder: c.holder,
        keyPath: `${c.holder}.items[key=${error.key}].key`,
      });
    }
  }
  return refs;
}

/** Every key this pod reads from the object, so a created object starts with the right keys. */
function keysReadFrom(pod: Pod, kind: RefKind, name: string): string[] {
  const keys = new Set<string>();
  for (const c of podContainers(pod)) {
    for (const env of c.spec?.env ?? []) {
      const ref = kind === 'ConfigMap' ? env.valueFrom?.configMapKeyRef : env.valueFrom?.secretKeyRef;
      if (ref?.name === name) keys.add(ref.key);
    }
  }
  for (const volume of pod.spec?.volumes ?? []) {
    const source = kind === 'ConfigMap' ? volume.configMap : volume.secret;
    const sourceName = kind === 'ConfigMap' ? volume.configMap?.name : volume.secret?.secretName;
    if (source && sourceName === name) for (const item of source.items ?? []) keys.add(item.key);
  }
  return [...keys];
}

function lookup(
  view: ClusterView,
  kind: RefKind,
  namespace: string | undefined,
  name: string,
): KeyedObject | undefined {
  return view.get(kind, namespace, name);
}

function fixesFor(
  pod: Pod,
  view: ClusterView,
  error: ConfigError,
  ref: Reference | undefined,
): FixSuggestion[] {
  const namespace = pod.metadata?.namespace;
  const fixes: FixSuggestion[] = [];
  const label = `${error.kind} ${namespace ?? ''}/${error.name}`;
  if (error.key !== undefined) {
    const object = lookup(view, error.kind, namespace, error.name);
    if (object && ref?.keyPath) {
      for (const key of rankBySimilarity(error.key, object.keys).slice(0, MAX_KEY_FIXES)) {
        fixes.push({
          title: `Use key '${key}' (${label} has: ${object.keys.join(', ')})`,
          changes: [{ op: 'set', root: 'podSpec', path: ref.keyPath, value: key }],
        });
      }
    }
  } else if (ref && !view.isUnavailable(error.kind, namespace)) {
    const names = view.list(error.kind, namespace).map((o) => o.metadata?.name ?? '');
    for (const name of similarNames(error.name, names).slice(0, MAX_KEY_FIXES)) {
      fixes.push({
        title: `Use existing ${error.kind} '${name}'`,
        changes: [{ op: 'set', root: 'podSpec', path: ref.path, value: name }],
      });
    }
  }
  if (error.key === undefined) {
    const keys = keysReadFrom(pod, error.kind, error.name);
    const object =
      error.kind === 'ConfigMap'
        ? {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: error.name, namespace },
            data: Object.fromEntries(keys.map((k) => [k, ''])),
          }
        : {
            apiVersion: 'v1',
            kind: 'Secret',
            type: 'Opaque',
            metadata: { name: error.name, namespace },
            stringData: Object.fromEntries(keys.map((k) => [k, ''])),
          };
    fixes.push({
      title: `Create ${label}${keys.length ? ` with key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}` : ''}`,
      changes: [],
      create: [object],
    });
  }
  if (ref) {
    fixes.push({
      title: 'Mark the reference optional (the pod starts without it)',
      changes: [{ op: 'set', root: 'podSpec', path: `${ref.holder}.optional`, value: true }],
    });
  }
  return fixes;
}

function describeError(error: ConfigError, namespace: string | undefined): string {
  const object = `${error.kind} ${namespace ?? ''}/${error.name}`;
  return error.key === undefined ? `${object} does not exist` : `${object} has no key '${error.key}'`;
}

/** The CreateContainerConfigError text of a container: its waiting message, else its newest `Failed` event. */
function containerConfigError(
  container: PodContainer,
  events: readonly KubeEvent[],
): { message: string; events: KubeEvent[] } | undefined {
  const waiting = container.status?.state?.waiting;
  if (waiting?.reason !== 'CreateContainerConfigError') return undefined;
  const related = events.filter((e) => {
    const target = eventContainer(e);
    return (
      e.reason === 'Failed' &&
      target?.kind === container.kind &&
      target.name === container.name &&
      eventMessage(e).startsWith('Error: ')
    );
  });
  const fromEvent = related.at(-1);
  const message = waiting.message
    ? sanitizeText(waiting.message)
    : fromEvent
      ? eventMessage(fromEvent).slice('Error: '.length)
      : '';
  return message ? { message, events: related } : undefined;
}

function envFindings(pod: Pod, view: ClusterView, events: readonly KubeEvent[]): Finding[] {
  const findings: Finding[] = [];
  const namespace = pod.metadata?.namespace;
  for (const container of podContainers(pod)) {
    const found = containerConfigError(container, events);
    const error = found && parseConfigError(found.message);
    if (!found || !error) continue;
    const refs = envReferences(container, error);
    const evidence = [
      `${container.name}: CreateContainerConfigError: ${found.message}`,
      ...found.events.map(describeEvent),
    ];
    const lastSeen = newestEventTime(found.events);
    const targets: (Reference | undefined)[] = refs.length ? refs : [undefined];
    for (const ref of targets) {
      findings.push(
        podFinding(pod, {
          code: codeFor(error),
          message: `Container "${container.name}" cannot start: ${describeError(error, namespace)}`,
          phase: 'Preparation',
          container,
          paths: [...(ref ? [ref.path, ref.holder] : []), `${container.path}.name`],
          evidence,
          fixes: fixesFor(pod, view, error, ref),
          lastSeen,
        }),
      );
    }
  }
  return findings;
}

/** True when the view shows the event is stale (the object, or the key, exists now). */
function contradicted(view: ClusterView, namespace: string | undefined, error: ConfigError): boolean {
  if (view.isUnavailable(error.kind, namespace)) return false;
  const object = lookup(view, error.kind, namespace, error.name);
  if (error.key === undefined) return object !== undefined;
  return object === undefined || object.keys.includes(error.key);
}

function mountFindings(pod: Pod, view: ClusterView, events: readonly KubeEvent[]): Finding[] {
  // Mounting happens before any container starts; once the pod runs, old FailedMount events are history.
  if (pod.status?.phase !== undefined && pod.status.phase !== 'Pending') return [];
  const namespace = pod.metadata?.namespace;
  const failures = new Map<
    string,
    { volume: Volume; error: ConfigError; events: KubeEvent[]; text: string }
  >();
  for (const event of events) {
    if (event.reason !== 'FailedMount') continue;
    const match = MOUNT_FAILED.exec(eventMessage(event));
    if (!match) continue;
    const volume = pod.spec?.volumes?.find((v) => v.name === match[1]);
    const parsed = parseConfigError(match[2] ?? '');
    if (!volume || !parsed) continue;
    // Key errors do not name the object: it is the volume's own source.
    const sourceName = parsed.kind === 'ConfigMap' ? volume.configMap?.name : volume.secret?.secretName;
    const error: ConfigError = parsed.name === '' && sourceName ? { ...parsed, name: sourceName } : parsed;
    const id = `${volume.name}\n${match[2] ?? ''}`;
    const entry = failures.get(id) ?? { volume, error, events: [], text: match[2] ?? '' };
    entry.events.push(event);
    failures.set(id, entry);
  }
  const findings: Finding[] = [];
  for (const { volume, error, events: volumeEvents } of failures.values()) {
    if (contradicted(view, namespace, error)) continue;
    const refs = volumeReferences(volume, error);
    const ref = refs[0];
    const users = podContainers(pod).filter((c) => c.spec?.volumeMounts?.some((m) => m.name === volume.name));
    const mounts = users.map(
      (c) =>
        `mounted by ${c.kind === 'initContainers' ? 'init container' : 'container'} "${c.name}" at ${c.spec?.volumeMounts?.find((m) => m.name === volume.name)?.mountPath ?? '?'}`,
    );
    findings.push(
      podFinding(pod, {
        code: codeFor(error),
        message: `Volume "${volume.name}" cannot be mounted: ${describeError(error, namespace)}`,
        phase: 'Preparation',
        paths: [...refs.map((r) => r.path), ...(ref ? [ref.holder] : []), `volumes[name=${volume.name}]`],
        evidence: [
          ...volumeEvents.map(describeEvent),
          ...(mounts.length ? [`Volume "${volume.name}" is ${mounts.join(', ')}`] : []),
        ],
        fixes: fixesFor(pod, view, error, ref),
        lastSeen: newest(newestEventTime(volumeEvents)),
      }),
    );
  }
  return findings;
}

/** configmap-missing, configmap-key-missing, secret-missing, secret-key-missing for one pod. */
export function configRefFindings(pod: Pod, view: ClusterView): Finding[] {
  const events = view.eventsFor('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '');
  return [...envFindings(pod, view, events), ...mountFindings(pod, view, events)];
}

// Server-side printing: the meta.k8s.io/v1 Table kube-apiserver returns when kubectl asks for
// `as=Table`. Columns and cells follow pkg/printers/internalversion/printers.go (1.32); pod
// cells come from kube/podStatus so the tree view and `kubectl get pods` cannot disagree.
import { translateTimestampSince, humanDuration, parseTimestamp } from '../../kube/humanDuration';
import type { KubeObject, LabelSelector } from '../../kube/types';
import { formatLabelSelector } from '../../kube/labelSelector';
import { podRow, podWideColumns } from '../../kube/podStatus';
import type { ResourceType } from '../objectStore';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

type Cell = string | number | boolean;

interface Printer {
  columns: [name: string, type: string, priority?: number, format?: string][];
  cells(object: KubeObject, now: number): Cell[];
}

const obj = (o: unknown): Record<string, unknown> =>
  o && typeof o === 'object' ? (o as Record<string, unknown>) : {};
const arr = (o: unknown): unknown[] => (Array.isArray(o) ? o : []);
const str = (o: unknown): string =>
  typeof o === 'string' ? o : typeof o === 'number' || typeof o === 'boolean' ? String(o) : '';
const num = (o: unknown): number => (typeof o === 'number' ? o : 0);
// Stored objects passed validation, so a present selector has the LabelSelector shape.
const selectorOf = (o: unknown): LabelSelector | undefined => (o && typeof o === 'object' ? o : undefined);
const orNone = (s: string): string => (s === '' ? '<none>' : s);
const age = (o: KubeObject, now: number): string =>
  translateTimestampSince(o.metadata?.creationTimestamp, now);

function containersAndImages(template: unknown): [string, string] {
  const containers = arr(obj(obj(template)['spec'])['containers']).map(obj);
  return [containers.map((c) => str(c['name'])).join(','), containers.map((c) => str(c['image'])).join(',')];
}

function formatMap(map: unknown): string {
  const entries = Object.entries(obj(map)).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([k, v]) => `${k}=${str(v)}`).join(',') : '<none>';
}

const workloadWide = (o: KubeObject): Cell[] => {
  const spec = obj(o['spec']);
  const [containers, images] = containersAndImages(spec['template']);
  return [containers, images, formatLabelSelector(selectorOf(spec['selector']))];
};

function eventSource(e: KubeObject): string {
  const source = obj(e['source']);
  const component = str(source['component']) || str(e['reportingComponent']);
  const host = str(source['host']) || str(e['reportingInstance']);
  if (!component) return '<none>';
  return host ? `${component}, ${host}` : component;
}

function eventTimes(e: KubeObject, now: number): { last: string; first: string; count: number } {
  let first = translateTimestampSince(str(e['firstTimestamp']) || undefined, now);
  if (!parseTimestamp(str(e['firstTimestamp'])))
    first = translateTimestampSince(str(e['eventTime']) || undefined, now);
  let last = translateTimestampSince(str(e['lastTimestamp']) || undefined, now);
  if (!parseTimestamp(str(e['lastTimestamp']))) last = first;
  let count = num(e['count']);
  const series = e['series'] ? obj(e['series']) : undefined;
  if (series) {
    last = translateTimestampSince(str(series['lastObservedTime']) || undefined, now);
    count = num(series['count']);
  } else if (count > 1) {
    last = `${last} (x${count} over ${first})`;
  }
  return { last, first, count };
}

function nodeStatus(node: KubeObject): string {
  const conditions = arr(obj(node['status'])['conditions']).map(obj);
  const ready = conditions.find((c) => c['type'] === 'Ready');
  const parts = [
    !ready
      ? 'Unknown'
      : ready['status'] === 'True'
        ? 'Ready'
        : ready['status'] === 'False'
          ? 'NotReady'
          : 'Unknown',
  ];
  if (obj(node['spec'])['unschedulable']) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: KubeObject): string {
  const roles: string[] = [];
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/')) roles.push(key.slice('node-role.kubernetes.io/'.length));
    else if (key === 'kubernetes.io/role' && value) roles.push(value);
  }
  return roles.length ? roles.sort().join(',') : '<none>';
}

function nodeAddress(node: KubeObject, type: string): string {
  const address = arr(obj(node['status'])['addresses'])
    .map(obj)
    .find((a) => a['type'] === type);
  return address ? str(address['address']) : '<none>';
}

function servicePorts(svc: KubeObject): string {
  const ports = arr(obj(svc['spec'])['ports']).map(obj);
  if (!ports.length) return '<none>';
  return ports
    .map(
      (p) =>
        `${num(p['port'])}${p['nodePort'] ? `:${num(p['nodePort'])}` : ''}/${str(p['protocol']) || 'TCP'}`,
    )
    .join(',');
}

function serviceExternalIp(svc: KubeObject): string {
  const spec = obj(svc['spec']);
  const type = str(spec['type']) || 'ClusterIP';
  const external = arr(spec['externalIPs']).map(str);
  const ingress = arr(obj(obj(svc['status'])['loadBalancer'])['ingress'])
    .map(obj)
    .map((i) => str(i['ip']) || str(i['hostname']));
  if (type === 'ExternalName') return str(spec['externalName']);
  if (type === 'LoadBalancer') {
    const all = [...ingress, ...external];
    return all.length ? all.join(',') : '<pending>';
  }
  return external.length ? external.join(',') : '<none>';
}

function endpointsCell(ep: KubeObject): string {
  const list: string[] = [];
  let total = 0;
  for (const subset of arr(ep['subsets']).map(obj)) {
    const ports = arr(subset['ports']).map(obj);
    for (const address of arr(subset['addresses']).map(obj)) {
      for (const port of ports.length ? ports : [{}]) {
        total++;
        if (list.length < 3)
          list.push(
            port['port'] !== undefined ? `${str(address['ip'])}:${num(port['port'])}` : str(address['ip']),
          );
      }
    }
  }
  if (total === 0 && arr(ep['subsets']).length === 0) return '<none>';
  return total > 3 ? `${list.join(',')} + ${total - 3} more...` : list.join(',');
}

function jobStatus(job: KubeObject): string {
  const conditions = arr(obj(job['status'])['conditions'])
    .map(obj)
    .filter((c) => c['status'] === 'True');
  const has = (type: string): boolean => conditions.some((c) => c['type'] === type);
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobDuration(job: KubeObject, now: number): string {
  const status = obj(job['status']);
  const start = parseTimestamp(str(status['startTime']));
  if (start === undefined) return '';
  const end = parseTimestamp(str(status['completionTime'])) ?? now;
  return humanDuration(end - start);
}

const accessModes = (modes: unknown): string => {
  const short: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  return arr(modes)
    .map((m) => short[str(m)] ?? str(m))
    .join(',');
};

const PRINTERS: Record<string, Printer> = {
  Pod: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Ready', 'string'],
      ['Status', 'string'],
      ['Restarts', 'string'],
      ['Age', 'string'],
      ['IP', 'string', 1],
      ['Node', 'string', 1],
      ['Nominated Node', 'string', 1],
      ['Readiness Gates', 'string', 1],
    ],
    cells: (o, now) => {
      const row = podRow(o, now);
      const wide = podWideColumns(o);
      return [
        o.metadata?.name ?? '',
        row.ready,
        row.status,
        row.restarts,
        age(o, now),
        wide.ip,
        wide.node,
        wide.nominatedNode,
        wide.readinessGates,
      ];
    },
  },
  Event: {
    columns: [
      ['Last Seen', 'string'],
      ['Type', 'string'],
      ['Reason', 'string'],
      ['Object', 'string'],
      ['Subobject', 'string', 1],
      ['Source', 'string', 1],
      ['Message', 'string'],
      ['First Seen', 'string', 1],
      ['Count', 'string', 1],
      ['Name', 'string', 1, 'name'],
    ],
    cells: (e, now) => {
      const involved = obj(e['involvedObject']);
      const times = eventTimes(e, now);
      return [
        times.last,
        str(e['type']),
        str(e['reason']),
        `${str(involved['kind']).toLowerCase()}/${str(involved['name'])}`,
        str(involved['fieldPath']),
        eventSource(e),
        str(e['message']).trim(),
        times.first,
        String(times.count),
        e.metadata?.name ?? '',
      ];
    },
  },
  Deployment: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Ready', 'string'],
      ['Up-to-date', 'integer'],
      ['Available', 'integer'],
      ['Age', 'string'],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const status = obj(o['status']);
      const desired = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
      return [
        o.metadata?.name ?? '',
        `${num(status['readyReplicas'])}/${desired}`,
        num(status['updatedReplicas']),
        num(status['availableReplicas']),
        age(o, now),
        ...workloadWide(o),
      ];
    },
  },
  ReplicaSet: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Desired', 'integer'],
      ['Current', 'integer'],
      ['Ready', 'integer'],
      ['Age', 'string'],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const status = obj(o['status']);
      const desired = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
      return [
        o.metadata?.name ?? '',
        desired,
        num(status['replicas']),
        num(status['readyReplicas']),
        age(o, now),
        ...workloadWide(o),
      ];
    },
  },
  StatefulSet: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Ready', 'string'],
      ['Age', 'string'],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
    ],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const desired = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
      const [containers, images] = containersAndImages(spec['template']);
      return [
        o.metadata?.name ?? '',
        `${num(obj(o['status'])['readyReplicas'])}/${desired}`,
        age(o, now),
        containers,
        images,
      ];
    },
  },
  DaemonSet: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Desired', 'integer'],
      ['Current', 'integer'],
      ['Ready', 'integer'],
      ['Up-to-date', 'integer'],
      ['Available', 'integer'],
      ['Node Selector', 'string'],
      ['Age', 'string'],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
    cells: (o, now) => {
      const s = obj(o['status']);
      const nodeSelector = obj(obj(obj(obj(o['spec'])['template'])['spec'])['nodeSelector']);
      return [
        o.metadata?.name ?? '',
        num(s['desiredNumberScheduled']),
        num(s['currentNumberScheduled']),
        num(s['numberReady']),
        num(s['updatedNumberScheduled']),
        num(s['numberAvailable']),
        formatMap(nodeSelector),
        age(o, now),
        ...workloadWide(o),
      ];
    },
  },
  Job: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Status', 'string'],
      ['Completions', 'string'],
      ['Duration', 'string'],
      ['Age', 'string'],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const succeeded = num(obj(o['status'])['succeeded']);
      const completions =
        typeof spec['completions'] === 'number'
          ? `${succeeded}/${spec['completions']}`
          : `${succeeded}/1 of ${num(spec['parallelism']) || 1}`;
      return [
        o.metadata?.name ?? '',
        jobStatus(o),
        completions,
        jobDuration(o, now),
        age(o, now),
        ...workloadWide(o),
      ];
    },
  },
  CronJob: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Schedule', 'string'],
      ['Timezone', 'string'],
      ['Suspend', 'boolean'],
      ['Active', 'integer'],
      ['Last Schedule', 'string'],
      ['Age', 'string'],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const status = obj(o['status']);
      const jobSpec = obj(obj(spec['jobTemplate'])['spec']);
      const [containers, images] = containersAndImages(jobSpec['template']);
      const last = status['lastScheduleTime']
        ? translateTimestampSince(str(status['lastScheduleTime']), now)
        : '<none>';
      return [
        o.metadata?.name ?? '',
        str(spec['schedule']),
        str(spec['timeZone']) || '<none>',
        spec['suspend'] === true,
        arr(status['active']).length,
        last,
        age(o, now),
        containers,
        images,
        formatLabelSelector(selectorOf(jobSpec['selector'])),
      ];
    },
  },
  Node: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Status', 'string'],
      ['Roles', 'string'],
      ['Age', 'string'],
      ['Version', 'string'],
      ['Internal-IP', 'string', 1],
      ['External-IP', 'string', 1],
      ['OS-Image', 'string', 1],
      ['Kernel-Version', 'string', 1],
      ['Container-Runtime', 'string', 1],
    ],
    cells: (o, now) => {
      const info = obj(obj(o['status'])['nodeInfo']);
      return [
        o.metadata?.name ?? '',
        nodeStatus(o),
        nodeRoles(o),
        age(o, now),
        str(info['kubeletVersion']),
        nodeAddress(o, 'InternalIP'),
        nodeAddress(o, 'ExternalIP'),
        orNone(str(info['osImage'])) === '<none>' ? '<unknown>' : str(info['osImage']),
        orNone(str(info['kernelVersion'])) === '<none>' ? '<unknown>' : str(info['kernelVersion']),
        orNone(str(info['containerRuntimeVersion'])) === '<none>'
          ? '<unknown>'
          : str(info['containerRuntimeVersion']),
      ];
    },
  },
  Service: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Type', 'string'],
      ['Cluster-IP', 'string'],
      ['External-IP', 'string'],
      ['Port(s)', 'string'],
      ['Age', 'string'],
      ['Selector', 'string', 1],
    ],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      return [
        o.metadata?.name ?? '',
        str(spec['type']) || 'ClusterIP',
        orNone(str(spec['clusterIP'])),
        serviceExternalIp(o),
        servicePorts(o),
        age(o, now),
        formatMap(spec['selector']),
      ];
    },
  },
  Endpoints: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Endpoints', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [o.metadata?.name ?? '', endpointsCell(o), age(o, now)],
  },
  EndpointSlice: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['AddressType', 'string'],
      ['Ports', 'string'],
      ['Endpoints', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => {
      const ports = arr(o['ports']).map(obj);
      const addresses = arr(o['endpoints']).flatMap((e) => arr(obj(e)['addresses']).map(str));
      const shown = addresses.slice(0, 3).join(',');
      return [
        o.metadata?.name ?? '',
        str(o['addressType']),
        ports.length
          ? ports.map((p) => (p['port'] === undefined ? '<unset>' : String(num(p['port'])))).join(',')
          : '<unset>',
        addresses.length === 0
          ? '<unset>'
          : addresses.length > 3
            ? `${shown} + ${addresses.length - 3} more...`
            : shown,
        age(o, now),
      ];
    },
  },
  ConfigMap: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Data', 'integer'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [
      o.metadata?.name ?? '',
      Object.keys(obj(o['data'])).length + Object.keys(obj(o['binaryData'])).length,
      age(o, now),
    ],
  },
  Secret: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Type', 'string'],
      ['Data', 'integer'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [
      o.metadata?.name ?? '',
      str(o['type']) || 'Opaque',
      Object.keys(obj(o['data'])).length,
      age(o, now),
    ],
  },
  ServiceAccount: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Secrets', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [o.metadata?.name ?? '', String(arr(o['secrets']).length), age(o, now)],
  },
  Namespace: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Status', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => [o.metadata?.name ?? '', str(obj(o['status'])['phase']) || 'Active', age(o, now)],
  },
  PersistentVolumeClaim: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Status', 'string'],
      ['Volume', 'string'],
      ['Capacity', 'string'],
      ['Access Modes', 'string'],
      ['StorageClass', 'string'],
      ['VolumeAttributesClass', 'string'],
      ['Age', 'string'],
      ['VolumeMode', 'string', 1],
    ],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const status = obj(o['status']);
      const bound = !!spec['volumeName'];
      return [
        o.metadata?.name ?? '',
        o.metadata?.deletionTimestamp ? 'Terminating' : str(status['phase']) || 'Pending',
        str(spec['volumeName']),
        bound ? str(obj(status['capacity'])['storage']) : '',
        bound ? accessModes(status['accessModes']) : '',
        str(spec['storageClassName']) || '<unset>',
        str(spec['volumeAttributesClassName']) || '<unset>',
        age(o, now),
        str(spec['volumeMode']) || '<unset>',
      ];
    },
  },
  PersistentVolume: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Capacity', 'string'],
      ['Access Modes', 'string'],
      ['Reclaim Policy', 'string'],
      ['Status', 'string'],
      ['Claim', 'string'],
      ['StorageClass', 'string'],
      ['VolumeAttributesClass', 'string'],
      ['Reason', 'string'],
      ['Age', 'string'],
      ['VolumeMode', 'string', 1],
    ],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const status = obj(o['status']);
      const claim = obj(spec['claimRef']);
      return [
        o.metadata?.name ?? '',
        str(obj(spec['capacity'])['storage']),
        accessModes(spec['accessModes']),
        str(spec['persistentVolumeReclaimPolicy']),
        o.metadata?.deletionTimestamp ? 'Terminating' : str(status['phase']),
        claim['name'] ? `${str(claim['namespace'])}/${str(claim['name'])}` : '',
        str(spec['storageClassName']),
        str(spec['volumeAttributesClassName']) || '<unset>',
        str(status['reason']),
        age(o, now),
        str(spec['volumeMode']) || '<unset>',
      ];
    },
  },
  PriorityClass: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Value', 'integer'],
      ['Global-Default', 'boolean'],
      ['Age', 'string'],
      ['PreemptionPolicy', 'string'],
    ],
    cells: (o, now) => [
      o.metadata?.name ?? '',
      num(o['value']),
      o['globalDefault'] === true,
      age(o, now),
      str(o['preemptionPolicy']) || 'PreemptLowerPriority',
    ],
  },
  NetworkPolicy: {
    columns: [
      ['Name', 'string', 0, 'name'],
      ['Pod-Selector', 'string'],
      ['Age', 'string'],
    ],
    cells: (o, now) => {
      const selector = formatLabelSelector(selectorOf(obj(o['spec'])['podSelector']));
      return [o.metadata?.name ?? '', selector === '<none>' ? '<none>' : selector, age(o, now)];
    },
  },
};

const DEFAULT_PRINTER: Printer = {
  columns: [
    ['Name', 'string', 0, 'name'],
    ['Age', 'string'],
  ],
  cells: (o, now) => [o.metadata?.name ?? '', age(o, now)],
};

const DESCRIPTIONS: Record<string, string> = {
  Name: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  Age: 'CreationTimestamp is a timestamp representing the server time when this object was created. Represented in RFC3339 form and is in UTC. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
};

function printerFor(kind: string): Printer {
  return PRINTERS[kind] ?? DEFAULT_PRINTER;
}

export function columnDefinitions(kind: string): TableColumnDefinition[] {
  return printerFor(kind).columns.map(([name, type, priority = 0, format = '']) => ({
    name,
    type,
    format,
    description: DESCRIPTIONS[name] ?? name,
    priority,
  }));
}

export function partialObjectMetadata(object: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata ?? {} };
}

/**
 * One row. Cells are printed from the stored object; `shown` is the object as the requested API
 * version presents it (events.k8s.io events), which is what the row embeds.
 */
export function tableRow(
  resource: ResourceType,
  object: KubeObject,
  now: number,
  include: IncludeObject,
  shown: KubeObject = object,
): TableRow {
  const cells = printerFor(resource.kind).cells(object, now);
  if (include === 'None') return { cells };
  return { cells, object: include === 'Object' ? shown : partialObjectMetadata(shown) };
}

export interface TableOptions {
  include: IncludeObject;
  noHeaders?: boolean;
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export function toTable(
  resource: ResourceType,
  objects: readonly KubeObject[],
  now: number,
  options: TableOptions,
  view: (o: KubeObject) => KubeObject = (o) => o,
): KubeObject {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      resourceVersion: options.resourceVersion,
      ...(options.continueToken ? { continue: options.continueToken } : {}),
      ...(options.remainingItemCount !== undefined ? { remainingItemCount: options.remainingItemCount } : {}),
    },
    columnDefinitions: options.noHeaders ? null : columnDefinitions(resource.kind),
    rows: objects.map((o) => tableRow(resource, o, now, options.include, view(o))),
  };
}

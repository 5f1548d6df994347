// pod-create-forbidden: a ReplicaSet or Job whose pods the apiserver refuses to create
// (FailedCreate, catalog §19: quota, LimitRange, ServiceAccount, PriorityClass, PodSecurity).
import type { ClusterView } from '../../kube/clusterView';
import type { Finding, FixSuggestion } from '../finding';
import type { FieldChange } from '../../kube/fieldChange';
import type { Container, Job, KubeEvent, PodSpec, ReplicaSet } from '../../kube/types';
import { controllerOf } from '../../kube/ownership';
import { formatCpu, formatMemory, parseQuantity } from '../../kube/quantity';
import { sanitizeText } from '../../kube/sanitize';
import { rankBySimilarity } from './closestNames';
import { describeEvent, eventMessage, newestEventTime } from './eventText';
import { containerPath } from './podContainers';
import { controllerFinding } from './controllerFinding';

const EXCEEDED_QUOTA = /exceeded quota: ([^,]+), requested: (.+?), used: (.+?), limited: (.+)$/;
const FAILED_QUOTA = /failed quota: ([^:]+): (.+)$/;
const MUST_SPECIFY = /(?:must specify )?([\w./-]+) for: ([\w.,-]+)/g;
const SERVICE_ACCOUNT = /error looking up service account ([^/\s]+)\/(\S+):/;
const PRIORITY_CLASS = /no PriorityClass with name (\S+) was found/;
const POD_SECURITY = /violates PodSecurity "([^"]+)": (.*)$/s;
const POD_SECURITY_CLAUSE =
  /\((?:pod or )?containers? ((?:"[^"]+"(?:,? (?:and )?)?)+) must set (securityContext\.[\w.]+)(?:=(\S+)| to "([^"]+)")?/;

function parseResourceList(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of text.split(',')) {
    const [name, value] = part.split('=');
    if (name && value) map.set(name.trim(), value.trim());
  }
  return map;
}

function parseValue(text: string | undefined, quoted: string | undefined): unknown {
  if (quoted !== undefined) return quoted;
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

interface Forbidden {
  paths: string[];
  fixes: FixSuggestion[];
  what: string;
}

function templateContainers(spec: PodSpec | undefined): Container[] {
  return spec?.containers ?? [];
}

/** Which fields the admission message names, and fixes computed from the template and the view. */
export function explainForbidden(
  message: string,
  template: PodSpec | undefined,
  view: ClusterView,
): Forbidden | undefined {
  const containers = templateContainers(template);
  const exceeded = EXCEEDED_QUOTA.exec(message);
  if (exceeded) {
    const requested = parseResourceList(exceeded[2] ?? '');
    const used = parseResourceList(exceeded[3] ?? '');
    const limited = parseResourceList(exceeded[4] ?? '');
    const paths: string[] = [];
    const fixes: FixSuggestion[] = [];
    for (const resource of requested.keys()) {
      const field = /^(requests|limits)\.(.+)$/.exec(resource);
      if (!field) continue;
      for (const c of containers)
        paths.push(`${containerPath('containers', c.name)}.resources.${field[1] ?? ''}.${field[2] ?? ''}`);
      const room = (parseQuantity(limited.get(resource)) ?? 0) - (parseQuantity(used.get(resource)) ?? 0);
      const only = containers.length === 1 ? containers[0] : undefined;
      if (only && room > 0 && (field[2] === 'memory' || field[2] === 'cpu')) {
        const value = field[2] === 'memory' ? formatMemory(room) : formatCpu(room * 1000);
        fixes.push({
          title: `Fit the quota ${exceeded[1] ?? ''}: ${resource} ${value} (${used.get(resource) ?? '?'} of ${limited.get(resource) ?? '?'} used)`,
          changes: [
            {
              op: 'set',
              root: 'podSpec',
              path: `${containerPath('containers', only.name)}.resources.${field[1] ?? ''}.${field[2]}`,
              value,
            },
          ],
        });
      }
    }
    return {
      paths: [...paths, ...resourcesOrContainer(containers)],
      fixes,
      what: `it exceeds ResourceQuota ${exceeded[1] ?? ''}`,
    };
  }
  const failed = FAILED_QUOTA.exec(message);
  if (failed) {
    const paths: string[] = [];
    const changes: FieldChange[] = [];
    for (const match of (failed[2] ?? '').matchAll(MUST_SPECIFY)) {
      const field = /^(requests|limits)\.(.+)$/.exec(match[1] ?? '');
      if (!field) continue;
      for (const name of (match[2] ?? '').split(',')) {
        const path = `${containerPath('containers', name)}.resources.${field[1] ?? ''}.${field[2] ?? ''}`;
        paths.push(path);
        // A missing limit can start equal to the request the author already chose.
        const request =
          field[1] === 'limits'
            ? containers.find((c) => c.name === name)?.resources?.requests?.[field[2] ?? '']
            : undefined;
        if (request) changes.push({ op: 'set', root: 'podSpec', path, value: request });
      }
    }
    const fixes = changes.length ? [{ title: 'Set the missing limits equal to the requests', changes }] : [];
    return {
      paths: [...paths, ...resourcesOrContainer(containers)],
      fixes,
      what: `ResourceQuota ${failed[1] ?? ''} requires ${paths.length ? 'resource limits the template does not set' : 'resources'}`,
    };
  }
  const serviceAccount = SERVICE_ACCOUNT.exec(message);
  if (serviceAccount) {
    return {
      paths: ['serviceAccountName', 'serviceAccount'],
      fixes: [
        {
          title: `Use the namespace's default ServiceAccount (ServiceAccount ${serviceAccount[2] ?? ''} does not exist)`,
          changes: [{ op: 'remove', root: 'podSpec', path: 'serviceAccountName' }],
        },
      ],
      what: `ServiceAccount ${serviceAccount[1] ?? ''}/${serviceAccount[2] ?? ''} does not exist`,
    };
  }
  const priorityClass = PRIORITY_CLASS.exec(message);
  if (priorityClass) {
    const wanted = priorityClass[1] ?? '';
    const existing = view.isUnavailable('PriorityClass')
      ? []
      : view.list('PriorityClass').map((p) => p.metadata?.name ?? '');
    return {
      paths: ['priorityClassName'],
      fixes: rankBySimilarity(wanted, existing)
        .slice(0, 3)
        .map((name) => ({
          title: `Use existing PriorityClass '${name}'`,
          changes: [{ op: 'set', root: 'podSpec', path: 'priorityClassName', value: name }],
        })),
      what: `PriorityClass ${wanted} does not exist`,
    };
  }
  const podSecurity = POD_SECURITY.exec(message);
  if (podSecurity) {
    const paths: string[] = [];
    const changes: FieldChange[] = [];
    for (const clause of (podSecurity[2] ?? '').matchAll(/\(([^()]*)\)/g)) {
      const match = POD_SECURITY_CLAUSE.exec(`(${clause[1] ?? ''}`);
      if (!match) continue;
      const names = [...(match[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '');
      const value = parseValue(match[3], match[4]);
      for (const name of names) {
        const path = `${containerPath('containers', name)}.${match[2] ?? ''}`;
        paths.push(path);
        if (value !== undefined) changes.push({ op: 'set', root: 'podSpec', path, value });
      }
    }
    return {
      paths: [
        ...paths,
        ...containers.map((c) => `${containerPath('containers', c.name)}.securityContext`),
        'securityContext',
      ],
      fixes: changes.length ? [{ title: `Meet PodSecurity "${podSecurity[1] ?? ''}"`, changes }] : [],
      what: `it violates PodSecurity "${podSecurity[1] ?? ''}"`,
    };
  }
  return undefined;
}

/** pod-create-forbidden for a ReplicaSet or Job whose FailedCreate says the apiserver refused the pods. */
export function failedCreateFindings(
  owner: ReplicaSet | Job,
  kind: 'ReplicaSet' | 'Job',
  view: ClusterView,
): Finding[] {
  const namespace = owner.metadata?.namespace;
  const name = owner.metadata?.name ?? '';
  const events = view.eventsFor(kind, namespace, name).filter((e) => e.reason === 'FailedCreate');
  const condition = owner.status?.conditions?.find(
    (c) => c.type === 'ReplicaFailure' && c.status === 'True' && c.reason === 'FailedCreate',
  );
  if (kind === 'ReplicaSet') {
    const rs = owner;
    // Without the condition, FailedCreate events only matter while replicas are still missing.
    if (!condition && (rs.status?.replicas ?? 0) >= (rs.spec?.replicas ?? 1)) return [];
  } else {
    // A Job that finished, or that has pods running now, got past its FailedCreate.
    const status: Job['status'] = owner.status;
    const finished = status?.conditions?.some(
      (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
    if (finished || (status?.active ?? 0) > 0) return [];
  }
  const latest: KubeEvent | undefined = events.at(-1);
  const text = condition?.message
    ? sanitizeText(condition.message)
    : latest
      ? eventMessage(latest).replace(/^Error creating: /, '')
      : '';
  if (!text.includes('is forbidden')) return [];
  let template = owner.spec?.template?.spec;
  if (!template?.containers?.length) {
    // The ReplicaSet's copy can be empty in a trimmed snapshot; the Deployment holds the same template.
    const parent = controllerOf(owner);
    if (parent?.kind === 'Deployment')
      template = view.get('Deployment', namespace, parent.name)?.spec?.template?.spec ?? template;
  }
  const explained = explainForbidden(text, template, view);
  const cronJob = kind === 'Job' && controllerOf(owner)?.kind === 'CronJob';
  const templatePath = cronJob ? 'spec.jobTemplate.spec.template' : 'spec.template';
  return [
    controllerFinding(owner, kind, {
      code: 'pod-create-forbidden',
      message: `${kind} ${name} cannot create pods: ${explained?.what ?? 'the apiserver refuses them'}`,
      phase: 'Preparation',
      blame: explained?.paths.length
        ? { root: 'podSpec', paths: explained.paths }
        : { root: 'object', paths: [templatePath] },
      evidence: [...(condition ? [`ReplicaFailure: ${text}`] : []), ...events.slice(-1).map(describeEvent)],
      fixes: explained?.fixes ?? [],
      lastSeen: newestEventTime(events) ?? condition?.lastTransitionTime,
    }),
  ];
}

/**
 * Where a quota failure points when the template does not set the field the quota names: each
 * container's `resources`, else the container's own entry.
 */
function resourcesOrContainer(containers: readonly { name: string }[]): string[] {
  return [
    ...containers.map((c) => `${containerPath('containers', c.name)}.resources`),
    ...containers.map((c) => `${containerPath('containers', c.name)}.name`),
  ];
}

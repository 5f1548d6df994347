// Image pull failures (catalog §5). The waiting state alternates between ErrImagePull (with the
// runtime's error) and ImagePullBackOff (whose message has the error only on kubelet 1.32+), so the
// newest `Failed to pull image` event is read as well. Network and TLS failures are not a manifest
// problem and get no finding here.
import type { ClusterView } from '../../kube/clusterView';
import type { Finding, FindingCode, FixSuggestion } from '../finding';
import type { KubeEvent, Pod } from '../../kube/types';
import { sanitizeText } from '../../kube/sanitize';
import { describeEvent, eventContainer, eventMessage, newestEventTime } from './eventText';
import { podFinding } from './findingBase';
import type { PodContainer } from './podContainers';
import { podContainers } from './podContainers';
import { ranBefore } from './workloadHistory';

const PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const UNAUTHORIZED =
  /pull access denied|401 Unauthorized|403 Forbidden|authorization failed|no basic auth credentials|unauthorized: authentication required|failed to authorize|insufficient_scope/i;
const NOT_FOUND = /: not found|manifest unknown|code = NotFound|not found: manifest/i;
const MISSING_PULL_SECRETS = /^Unable to retrieve some image pull secrets \(([^)]*)\)/;

/** Classify the runtime's pull error. */
export function classifyPullError(reason: string, text: string): FindingCode | undefined {
  if (reason === 'InvalidImageName') return 'image-invalid';
  if (reason === 'ErrImageNeverPull') return 'image-never-pulled';
  // Docker Hub answers "pull access denied" for a private and for a missing repository alike;
  // credentials are the likelier fix, and the message says both.
  if (UNAUTHORIZED.test(text)) return 'image-pull-unauthorized';
  if (NOT_FOUND.test(text)) return 'image-not-found';
  return undefined;
}

/** `Nginx:1.27` → `nginx:1.27`: registry and repository must be lower case; the tag may not be. */
export function lowercaseRepository(image: string): string {
  const digest = image.indexOf('@');
  const named = digest >= 0 ? image.slice(0, digest) : image;
  const rest = digest >= 0 ? image.slice(digest) : '';
  const colon = named.lastIndexOf(':');
  const tagged = colon > named.lastIndexOf('/');
  const repository = tagged ? named.slice(0, colon) : named;
  const tag = tagged ? named.slice(colon) : '';
  return repository.toLowerCase() + tag + rest;
}

function containerEvents(events: readonly KubeEvent[], container: PodContainer): KubeEvent[] {
  return events.filter((e) => {
    const target = eventContainer(e);
    return target?.kind === container.kind && target.name === container.name;
  });
}

function messageFor(
  code: FindingCode,
  container: PodContainer,
  image: string,
  missingSecrets: string | undefined,
): string {
  const who = `${container.kind === 'initContainers' ? 'Init container' : 'Container'} "${container.name}"`;
  switch (code) {
    case 'image-invalid':
      return `${who}: image "${image}" is not a valid image reference`;
    case 'image-never-pulled':
      return `${who}: image "${image}" is not on the node and imagePullPolicy is Never`;
    case 'image-pull-unauthorized':
      return `${who}: pulling image "${image}" was denied: the registry needs credentials (imagePullSecrets)${missingSecrets ? `, and pull secret ${missingSecrets} does not exist` : ''}, or the repository does not exist`;
    default:
      return `${who}: image "${image}" was not found in the registry (no such tag or repository)`;
  }
}

function fixesFor(
  pod: Pod,
  view: ClusterView,
  code: FindingCode,
  container: PodContainer,
  image: string,
  missingSecrets: string | undefined,
): FixSuggestion[] {
  const fixes: FixSuggestion[] = [];
  const imagePath = `${container.path}.image`;
  if (code === 'image-never-pulled') {
    fixes.push({
      title: 'Let the kubelet pull the image (imagePullPolicy: IfNotPresent)',
      changes: [
        { op: 'set', root: 'podSpec', path: `${container.path}.imagePullPolicy`, value: 'IfNotPresent' },
      ],
    });
  }
  const before = ranBefore(
    pod,
    view,
    container.kind,
    container.name,
    (c) => c.image !== undefined && c.image !== image,
  );
  if (before?.container.image && code !== 'image-never-pulled') {
    fixes.push({
      title: `Use the image that last ran: ${before.container.image} (${before.source})`,
      changes: [{ op: 'set', root: 'podSpec', path: imagePath, value: before.container.image }],
    });
  }
  if (code === 'image-invalid') {
    const lower = lowercaseRepository(image);
    if (lower !== image)
      fixes.push({
        title: `Use "${lower}" (repositories are lower case)`,
        changes: [{ op: 'set', root: 'podSpec', path: imagePath, value: lower }],
      });
  }
  if (code === 'image-pull-unauthorized' && !view.isUnavailable('Secret', pod.metadata?.namespace)) {
    const pullSecrets = view
      .list('Secret', pod.metadata?.namespace)
      .filter((s) => s.type === 'kubernetes.io/dockerconfigjson' || s.type === 'kubernetes.io/dockercfg')
      .map((s) => s.metadata?.name ?? '');
    const referenced = new Set((pod.spec?.imagePullSecrets ?? []).map((s) => s.name));
    const missing = missingSecrets?.split(/[ ,]+/).filter((s) => s !== '') ?? [];
    for (const name of pullSecrets.filter((s) => !referenced.has(s))) {
      const wrong = missing[0];
      fixes.push(
        wrong && referenced.has(wrong)
          ? {
              title: `Use existing pull secret '${name}' instead of '${wrong}'`,
              changes: [
                { op: 'set', root: 'podSpec', path: `imagePullSecrets[name=${wrong}].name`, value: name },
              ],
            }
          : {
              title: `Add existing pull secret '${name}' to imagePullSecrets`,
              changes: [{ op: 'append', root: 'podSpec', path: 'imagePullSecrets', value: { name } }],
            },
      );
    }
  }
  return fixes;
}

/** image-not-found, image-pull-unauthorized, image-invalid, image-never-pulled for one pod. */
export function imagePullFindings(pod: Pod, view: ClusterView): Finding[] {
  const events = view.eventsFor('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '');
  const missingSecretEvent = events.filter((e) => e.reason === 'FailedToRetrieveImagePullSecret').at(-1);
  const missingSecrets = missingSecretEvent
    ? MISSING_PULL_SECRETS.exec(eventMessage(missingSecretEvent))?.[1]
    : undefined;
  const findings: Finding[] = [];
  for (const container of podContainers(pod)) {
    const waiting = container.status?.state?.waiting;
    if (!waiting?.reason || !PULL_REASONS.has(waiting.reason)) continue;
    const own = containerEvents(events, container);
    const pullFailures = own.filter(
      (e) => e.reason === 'Failed' && eventMessage(e).startsWith('Failed to pull image'),
    );
    const other = own.filter((e) => e.reason === 'InspectFailed' || e.reason === 'ErrImageNeverPull');
    const waitingMessage = sanitizeText(waiting.message ?? '');
    const text = [
      waitingMessage,
      ...pullFailures.slice(-1).map(eventMessage),
      ...other.map(eventMessage),
    ].join('\n');
    const code = classifyPullError(waiting.reason, text);
    if (!code) continue;
    const image = container.spec?.image ?? container.status?.image ?? '';
    const unauthorized = code === 'image-pull-unauthorized';
    const evidenceEvents = [
      ...pullFailures.slice(-1),
      ...other,
      ...(unauthorized && missingSecretEvent ? [missingSecretEvent] : []),
    ];
    findings.push(
      podFinding(pod, {
        code,
        message: messageFor(code, container, image, unauthorized ? missingSecrets : undefined),
        phase: 'Preparation',
        container,
        paths:
          code === 'image-never-pulled'
            ? [`${container.path}.imagePullPolicy`, `${container.path}.image`, `${container.path}.name`]
            : [
                `${container.path}.image`,
                ...(unauthorized ? ['imagePullSecrets'] : []),
                `${container.path}.name`,
              ],
        evidence: [
          `${container.name}: ${waiting.reason}${waitingMessage ? `: ${waitingMessage}` : ''}`,
          ...evidenceEvents.map(describeEvent),
        ],
        fixes: fixesFor(pod, view, code, container, image, unauthorized ? missingSecrets : undefined),
        lastSeen: newestEventTime(evidenceEvents),
      }),
    );
  }
  return findings;
}

// runAsNonRoot against an image that runs as root (catalog §3.6): the kubelet refuses to create the
// container, so the pod never starts. The three texts of verifyRunAsNonRoot are matched.
import type { Finding } from '../finding';
import type { ClusterView } from '../../kube/clusterView';
import type { Pod } from '../../kube/types';
import { sanitizeText } from '../../kube/sanitize';
import { describeEvent, eventContainer } from './eventText';
import { newestEventTime } from './eventText';
import { podFinding } from './findingBase';
import { podContainers } from './podContainers';

const WILL_RUN_AS_ROOT = 'container has runAsNonRoot and image will run as root';
const NON_NUMERIC_USER = /container has runAsNonRoot and image has non-numeric user \(([^)]*)\)/;
const RUN_AS_USER_BREAKS = "container's runAsUser breaks non-root policy";

/** A UID outside the range images use for system users; the fix title asks to check the image supports it. */
export const SUGGESTED_UID = 1000;

/** run-as-non-root for one pod. */
export function runAsNonRootFindings(pod: Pod, view: ClusterView): Finding[] {
  const events = view.eventsFor('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '');
  const findings: Finding[] = [];
  for (const container of podContainers(pod)) {
    const waiting = container.status?.state?.waiting;
    if (waiting?.reason !== 'CreateContainerConfigError' || !waiting.message) continue;
    const message = sanitizeText(waiting.message);
    const nonNumeric = NON_NUMERIC_USER.exec(message);
    if (!message.includes(WILL_RUN_AS_ROOT) && !nonNumeric && !message.includes(RUN_AS_USER_BREAKS)) continue;
    const related = events.filter((e) => e.reason === 'Failed' && eventContainer(e)?.name === container.name);
    const own = container.spec?.securityContext;
    const podLevel = pod.spec?.securityContext;
    // The container's own setting wins over the pod's, so blame whichever one is in force.
    const setOnContainer = own?.runAsNonRoot !== undefined;
    const paths = setOnContainer
      ? [`${container.path}.securityContext.runAsNonRoot`, 'securityContext.runAsNonRoot']
      : ['securityContext.runAsNonRoot', `${container.path}.securityContext.runAsNonRoot`];
    const runAsUserBroken = message.includes(RUN_AS_USER_BREAKS);
    const why = runAsUserBroken
      ? 'runAsUser is 0 (root) while runAsNonRoot is set'
      : nonNumeric
        ? `the image's user "${nonNumeric[1] ?? ''}" is not numeric, so the kubelet cannot check it is not root`
        : 'the image runs as root (USER 0 or no USER) while runAsNonRoot is set';
    const userPath =
      own?.runAsUser !== undefined || podLevel?.runAsUser === undefined
        ? `${container.path}.securityContext.runAsUser`
        : 'securityContext.runAsUser';
    findings.push(
      podFinding(pod, {
        code: 'run-as-non-root',
        message: `Container "${container.name}" cannot start: ${why}`,
        phase: 'Preparation',
        container,
        paths: [...paths, `${container.path}.securityContext`, `${container.path}.name`],
        evidence: [
          `${container.name}: CreateContainerConfigError: ${message}`,
          ...related.map(describeEvent),
        ],
        fixes: [
          {
            title: `Run as UID ${SUGGESTED_UID} (check that the image works as a non-root user)`,
            changes: [{ op: 'set', root: 'podSpec', path: userPath, value: SUGGESTED_UID }],
          },
        ],
        lastSeen: newestEventTime(related),
      }),
    );
  }
  return findings;
}

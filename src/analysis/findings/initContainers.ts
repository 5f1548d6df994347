// Init containers that fail (catalog §16): the pod never reaches its regular containers. This is
// the fallback finding; when the init container's failure has a more precise code (a missing
// ConfigMap, a bad image, an OOM kill, a missing executable), analyze.ts keeps that one instead.
import type { ClusterView } from '../../kube/clusterView';
import type { Finding } from '../finding';
import type { Pod } from '../../kube/types';
import { explainExit } from '../exitCodes';
import { sanitizeText } from '../../kube/sanitize';
import type { AnalysisOptions } from './analysisOptions';
import { DEFAULT_LOG_LINES } from './analysisOptions';
import { restoreFix } from './crashLoop';
import { describeEvent, eventContainer, newestEventTime } from './eventText';
import { newest, podFinding, refOf } from './findingBase';
import { podContainers } from './podContainers';

/** Waiting reasons that are not failures of the init container itself. */
const NOT_FAILING = new Set(['PodInitializing', 'ContainerCreating']);

/** init-container-failed for one pod. */
export function initContainerFindings(pod: Pod, view: ClusterView, options: AnalysisOptions = {}): Finding[] {
  if (pod.metadata?.deletionTimestamp) return [];
  const events = view.eventsFor('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '');
  const findings: Finding[] = [];
  for (const container of podContainers(pod)) {
    if (container.kind !== 'initContainers' || container.spec?.restartPolicy === 'Always') continue;
    const status = container.status;
    const current = status?.state?.terminated;
    const waiting = status?.state?.waiting;
    const failedNow = current !== undefined && current.exitCode !== 0;
    const failingWaiting = waiting?.reason !== undefined && !NOT_FAILING.has(waiting.reason);
    if (!failedNow && !failingWaiting) continue;
    const terminated = failedNow ? current : status?.lastState?.terminated;
    const own = events.filter((e) => {
      const target = eventContainer(e);
      return target?.kind === 'initContainers' && target.name === container.name && e.type === 'Warning';
    });
    const explained = terminated ? explainExit(terminated) : undefined;
    const status_ = failedNow
      ? `Init:${current.reason ?? `ExitCode:${current.exitCode}`}`
      : `Init:${waiting?.reason ?? ''}`;
    const logs = options.logs?.(refOf(pod, 'Pod'), container.name, !failedNow);
    const tail = logs?.slice(-(options.logLines ?? DEFAULT_LOG_LINES)).map((l) => sanitizeText(l).trimEnd());
    const spec = container.spec;
    findings.push(
      podFinding(pod, {
        code: 'init-container-failed',
        message: `Init container "${container.name}" fails (${status_}${explained ? `, exit code ${explained.code}${explained.signal ? ` (${explained.signal})` : ''}` : ''}); the pod's containers never start`,
        phase: 'Initialization',
        container,
        paths: [
          ...(spec?.command?.length ? [`${container.path}.command`] : []),
          ...(spec?.args?.length ? [`${container.path}.args`] : []),
          `${container.path}.name`,
        ],
        evidence: [
          ...(terminated
            ? [
                `${container.name}: ${failedNow ? 'terminated' : 'last terminated'}: reason ${terminated.reason ?? '(none)'}, exit code ${terminated.exitCode}${terminated.finishedAt ? ` at ${terminated.finishedAt}` : ''}. ${explained?.meaning ?? ''}`,
              ]
            : []),
          ...(terminated?.message ? [sanitizeText(terminated.message).trim()] : []),
          ...(waiting?.message
            ? [`${container.name}: ${waiting.reason ?? ''}: ${sanitizeText(waiting.message)}`]
            : []),
          ...(spec?.command?.length
            ? [`command: ${JSON.stringify([...spec.command, ...(spec.args ?? [])])}`]
            : []),
          ...own.map(describeEvent),
          ...(tail?.length ? [`last log lines of "${container.name}":\n${tail.join('\n')}`] : []),
        ],
        fixes: restoreFix(pod, view, container),
        lastSeen: newest(newestEventTime(own), terminated?.finishedAt),
      }),
    );
  }
  return findings;
}

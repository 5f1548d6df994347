// Seed 004's runbook for one workload, as a Markdown report: pods → events → describe
// (conditions, state, last state) → logs of the crashed containers → Service endpoints, and last
// the findings with their fixes. Each step shows what it found, so the report reads the way an
// SRE would work through the layers. Pure: the caller reads the logs beforehand.
import { explainExit } from '../analysis/exitCodes';
import type { Finding } from '../analysis/finding';
import type { ClusterView, KindName } from '../kube/clusterView';
import { describePod } from '../kube/describe/describePod';
import { eventList } from '../kube/describe/eventList';
import { matchesServiceSelector } from '../kube/labelSelector';
import { controlledPods } from '../kube/ownership';
import { podAge, podRow } from '../kube/podStatus';
import { DOCUMENT_LIMITS, escapeMarkdown, markdownFence, sanitizeText } from '../kube/sanitize';
import type { EndpointSlice, KubeObject, Pod } from '../kube/types';
import { failedContainers } from './crashLogs';
import { objectEvents } from './objectEvents';

export interface TroubleshootInput {
  view: ClusterView;
  context: string;
  kind: KindName;
  namespace: string;
  name: string;
  /** The workload's current findings (LiveContext.findingsOf). */
  findings: readonly Finding[];
  /** Log tails read for `logsToRead`, by `pod/container`. */
  logs: ReadonlyMap<string, readonly string[]>;
}

const EVENTS_SHOWN = 30;
/** Log lines that usually say why a program stopped. */
const CAUSE =
  /\b(error|fatal|panic|exception|failed|cannot|could not|no such file|not found|denied|refused)\b/i;

/** The containers whose previous (or final) run failed: the logs a report should quote. */
export function logsToRead(view: ClusterView, kind: KindName, namespace: string, name: string) {
  return podsOf(view, kind, namespace, name).flatMap((pod) =>
    failedContainers(pod).map((failed) => ({ pod: pod.metadata?.name ?? '', ...failed })),
  );
}

export function troubleshootReport(input: TroubleshootInput): string {
  const { view, kind, namespace, name } = input;
  const now = view.now();
  const pods = podsOf(view, kind, namespace, name);
  const out: string[] = [`# Troubleshooting ${kind} ${e(namespace)}/${e(name)}`, ''];
  out.push(
    `Context \`${code(input.context)}\`, read from the live cluster at ${new Date(now).toISOString()}.`,
    '',
  );

  out.push('## Summary', '');
  if (input.findings.length === 0) out.push('No failure found: the workload looks healthy.', '');
  for (const f of input.findings)
    out.push(`- **${e(f.message)}** (\`${f.code}\`${f.phase ? `, ${f.phase} phase` : ''})`);
  const causes = causeLines(input.logs);
  for (const { where, line } of causes.slice(0, 3))
    out.push(`- Cause, from the logs of ${e(where)}: \`${code(line)}\``);
  out.push('');

  out.push('## 1. Pods', '');
  if (pods.length === 0) out.push('No pods.', '');
  else {
    out.push('| NAME | READY | STATUS | RESTARTS | AGE |', '| --- | --- | --- | --- | --- |');
    for (const pod of pods) {
      const row = podRow(pod, now);
      out.push(
        `| ${e(pod.metadata?.name ?? '')} | ${row.ready} | ${e(row.status)} | ${e(row.restarts)} | ${podAge(pod, now)} |`,
      );
    }
    out.push('');
  }

  const events = objectEvents(view, kind, namespace, name);
  out.push(`## 2. Events${events.length > EVENTS_SHOWN ? ` (the last ${EVENTS_SHOWN})` : ''}`, '');
  out.push(...fenced(eventList(events.slice(-EVENTS_SHOWN), now)), '');

  out.push('## 3. Describe: conditions, state and last state', '');
  const failing = pods.filter(
    (p) => podRow(p, now).ready.split('/')[0] !== podRow(p, now).ready.split('/')[1],
  );
  for (const pod of (failing.length > 0 ? failing : pods).slice(0, 3)) {
    const text = describePod(view, pod);
    const from = text.indexOf('Containers:');
    const to = text.indexOf('Volumes:');
    out.push(`### ${e(pod.metadata?.name ?? '')}`, '');
    out.push(...fenced(from >= 0 ? text.slice(from, to > from ? to : undefined) : text));
    for (const status of pod.status?.containerStatuses ?? []) {
      const terminated = status.lastState?.terminated ?? status.state?.terminated;
      if (terminated)
        out.push(
          `- ${e(status.name)}: exit code ${terminated.exitCode}: ${e(explainExit(terminated).meaning)}`,
        );
    }
    out.push('');
  }

  out.push('## 4. Logs of the crashed containers (`--previous`)', '');
  if (input.logs.size === 0) out.push('No container has crashed: nothing to read.', '');
  for (const [where, lines] of input.logs) {
    out.push(`### ${e(where)}`, '');
    out.push(...fenced(lines.length > 0 ? lines.join('\n') : '(no output)'), '');
  }

  out.push('## 5. Service endpoints', '');
  const services = view.list('Service', namespace).filter((s) => pods.some((p) => selects(s, p)));
  if (services.length === 0) out.push('No Service selects these pods.', '');
  for (const service of services) {
    const serviceName = service.metadata?.name ?? '';
    const slices = view
      .list('EndpointSlice', namespace)
      .filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === serviceName);
    const { ready, notReady } = endpointCounts(slices);
    const verdict = ready === 0 ? ' — traffic to it has nowhere to go' : '';
    out.push(`- Service **${e(serviceName)}**: ${ready} ready, ${notReady} not ready endpoint(s)${verdict}`);
  }
  out.push('');

  out.push('## Findings and fixes', '');
  if (input.findings.length === 0) out.push('None.', '');
  for (const f of input.findings) {
    out.push(`### \`${f.code}\`: ${e(f.message)}`, '');
    out.push(...fenced(f.evidence.join('\n')));
    for (const fix of f.fixes) out.push(`- Fix: ${e(fix.title)}`);
    out.push('');
  }
  return out.join('\n');
}

function podsOf(view: ClusterView, kind: KindName, namespace: string, name: string): Pod[] {
  const object = view.get(kind, namespace, name);
  if (!object) return [];
  return kind === 'Pod' ? [object as Pod] : controlledPods(view, object, kind);
}

function selects(service: KubeObject, pod: Pod): boolean {
  const selector = (service as { spec?: { selector?: Record<string, string> } }).spec?.selector;
  return matchesServiceSelector(selector, pod.metadata?.labels ?? {});
}

function endpointCounts(slices: readonly EndpointSlice[]): { ready: number; notReady: number } {
  let ready = 0;
  let notReady = 0;
  for (const slice of slices)
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.conditions?.ready === false) notReady += endpoint.addresses.length;
      else ready += endpoint.addresses.length;
    }
  return { ready, notReady };
}

function causeLines(logs: ReadonlyMap<string, readonly string[]>): { where: string; line: string }[] {
  const found: { where: string; line: string }[] = [];
  for (const [where, lines] of logs)
    for (const line of lines) if (CAUSE.test(line)) found.push({ where, line: line.trim() });
  return found;
}

/** Cluster text in a code block whose fence no line of it can close; a whole document fits. */
function fenced(text: string): string[] {
  const clean = sanitizeText(text, DOCUMENT_LIMITS).trimEnd();
  const fence = markdownFence(clean);
  return [fence, clean, fence];
}

function e(text: string): string {
  return escapeMarkdown(text);
}

/** Text for an inline code span: no backticks to break out of it, no newlines. */
function code(text: string): string {
  return sanitizeText(text).replace(/`/g, "'").replace(/\s+/g, ' ');
}

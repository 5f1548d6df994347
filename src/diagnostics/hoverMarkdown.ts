// The hover texts, as Markdown source. Everything quoted from the cluster (event messages, log
// lines, names) is written where Markdown cannot act on it: escaped in prose, fenced in code
// blocks whose fence is longer than any backtick run inside, after terminal escapes are removed.
// Links are only ours: `command:` URIs for the pod commands, with JSON arguments URI-encoded.
// Pure (no vscode): the provider wraps the result in a MarkdownString trusted for POD_COMMANDS only.
import type { FailurePhase, Finding } from '../analysis/finding';
import type { ExitExplanation } from '../analysis/exitCodes';
import { escapeMarkdown, markdownFence, sanitizeText } from '../kube/sanitize';
import type { ObjectSummary } from '../live/objectSummary';
import { problemLabel } from './findingLabels';

/** The commands hovers may run; the MarkdownString trusts exactly these. */
export const POD_COMMANDS = {
  logs: 'podscope.pod.logs',
  previousLogs: 'podscope.pod.logsPrevious',
  describe: 'podscope.pod.describe',
  events: 'podscope.pod.events',
  exec: 'podscope.pod.exec',
  debug: 'podscope.pod.debug',
} as const;

export interface PodTarget {
  context: string;
  namespace: string;
  pod: string;
  container?: string;
}

/** What the hover on a blamed field shows beside the finding itself. */
export interface FindingHover {
  finding: Finding;
  /** The exit of the crashed container, when the finding is about one. */
  exit?: ExitExplanation;
  pod?: PodTarget;
  changedSinceFailure?: { live: string; file: string };
}

const PHASES: Record<FailurePhase, string> = {
  Preparation:
    'Preparation phase: Kubernetes could not get the pod ready to run (scheduling, image, configuration, volumes).',
  Initialization:
    'Initialization phase: the container was setting itself up (configuration, connections); that is the application’s part.',
  Run: 'Run phase: the application started, then failed while doing its work.',
};

const LOG_EVIDENCE = /^last log lines of "([^"]*)":\n/;

/** A fenced block that nothing inside can close. */
export function codeBlock(text: string, language = 'text'): string {
  const clean = sanitizeText(text);
  const fence = markdownFence(clean);
  return `${fence}${language}\n${clean}\n${fence}`;
}

export function commandLink(label: string, command: string, args: unknown): string {
  return `[${label}](command:${command}?${encodeURIComponent(JSON.stringify([args]))})`;
}

export function podLinks(target: PodTarget): string {
  const args = {
    context: target.context,
    namespace: target.namespace,
    pod: target.pod,
    ...(target.container ? { container: target.container } : {}),
  };
  return [
    commandLink('Logs', POD_COMMANDS.logs, args),
    commandLink('Previous logs', POD_COMMANDS.previousLogs, args),
    commandLink('Describe', POD_COMMANDS.describe, args),
    commandLink('Events', POD_COMMANDS.events, args),
    commandLink('Exec', POD_COMMANDS.exec, args),
    commandLink('Debug', POD_COMMANDS.debug, args),
  ].join(' · ');
}

/**
 * The hover on a squiggle. VS Code shows the diagnostic's own message just above it, so the message
 * is not repeated here, and the pod links come first: in a hover of limited height they stay in
 * view, with the evidence and log lines below them.
 */
export function findingMarkdown(hover: FindingHover): string {
  const { finding } = hover;
  const parts: string[] = [];
  parts.push(`**${escapeMarkdown(problemLabel(finding.code))}** · \`${finding.code}\` · ${finding.severity}`);
  if (hover.changedSinceFailure)
    parts.push(
      `_This file changed the field since the failure_ (live: ${escapeMarkdown(hover.changedSinceFailure.live)}, here: ${escapeMarkdown(hover.changedSinceFailure.file)}). Apply it to check.`,
    );
  if (hover.pod) parts.push(`Pod ${escapeMarkdown(hover.pod.pod)}: ${podLinks(hover.pod)}`);
  if (finding.phase) parts.push(escapeMarkdown(PHASES[finding.phase]));
  if (hover.exit) {
    const signal = hover.exit.signal ? ` (${hover.exit.signal})` : '';
    parts.push(
      `**Exit code ${hover.exit.code}${escapeMarkdown(signal)}:** ${escapeMarkdown(hover.exit.meaning)}`,
    );
  }
  const logs: { container: string; lines: string }[] = [];
  const evidence: string[] = [];
  for (const line of finding.evidence) {
    const match = LOG_EVIDENCE.exec(line);
    if (match) logs.push({ container: match[1] ?? '', lines: line.slice(match[0].length) });
    else evidence.push(line);
  }
  if (evidence.length > 0) parts.push(`Evidence from the cluster:\n\n${codeBlock(evidence.join('\n'))}`);
  for (const { container, lines } of logs)
    parts.push(`Last log lines of ${escapeMarkdown(`"${container}"`)}:\n\n${codeBlock(lines)}`);
  return parts.join('\n\n');
}

export function summaryMarkdown(
  summary: ObjectSummary,
  line: string,
  context: string,
  firstPod?: PodTarget,
): string {
  const { ref } = summary;
  const name = `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  const parts = [
    `**${escapeMarkdown(name)}** in context \`${context.replace(/`/g, '')}\`: ${escapeMarkdown(line)}`,
  ];
  if (!summary.live) return parts[0] ?? '';
  if (summary.pods.length > 0) {
    const rows = summary.pods.map((p) =>
      [p.name, p.ready, p.status, p.restarts, p.age].map((cell) => escapeMarkdown(cell)).join(' | '),
    );
    parts.push(
      [
        '| NAME | READY | STATUS | RESTARTS | AGE |',
        '|---|---|---|---|---|',
        ...rows.map((r) => `| ${r} |`),
      ].join('\n'),
    );
  }
  const last = summary.lastTermination;
  if (last)
    parts.push(
      `Last termination: ${escapeMarkdown(`${last.container} in ${last.pod}: ${last.reason}, exit code ${last.exitCode}${last.finishedAt ? ` at ${last.finishedAt}` : ''}. ${last.meaning}`)}`,
    );
  if (summary.warnings.length > 0)
    parts.push(`Last warnings:\n\n${summary.warnings.map((w) => `- ${escapeMarkdown(w)}`).join('\n')}`);
  if (summary.detail) parts.push(escapeMarkdown(summary.detail));
  if (firstPod) parts.push(`Pod ${escapeMarkdown(firstPod.pod)}: ${podLinks(firstPod)}`);
  return parts.join('\n\n');
}

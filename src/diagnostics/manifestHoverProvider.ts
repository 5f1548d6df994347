// Hover on a blamed field: the finding with its evidence, exit-code meaning, failure phase and
// the crashed container's last log lines. Hover on a document's `kind` or `metadata.name`: the
// live object's pods as kubectl prints them. Links run only our own pod commands.
import * as vscode from 'vscode';
import { explainExit } from '../analysis/exitCodes';
import type { ExitExplanation } from '../analysis/exitCodes';
import type { Finding } from '../analysis/finding';
import type { Log } from '../host/log';
import type { LiveContext } from '../live/liveContext';
import { summarizeObject, summaryLine } from '../live/objectSummary';
import { resolvePath } from '../manifest/fieldPath';
import { objectDocuments } from '../manifest/manifestDocument';
import { effectiveIdentity } from '../manifest/objectIdentity';
import type { FindingHover, PodTarget } from './hoverMarkdown';
import { findingMarkdown, POD_COMMANDS, summaryMarkdown } from './hoverMarkdown';
import type { ManifestDiagnostics } from './manifestDiagnostics';

export class ManifestHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly diagnostics: ManifestDiagnostics,
    private readonly log: Log,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    try {
      return this.hover(document, position);
    } catch (error) {
      this.log.error('Hover failed:', error instanceof Error ? error : String(error));
      return undefined;
    }
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const file = this.diagnostics.current(document);
    if (!file) return undefined;
    const offset = document.offsetAt(position);
    const hits = file.placements.filter((p) => p.offsets.start <= offset && offset <= p.offsets.end);
    if (hits.length > 0) {
      const text = hits
        .map((p) =>
          findingMarkdown({
            finding: p.finding,
            ...exitAndPod(p.finding, file.live),
            ...(p.changedSinceFailure ? { changedSinceFailure: p.changedSinceFailure } : {}),
          }),
        )
        .join('\n\n---\n\n');
      const first = hits[0];
      const range = first
        ? new vscode.Range(document.positionAt(first.offsets.start), document.positionAt(first.offsets.end))
        : undefined;
      return new vscode.Hover(trusted(text), range);
    }
    const live = file.live;
    if (!live) return undefined;
    const doc = objectDocuments(file.manifest).find((d) => d.start <= offset && offset <= d.end);
    if (!doc) return undefined;
    const on = ['kind', 'metadata.name']
      .map((path) => resolvePath(doc, path))
      .find((field) => {
        const start = field?.keyRange?.start ?? field?.range.start ?? -1;
        const end = field?.valueRange?.end ?? field?.range.end ?? -1;
        return start <= offset && offset <= end;
      });
    if (!on) return undefined;
    const ref = effectiveIdentity(doc.identity, file.namespace);
    const summary = summarizeObject(live.source, ref);
    const pod = summary.pods[0];
    const target: PodTarget | undefined = pod
      ? {
          context: live.name,
          namespace: ref.namespace ?? file.namespace,
          pod: pod.name,
          ...(pod.containers[0] ? { container: pod.containers[0] } : {}),
        }
      : undefined;
    const text = summaryMarkdown(summary, summaryLine(summary, live.name), live.name, target);
    return new vscode.Hover(
      trusted(text),
      new vscode.Range(document.positionAt(on.range.start), document.positionAt(on.range.end)),
    );
  }
}

function trusted(text: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(text);
  markdown.isTrusted = { enabledCommands: Object.values(POD_COMMANDS) };
  markdown.supportHtml = false;
  return markdown;
}

/** The crashed container's exit and the pod the links open, when the finding is about a pod. */
function exitAndPod(finding: Finding, live: LiveContext | undefined): Pick<FindingHover, 'exit' | 'pod'> {
  if (!live || finding.subject.kind !== 'Pod') return {};
  const namespace = finding.subject.namespace ?? '';
  const container = finding.container?.name;
  const pod: PodTarget = {
    context: live.name,
    namespace,
    pod: finding.subject.name,
    ...(container ? { container } : {}),
  };
  const object = live.source.get('Pod', namespace, finding.subject.name);
  if (!object || !container) return { pod };
  const statuses = [
    ...(object.status?.containerStatuses ?? []),
    ...(object.status?.initContainerStatuses ?? []),
  ];
  const status = statuses.find((s) => s.name === container);
  const terminated = status?.state?.terminated ?? status?.lastState?.terminated;
  const exit: ExitExplanation | undefined = terminated ? explainExit(terminated) : undefined;
  return exit ? { pod, exit } : { pod };
}

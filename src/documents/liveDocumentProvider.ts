// Read-only documents that show one live object as text, `kubectl describe`, `kubectl events` and
// the troubleshoot report alike, rendered from the live model (no kubectl process) and refreshed
// when the object, its pods or their events change. An open document that names a context not
// yet open opens it. Being provided, never edited, they are never dirty and never ask to be saved.
import * as vscode from 'vscode';
import {
  EVENTS_SCHEME,
  LIVE_DOCUMENT_SCHEMES,
  parseLiveDocumentUri,
  REPORT_SCHEME,
} from '../host/liveDocumentUri';
import type { LiveDocumentRef } from '../host/liveDocumentUri';
import type { Log } from '../host/log';
import type { LiveContext, LiveContextChange } from '../live/liveContext';
import type { LiveModel } from '../live/liveModel';
import { describeDocumentText, eventsDocumentText } from '../live/liveDocumentText';
import { objectFamily } from '../live/objectEvents';
import { ReportLogs } from '../live/reportLogs';
import { troubleshootReport } from '../live/troubleshootReport';

export class LiveDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly reportLogs = new ReportLogs();

  readonly onDidChange = this.changed.event;

  constructor(
    private readonly model: LiveModel,
    private readonly log: Log,
  ) {
    this.subscriptions.push(
      this.changed,
      ...LIVE_DOCUMENT_SCHEMES.map((scheme) =>
        vscode.workspace.registerTextDocumentContentProvider(scheme, this),
      ),
      model.onDidChange((change) => this.onModelChange(change)),
      model.onDidChangeContexts(() => this.refreshAll()),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string | Promise<string> {
    const ref = parseLiveDocumentUri(uri);
    if (!ref) return `Not a Podscope document: ${uri.toString()}\n`;
    const live = this.model.get(ref.context);
    if (!live) {
      this.model.open(ref.context).then(
        () => this.changed.fire(uri),
        (error: unknown) => this.log.warn(`Opening ${ref.context} for ${uri.path} failed:`, String(error)),
      );
      return `Connecting to ${ref.context}…\n`;
    }
    const view = live.source;
    if (uri.scheme === EVENTS_SCHEME) return eventsDocumentText(view, ref.kind, ref.namespace, ref.name);
    const missing = live.isReady
      ? `${ref.kind} ${ref.namespace}/${ref.name} is not in context ${ref.context} (deleted, or never created).\n`
      : `Loading ${ref.context}…\n`;
    if (uri.scheme === REPORT_SCHEME) {
      // A half-listed context would report pods and events as missing that are merely not read yet.
      const object = live.isReady ? view.get(ref.kind, ref.namespace, ref.name) : undefined;
      return object ? this.report(live, ref, object.apiVersion ?? '') : missing;
    }
    return describeDocumentText(view, ref.kind, ref.namespace, ref.name) ?? missing;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }

  private openDocuments(): vscode.Uri[] {
    return vscode.workspace.textDocuments
      .map((d) => d.uri)
      .filter((u) => LIVE_DOCUMENT_SCHEMES.includes(u.scheme));
  }

  /** The runbook report, with the crashed containers' logs read first (once per crash). */
  private async report(live: LiveContext, ref: LiveDocumentRef, apiVersion: string): Promise<string> {
    const { kind, namespace, name } = ref;
    const view = live.source;
    // Failed reads come back as a line saying why, so the report still renders.
    const logs = await this.reportLogs.read(live.name, view, kind, namespace, name);
    return troubleshootReport({
      view,
      context: live.name,
      kind,
      namespace,
      name,
      findings:
        kind === 'Pod'
          ? live.findingsAbout('Pod', namespace, name)
          : live.findingsOf({ apiVersion, kind, name, namespace }),
      logs,
    });
  }

  private onModelChange(change: LiveContextChange): void {
    if (change.objects.length === 0) return;
    for (const uri of this.openDocuments()) {
      const ref = parseLiveDocumentUri(uri);
      if (!ref || ref.context !== change.context) continue;
      if (this.touches(ref, change)) this.schedule(uri);
    }
  }

  /** Whether a batch changed the object, something it owns, or an event about either. */
  private touches(ref: LiveDocumentRef, change: LiveContextChange): boolean {
    const view = this.model.get(ref.context)?.source;
    const object = view?.get(ref.kind, ref.namespace, ref.name);
    const names = new Set<string>([`${ref.kind}/${ref.name}`]);
    if (view && object)
      for (const member of objectFamily(view, ref.kind, object))
        names.add(`${member.kind}/${member.object.metadata?.name ?? ''}`);
    return change.objects.some(({ kind, object: changed }) => {
      if (changed.metadata?.namespace !== ref.namespace) return false;
      if (kind === 'Event') {
        const involved = (changed as { involvedObject?: { kind?: string; name?: string } }).involvedObject;
        return names.has(`${involved?.kind ?? ''}/${involved?.name ?? ''}`);
      }
      return names.has(`${kind}/${changed.metadata?.name ?? ''}`);
    });
  }

  private refreshAll(): void {
    for (const uri of this.openDocuments()) this.schedule(uri);
  }

  /** Batches refreshes: a crash-looping pod changes several times a second in a busy namespace. */
  private schedule(uri: vscode.Uri): void {
    this.pending.add(uri.toString());
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      for (const key of this.pending) this.changed.fire(vscode.Uri.parse(key));
      this.pending.clear();
    }, 250);
  }
}

// A line above each object with its live state (`● 2/3 ready · CrashLoopBackOff · 5 restarts`).
// Clicking it reveals the object in the Clusters view (describe when the view does not list it).
// Computed from the live view only: no request per lens.
import * as vscode from 'vscode';
import type { Log } from '../host/log';
import { summarizeObject, summaryLine } from '../live/objectSummary';
import { objectDocuments } from '../manifest/manifestDocument';
import { effectiveIdentity } from '../manifest/objectIdentity';
import type { ManifestDiagnostics } from './manifestDiagnostics';

const REVEAL = 'podscope.clusters.reveal';

export class ManifestCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly diagnostics: ManifestDiagnostics,
    private readonly log: Log,
  ) {
    this.subscription = diagnostics.onDidUpdate((uri) => this.onUpdate(uri));
  }

  /** What each document's lenses say (or were last announced to say): only a change fires. */
  private readonly shown = new Map<string, string>();

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  /**
   * VS Code debounces lens refreshes and restarts the wait on every change event, so a stream of
   * no-op events (a busy namespace) would keep a stale line up for good: fire only when a title moved.
   */
  private onUpdate(uri: vscode.Uri): void {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!document) return;
    const titles = this.titles(document);
    if (titles === undefined || titles === this.shown.get(uri.toString())) return;
    // Remembered now, not when VS Code asks: until it asks, more of the same must not fire again.
    this.shown.set(uri.toString(), titles);
    this.changed.fire();
  }

  private titles(document: vscode.TextDocument): string | undefined {
    const file = this.diagnostics.current(document);
    const live = file?.live;
    if (!file || !live) return '';
    return objectDocuments(file.manifest)
      .map((doc) =>
        summaryLine(summarizeObject(live.source, effectiveIdentity(doc.identity, file.namespace)), live.name),
      )
      .join('\n');
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    try {
      const file = this.diagnostics.current(document);
      const live = file?.live;
      if (!file || !live) {
        this.shown.set(document.uri.toString(), '');
        return [];
      }
      const lenses = objectDocuments(file.manifest).map((doc) => {
        const ref = effectiveIdentity(doc.identity, file.namespace);
        const start = document.positionAt(doc.node.range?.[0] ?? doc.start);
        const range = new vscode.Range(start, start);
        const title = summaryLine(summarizeObject(live.source, ref), live.name);
        // Reveal falls back to describe itself when the Clusters view does not list the object.
        const command: vscode.Command = {
          title,
          command: REVEAL,
          arguments: [{ context: live.name, ...ref }],
        };
        return new vscode.CodeLens(range, command);
      });
      this.shown.set(document.uri.toString(), lenses.map((l) => l.command?.title ?? '').join('\n'));
      return lenses;
    } catch (error) {
      this.log.error('Code lenses failed:', error instanceof Error ? error : String(error));
      return [];
    }
  }
}

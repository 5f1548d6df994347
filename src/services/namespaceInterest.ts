// Which namespaces the open manifests live in, told to the active context: they are listed
// before the rest of the cluster (LiveContext.focus), and their pods' memory usage is polled
// from metrics.k8s.io while such a file is open (LiveContext.watchUsage), since the metrics API
// cannot be watched. Nothing connects in Restricted Mode.
import * as vscode from 'vscode';
import type { Disposable } from '../cluster/emitter';
import type { Log } from '../host/log';
import type { LiveModel } from '../live/liveModel';
import { objectDocuments, parseManifestFile } from '../manifest/manifestDocument';
import { isClusterScoped } from '../manifest/objectIdentity';

const DEBOUNCE_MS = 500;

export class NamespaceInterest implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private usage: Disposable | undefined;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(
    private readonly model: LiveModel,
    private readonly log: Log,
  ) {
    const later = (): void => this.schedule();
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument(later),
      vscode.workspace.onDidCloseTextDocument(later),
      vscode.workspace.onDidChangeTextDocument((e) => e.document.languageId === 'yaml' && later()),
      vscode.workspace.onDidGrantWorkspaceTrust(later),
      model.onDidChangeContexts(later),
    ];
    this.schedule();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.generation++;
    this.usage?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.update().catch((error: unknown) =>
        this.log.debug(`Namespace interest: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, DEBOUNCE_MS);
  }

  private async update(): Promise<void> {
    const generation = ++this.generation;
    const documents = vscode.workspace.textDocuments.filter((d) => d.languageId === 'yaml' && !d.isClosed);
    if (!vscode.workspace.isTrusted || documents.length === 0) return this.replace(undefined);
    const name = await this.model.activeContext();
    if (!name || generation !== this.generation) return this.replace(undefined);
    const explicit = new Set<string>();
    let needsDefault = false;
    for (const document of documents) {
      const manifest = parseManifestFile(document.getText(), { fileName: document.uri.fsPath });
      for (const d of objectDocuments(manifest)) {
        if (isClusterScoped(d.identity.kind)) continue;
        if (d.identity.namespace) explicit.add(d.identity.namespace);
        else needsDefault = true;
      }
    }
    if (explicit.size === 0 && !needsDefault) return this.replace(undefined);
    const context = await this.model.open(name, { focus: [...explicit] });
    if (generation !== this.generation) return;
    if (needsDefault) {
      explicit.add(context.defaultNamespace);
      context.focus([context.defaultNamespace]);
    }
    this.replace(context.watchUsage([...explicit]));
  }

  /** The new interest is taken before the old one is let go, so a kept namespace is not re-polled. */
  private replace(next: Disposable | undefined): void {
    const previous = this.usage;
    this.usage = next;
    previous?.dispose();
  }
}

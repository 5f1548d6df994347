// "Apply to <context>" above each Kubernetes object of a YAML file, naming the context the file
// is diagnosed against (its `# podscope:` line, its folder's setting, else the active context).
// The lens only names the command and its target document; the work (dry run, diff, confirm, apply, watch) is
// podscope.manifest.apply's. In Restricted Mode the lens says why applying is blocked.
import * as vscode from 'vscode';
import type { Config } from '../host/config';
import type { Log } from '../host/log';
import type { LiveModel } from '../live/liveModel';
import { objectDocuments, parseManifestFile } from '../manifest/manifestDocument';
import { documentTarget } from '../services/documentTarget';
import type { ApplyArgs } from '../services/manifestApplier';

export const APPLY_COMMAND = 'podscope.manifest.apply';

export class ApplyCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly model: LiveModel,
    private readonly config: Config,
    private readonly log: Log,
  ) {
    this.subscriptions = [
      this.changed,
      // The lens names the file's context (the active one by default), and says when trust blocks applying.
      model.onDidChangeContexts(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('podscope.context')) this.changed.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    ];
  }

  async provideCodeLenses(
    document: vscode.TextDocument,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeLens[]> {
    const text = document.getText();
    const manifest = parseManifestFile(text, { fileName: document.uri.fsPath });
    const documents = objectDocuments(manifest);
    if (documents.length === 0) return [];
    let context: string | undefined;
    if (vscode.workspace.isTrusted) {
      try {
        context =
          documentTarget(this.config, document.uri, text).context ?? (await this.model.activeContext());
      } catch (error) {
        // No kubeconfig yet: nothing to apply to; the tree says why.
        this.log.debug(`Apply lens: no context (${error instanceof Error ? error.message : String(error)})`);
        return [];
      }
      if (!context || token.isCancellationRequested) return [];
    }
    return documents.map((d) => {
      const start = document.positionAt(d.node.range?.[0] ?? d.start);
      const args: ApplyArgs = { uri: document.uri.toString(), offset: d.node.range?.[0] ?? d.start };
      return new vscode.CodeLens(new vscode.Range(start, start), {
        title: context ? `$(cloud-upload) Apply to ${context}` : '$(lock) Apply: blocked in Restricted Mode',
        tooltip: context
          ? `Server-side dry run and diff, then apply ${d.identity.kind} ${d.identity.name} and watch its rollout`
          : 'Trust this workspace to let Podscope change clusters',
        command: APPLY_COMMAND,
        arguments: [args],
      });
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

export function registerApplyCodeLens(model: LiveModel, config: Config, log: Log): vscode.Disposable {
  const provider = new ApplyCodeLensProvider(model, config, log);
  return vscode.Disposable.from(
    provider,
    vscode.languages.registerCodeLensProvider({ language: 'yaml' }, provider),
  );
}

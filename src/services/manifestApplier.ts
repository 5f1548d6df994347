// Apply and watch, as the editor offers it: the manifest document under the cursor (the editor's
// text, unsaved edits included; the file is never saved or changed) goes through a server-side
// dry run shown as a diff, a confirmation, the server-side apply (field manager podscope), and a
// progress notification that follows the live model until the object's finding clears or a new
// one appears. Also creates a missing ConfigMap with the keys a pod reads, for configmap-missing.
import * as vscode from 'vscode';
import type { ApplyConflict } from '../cluster/applyConflict';
import { applyConflictOf } from '../cluster/applyConflict';
import { ClusterError } from '../cluster/clusterError';
import type { Config } from '../host/config';
import type { Log } from '../host/log';
import type { ObjectRef } from '../kube/objectRef';
import type { KubeObject } from '../kube/types';
import { documentAt, previewText } from '../live/applyPreview';
import type { RolloutResult } from '../live/applyWatch';
import { findingCodes, watchRollout } from '../live/applyWatch';
import type { LiveContext } from '../live/liveContext';
import type { LiveModel } from '../live/liveModel';
import { parseManifestFile } from '../manifest/manifestDocument';
import { effectiveIdentity } from '../manifest/objectIdentity';
import { documentTarget } from './documentTarget';

export const PREVIEW_SCHEME = 'podscope-apply';

/** Arguments of `podscope.manifest.apply`; all optional (default: the active editor and context). */
export interface ApplyArgs {
  /** The manifest file (a string or Uri); its open document's text is what is applied. */
  uri?: string | vscode.Uri;
  /** An offset inside the document to apply; default the cursor. */
  offset?: number;
  /** Default: the file's `# podscope:` context, else its folder's, else the active one. */
  context?: string;
  /**
   * false: the caller has confirmed already (a script, a test, a keybinding with args); the
   * dry run and its diff still come first. Default true: a modal dialog asks.
   */
  confirm?: boolean;
  /**
   * With `confirm: false` only: when other field managers own fields this manifest changes, take
   * them over (server-side apply with force) instead of declining. The interactive path asks.
   */
  force?: boolean;
  timeoutMs?: number;
}

/** Arguments of `podscope.configMap.create`, as a quick fix for configmap-missing passes them. */
export interface CreateConfigMapArgs {
  context?: string;
  namespace: string;
  name: string;
  keys: readonly string[];
  confirm?: boolean;
  timeoutMs?: number;
}

export type ApplyOutcome = RolloutResult['outcome'] | 'blocked' | 'declined' | 'failed';

export interface ApplyResult {
  outcome: ApplyOutcome;
  message: string;
}

export class ManifestApplier implements vscode.Disposable {
  private readonly previews = new Map<string, string>();
  private readonly previewChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly model: LiveModel,
    private readonly config: Config,
    private readonly log: Log,
  ) {
    const previews = this.previews;
    this.registration = vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
      onDidChange: this.previewChanged.event,
      provideTextDocumentContent: (uri) => previews.get(uri.toString()) ?? '',
    });
  }

  dispose(): void {
    this.registration.dispose();
    this.previewChanged.dispose();
  }

  async apply(args: ApplyArgs = {}): Promise<ApplyResult> {
    const blocked = this.blocked('Applying');
    if (blocked) return blocked;
    const editor = vscode.window.activeTextEditor;
    const uri = args.uri === undefined ? editor?.document.uri : toUri(args.uri);
    if (!uri) return this.fail('Open a Kubernetes manifest to apply.');
    // The document as the editor holds it: unsaved edits are applied, and never lost or saved.
    const document = await vscode.workspace.openTextDocument(uri);
    const offset =
      args.offset ??
      (editor && editor.document.uri.toString() === uri.toString()
        ? document.offsetAt(editor.selection.active)
        : undefined);
    const manifest = parseManifestFile(document.getText(), { fileName: uri.fsPath });
    const target = documentAt(manifest, offset);
    if (!target)
      return this.fail(
        manifest.skip?.reason ??
          'Put the cursor in the Kubernetes object to apply (this file has several or none).',
      );

    // The file's own context and namespace, as its diagnostics use them.
    const intended = documentTarget(this.config, uri, document.getText());
    const contextName = args.context ?? intended.context ?? (await this.model.activeContext());
    if (!contextName) return this.fail('No cluster context is chosen: pick one, or start the demo cluster.');
    const context = await this.model.open(contextName);
    const ref = effectiveIdentity(target.identity, intended.namespace ?? context.defaultNamespace);
    const object = {
      ...target.object,
      metadata: { ...target.object.metadata, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
    };
    const label = `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
    const confirm = args.confirm ?? true;

    // 1. Server-side dry run, shown against the live object.
    let conflict: ApplyConflict | undefined;
    let dryRun: KubeObject;
    try {
      dryRun = await context.apply(object, { dryRun: true });
    } catch (error) {
      if (!(error instanceof ClusterError && error.conflict)) throw error;
      conflict = applyConflictOf(error);
      const take = confirm ? await this.confirmForce(label, contextName, conflict) : args.force === true;
      if (!take) return this.declined(label, conflict);
      dryRun = await context.apply(object, { dryRun: true, force: true });
    }
    const force = conflict !== undefined;
    const live = await context.readLive(object);
    await this.showDiff(contextName, ref, live, dryRun);
    if (confirm) {
      const choice = await vscode.window.showWarningMessage(
        `Apply ${label} to ${contextName}?`,
        {
          modal: true,
          detail: `Server-side apply as field manager "podscope"${force ? ', taking over conflicting fields' : ''}. The diff shows the live object against the server's dry run.`,
        },
        'Apply',
      );
      if (choice !== 'Apply') return this.declined(label, conflict);
    }

    // 2. The apply, after the findings it should clear have been read.
    if (ref.namespace) await context.whenNamespaceReady(ref.namespace);
    const before = findingCodes(context, [ref]);
    const applied = await context.apply(object, { force });
    const tookOver = conflict ? ` Took over from ${conflict.summary}.` : '';
    this.log.info(`Applied ${label} to ${contextName} (field manager podscope).${tookOver}`);

    // 3. The rollout, until the finding clears or a new one appears.
    return this.watch(
      context,
      `Applying ${label} to ${contextName}`,
      {
        owners: [ref],
        applied,
        before,
        ...(args.timeoutMs !== undefined ? { timeoutMs: args.timeoutMs } : {}),
      },
      tookOver,
    );
  }

  async createConfigMap(args: CreateConfigMapArgs): Promise<ApplyResult> {
    const blocked = this.blocked('Creating objects');
    if (blocked) return blocked;
    if (!args?.namespace || !args.name)
      return this.fail('podscope.configMap.create needs a namespace and a name.');
    const contextName = args.context ?? (await this.model.activeContext());
    if (!contextName) return this.fail('No cluster context is chosen.');
    const keys = [...new Set(args.keys ?? [])];
    const label = `ConfigMap ${args.namespace}/${args.name}`;
    if (args.confirm ?? true) {
      const choice = await vscode.window.showWarningMessage(
        `Create ${label} in ${contextName}?`,
        {
          modal: true,
          detail: keys.length
            ? `With the keys the pod reads, each with an empty value to fill in: ${keys.join(', ')}.`
            : 'With no keys.',
        },
        'Create',
      );
      if (choice !== 'Create') return this.declined(label);
    }
    const context = await this.model.open(contextName);
    await context.whenNamespaceReady(args.namespace);
    // The pods that wait for it: the owners of its configmap-missing findings.
    const waiting = waitingOwners(context, args.namespace, args.name);
    const owners =
      waiting.length > 0
        ? waiting
        : [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: args.namespace, name: args.name }];
    const before = findingCodes(context, owners);
    const created = await context.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: args.name, namespace: args.namespace },
      data: Object.fromEntries(keys.map((k) => [k, ''])),
    });
    this.log.info(`Created ${label} in ${contextName} with keys ${keys.join(', ') || '(none)'}`);
    return this.watch(context, `Created ${label}; waiting for its pods`, {
      owners,
      applied: created,
      before,
      ...(args.timeoutMs !== undefined ? { timeoutMs: args.timeoutMs } : {}),
    });
  }

  /** `note` follows the rollout's one-line result (what a forced apply took over, say). */
  private async watch(
    context: LiveContext,
    title: string,
    options: Omit<Parameters<typeof watchRollout>[1], 'signal' | 'onProgress'>,
    note = '',
  ): Promise<ApplyResult> {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let last = '';
        return watchRollout(context, {
          ...options,
          signal: abort.signal,
          onProgress: (text) => {
            if (text === last) return;
            last = text;
            progress.report({ message: text });
          },
        });
      },
    );
    const message = `${result.message}${note}`;
    this.log.info(`Rollout: ${message}`);
    const good = result.outcome === 'cleared' || result.outcome === 'healthy';
    // Not awaited: the result is said, and the command resolves with it at once.
    void (good ? vscode.window.showInformationMessage : vscode.window.showWarningMessage)(
      `Podscope: ${message}`,
    );
    return { outcome: result.outcome, message };
  }

  private async showDiff(
    contextName: string,
    ref: ObjectRef,
    live: KubeObject | undefined,
    dryRun: KubeObject,
  ): Promise<void> {
    const base = `/${encodeURIComponent(contextName)}/${ref.namespace ?? '_'}/${ref.kind}/${ref.name}`;
    const left = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `${base}.live.yaml` });
    const right = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `${base}.dry-run.yaml` });
    this.previews.set(left.toString(), previewText(live, dryRun));
    this.previews.set(right.toString(), previewText(dryRun, live));
    this.previewChanged.fire(left);
    this.previewChanged.fire(right);
    const name = `${ref.kind} ${ref.name}`;
    await vscode.commands.executeCommand(
      'vscode.diff',
      left,
      right,
      live ? `${name}: live ↔ after apply (dry run)` : `${name}: new (dry run)`,
      { preview: true },
    );
  }

  private async confirmForce(label: string, contextName: string, conflict: ApplyConflict): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(
      `${label} in ${contextName}: fields this manifest sets are managed by someone else.`,
      {
        modal: true,
        detail: `Managed by ${conflict.summary}.\n\nApply anyway and take those fields over (force)?`,
      },
      'Force Apply',
    );
    return choice === 'Force Apply';
  }

  private blocked(what: string): ApplyResult | undefined {
    if (vscode.workspace.isTrusted) return undefined;
    const message = `${what} is blocked in Restricted Mode: trust this workspace to let Podscope change clusters.`;
    void vscode.window.showWarningMessage(`Podscope: ${message}`, 'Manage Workspace Trust').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return { outcome: 'blocked', message };
  }

  private fail(message: string): ApplyResult {
    void vscode.window.showWarningMessage(`Podscope: ${message}`);
    return { outcome: 'failed', message };
  }

  private declined(label: string, conflict?: ApplyConflict): ApplyResult {
    const why = conflict
      ? ` Fields it sets are managed by ${conflict.summary}; apply with force to take them over.`
      : '';
    return { outcome: 'declined', message: `${label}: not applied.${why}` };
  }
}

/** The workloads (or bare pods) whose configmap-missing finding names this ConfigMap. */
function waitingOwners(context: LiveContext, namespace: string, name: string): ObjectRef[] {
  const owners = new Map<string, ObjectRef>();
  for (const finding of context.findings()) {
    if (finding.code !== 'configmap-missing' || finding.subject.namespace !== namespace) continue;
    const names = finding.fixes.flatMap((f) => (f.create ?? []).map((o) => o.metadata?.name));
    if (!names.includes(name) && !finding.message.includes(`"${name}"`)) continue;
    const owner = finding.workload ?? finding.subject;
    owners.set(`${owner.kind}/${owner.namespace ?? ''}/${owner.name}`, owner);
  }
  return [...owners.values()];
}

function toUri(value: string | vscode.Uri): vscode.Uri {
  return typeof value === 'string' ? vscode.Uri.parse(value) : value;
}

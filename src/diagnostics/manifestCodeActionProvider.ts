// Quick fixes for Podscope's diagnostics, tied to the diagnostic's code: the placements' fixes as
// edits on this document, titled with the problem they fix, one preferred where clearly right.
// For a missing ConfigMap key, the ConfigMap's own manifest in the workspace gets the key. Two act
// on the cluster, through commands that confirm first: creating a missing ConfigMap, and applying
// a document whose blamed field was changed since the failure, to check the change.
import * as vscode from 'vscode';
import type { Log } from '../host/log';
import type { Placement } from '../live/placeFindings';
import { editsForChanges } from '../manifest/fieldEdits';
import type { TextEdit } from '../manifest/textEdit';
import { objectDocuments, parseManifestFile } from '../manifest/manifestDocument';
import type { ManifestFile, ObjectDocument } from '../manifest/manifestDocument';
import { effectiveIdentity } from '../manifest/objectIdentity';
import type { ApplyArgs, CreateConfigMapArgs } from '../services/manifestApplier';
import { APPLY_COMMAND } from './applyCodeLensProvider';
import { fixTitle, isPreferredFix } from './findingLabels';
import type { ManifestDiagnostics } from './manifestDiagnostics';

const KEY_MISSING = /^Container "[^"]*" cannot start: ConfigMap ([^/\s]*)\/(\S+) has no key '([^']+)'/;
const MAX_WORKSPACE_FILES = 500;
const CREATE_CONFIG_MAP = 'podscope.configMap.create';
const UNTRUSTED = 'Trust this workspace to let Podscope change clusters.';

export class ManifestCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly diagnostics: ManifestDiagnostics,
    private readonly log: Log,
  ) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    try {
      if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
      const file = this.diagnostics.current(document);
      if (!file) return [];
      const actions: vscode.CodeAction[] = [];
      for (const diagnostic of context.diagnostics) {
        if (diagnostic.source !== 'podscope' || typeof diagnostic.code !== 'string') continue;
        const code = diagnostic.code;
        for (const placement of file.placements) {
          if (placement.finding.code !== code || !sameRange(placement, diagnostic.range)) continue;
          actions.push(...this.fixesOf(document, placement, diagnostic));
          if (file.live) actions.push(...clusterActions(document, placement, diagnostic, file.live.name));
          if (code === 'configmap-key-missing') {
            const added = await this.addKeyToConfigMap(document, placement, file.namespace, token);
            if (added) {
              added.diagnostics = [diagnostic];
              actions.push(added);
            }
          }
        }
      }
      return actions;
    } catch (error) {
      this.log.error('Quick fixes failed:', error instanceof Error ? error : String(error));
      return [];
    }
  }

  private fixesOf(
    document: vscode.TextDocument,
    placement: Placement,
    diagnostic: vscode.Diagnostic,
  ): vscode.CodeAction[] {
    const code = placement.finding.code;
    const count = placement.fixEdits.length;
    const creates = new Set(placement.finding.fixes.filter((f) => f.create?.length).map((f) => f.title));
    const actions = placement.fixEdits.map((fix, index) => {
      // The same words as the CLI, and where the object goes: beside the cluster action below.
      const title = creates.has(fix.title) ? `${fix.title}, as a new document in this file` : fix.title;
      const action = new vscode.CodeAction(fixTitle(code, title), vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = isPreferredFix(code, index, count);
      action.edit = workspaceEdit(document, fix.edits);
      return action;
    });
    for (const advice of placement.unavailableFixes) {
      const action = new vscode.CodeAction(fixTitle(code, advice.title), vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.disabled = { reason: advice.reason };
      actions.push(action);
    }
    return actions;
  }

  /** `data.<key>: ""` in the ConfigMap's manifest, when an open file or the workspace has one. */
  private async addKeyToConfigMap(
    document: vscode.TextDocument,
    placement: Placement,
    namespace: string,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction | undefined> {
    const match = KEY_MISSING.exec(placement.finding.message);
    if (!match) return undefined;
    const [, cmNamespace = '', name = '', key = ''] = match;
    const wanted = (doc: ObjectDocument): boolean => {
      const ref = effectiveIdentity(doc.identity, namespace);
      return ref.kind === 'ConfigMap' && ref.name === name && ref.namespace === (cmNamespace || namespace);
    };
    const candidates: { uri: vscode.Uri; manifest: ManifestFile }[] = [
      { uri: document.uri, manifest: placement.source.manifest },
    ];
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    for (const other of vscode.workspace.textDocuments)
      if (other.uri.toString() !== document.uri.toString() && /\.ya?ml$/i.test(other.fileName))
        candidates.push({
          uri: other.uri,
          manifest: parseManifestFile(other.getText(), { fileName: other.fileName }),
        });
    const found = (): { uri: vscode.Uri; manifest: ManifestFile; doc: ObjectDocument } | undefined => {
      for (const c of candidates) {
        const doc = objectDocuments(c.manifest).find(wanted);
        if (doc) return { ...c, doc };
      }
      return undefined;
    };
    let target = found();
    if (!target) {
      const uris = await vscode.workspace.findFiles(
        '**/*.{yaml,yml}',
        '**/node_modules/**',
        MAX_WORKSPACE_FILES,
        token,
      );
      for (const uri of uris) {
        if (open.has(uri.toString()) || token.isCancellationRequested) continue;
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        if (!text.includes(name) || !/kind:\s*ConfigMap/.test(text)) continue;
        candidates.push({ uri, manifest: parseManifestFile(text, { fileName: uri.fsPath }) });
        target = found();
        if (target) break;
      }
    }
    if (!target) return undefined;
    const result = editsForChanges(target.manifest, target.doc, [
      { op: 'set', root: 'object', path: `data[${JSON.stringify(key)}]`, value: '' },
    ]);
    if (!result.ok) return undefined;
    const where = vscode.workspace.asRelativePath(target.uri);
    const action = new vscode.CodeAction(
      fixTitle(
        'configmap-key-missing',
        `Add key '${key}' to ConfigMap ${name} in ${where} (fill in its value)`,
      ),
      vscode.CodeActionKind.QuickFix,
    );
    const edit = new vscode.WorkspaceEdit();
    const lines = target.manifest.lines;
    for (const e of result.edits) {
      const range = lines.rangeOf(e);
      edit.replace(
        target.uri,
        new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character),
        e.newText,
      );
    }
    action.edit = edit;
    return action;
  }
}

/** Apply-to-check for a changed field; create-in-cluster for a missing ConfigMap. */
function clusterActions(
  document: vscode.TextDocument,
  placement: Placement,
  diagnostic: vscode.Diagnostic,
  context: string,
): vscode.CodeAction[] {
  const code = placement.finding.code;
  const actions: vscode.CodeAction[] = [];
  if (placement.changedSinceFailure) {
    const { kind, name } = placement.object;
    const args: ApplyArgs = {
      uri: document.uri.toString(),
      offset: placement.document.node.range?.[0] ?? placement.document.start,
      context,
    };
    const action = new vscode.CodeAction(
      fixTitle(code, `Apply ${kind} ${name} to ${context} to check the change`),
      vscode.CodeActionKind.QuickFix,
    );
    action.command = { title: action.title, command: APPLY_COMMAND, arguments: [args] };
    action.isPreferred = true;
    actions.push(action);
  }
  if (code === 'configmap-missing') {
    for (const object of placement.finding.fixes.flatMap((f) => f.create ?? [])) {
      const { name, namespace } = object.metadata ?? {};
      if (object.kind !== 'ConfigMap' || !name || !namespace) continue;
      const keys = Object.keys((object as { data?: Record<string, string> }).data ?? {});
      const args: CreateConfigMapArgs = { context, namespace, name, keys };
      const action = new vscode.CodeAction(
        fixTitle(code, `Create ConfigMap ${namespace}/${name} in the cluster ${context} (asks first)`),
        vscode.CodeActionKind.QuickFix,
      );
      action.command = { title: action.title, command: CREATE_CONFIG_MAP, arguments: [args] };
      actions.push(action);
    }
  }
  for (const action of actions) {
    action.diagnostics = [diagnostic];
    if (!vscode.workspace.isTrusted) action.disabled = { reason: UNTRUSTED };
  }
  return actions;
}

function sameRange(placement: Placement, range: vscode.Range): boolean {
  const r = placement.range;
  return (
    r.start.line === range.start.line &&
    r.start.character === range.start.character &&
    r.end.line === range.end.line &&
    r.end.character === range.end.character
  );
}

function workspaceEdit(document: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits)
    edit.replace(
      document.uri,
      new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)),
      e.newText,
    );
  return edit;
}

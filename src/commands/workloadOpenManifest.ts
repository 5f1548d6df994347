// `podscope.workload.openManifest`: the reverse mapping, from a live object to the workspace file
// that defines it. Several files can (a base and an overlay, a fixed copy beside the original):
// then the person picks one.
import * as vscode from 'vscode';
import type { Log } from '../host/log';
import type { ObjectRef } from '../kube/objectRef';
import { objectDocuments } from '../manifest/manifestDocument';
import { describesObject } from '../manifest/objectIdentity';
import { manifestsMentioning } from '../services/workspaceManifests';
import type { KubeCommandDeps } from './kubeTargets';
import { commandTarget } from './kubeTargets';

interface Definition {
  uri: vscode.Uri;
  line: number;
}

export function workloadOpenManifest(
  deps: KubeCommandDeps,
  log: Log,
): (arg?: unknown) => Promise<vscode.TextEditor | undefined> {
  return async (arg) => {
    const found = await commandTarget(deps, 'Open Manifest', arg, 'podOrWorkload');
    if (!found) return undefined;
    const ref: ObjectRef =
      found.type === 'pod'
        ? { apiVersion: 'v1', kind: 'Pod', namespace: found.target.namespace, name: found.target.pod }
        : {
            apiVersion: '',
            kind: found.target.kind,
            namespace: found.target.namespace,
            name: found.target.name,
          };
    const definitions: Definition[] = [];
    for await (const { uri, source } of manifestsMentioning(ref.name, log)) {
      for (const document of objectDocuments(source.manifest))
        if (describesObject(document.identity, ref, ref.namespace ?? 'default'))
          definitions.push({
            uri,
            line: source.manifest.lines.positionAt(document.node.range?.[0] ?? document.start).line,
          });
    }
    const chosen = definitions.length > 1 ? await pick(definitions, ref) : definitions[0];
    if (!chosen) {
      if (definitions.length === 0)
        deps.prompts.notice(
          `Podscope: no workspace file defines ${ref.kind} ${ref.namespace ?? ''}/${ref.name}.`,
        );
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(chosen.uri);
    const at = new vscode.Position(chosen.line, 0);
    return vscode.window.showTextDocument(document, { selection: new vscode.Range(at, at) });
  };
}

async function pick(definitions: Definition[], ref: ObjectRef): Promise<Definition | undefined> {
  const items = definitions.map((d) => ({
    label: vscode.workspace.asRelativePath(d.uri),
    description: `line ${d.line + 1}`,
    definition: d,
  }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: `${ref.kind} ${ref.name} is defined in ${definitions.length} files`,
  });
  return chosen?.definition;
}

// Which cluster context and default namespace a manifest file is meant for: its `# podscope:`
// line first, then the folder's settings, else the active context and the context's namespace.
// Diagnostics, the Apply lens and the apply command all ask here, so a file is never diagnosed
// against one cluster and applied to another.
import type * as vscode from 'vscode';
import type { Config } from '../host/config';
import type { FileDirective } from '../manifest/fileDirective';
import { parseFileDirective } from '../manifest/fileDirective';

export interface DocumentTarget {
  /** undefined: the active context. */
  context?: string;
  /** undefined: the context's default namespace. */
  namespace?: string;
  /** The file's `# podscope:` line, when it has one. */
  directive?: FileDirective;
}

export function documentTarget(config: Config, uri: vscode.Uri, text: string): DocumentTarget {
  const directive = parseFileDirective(text);
  const context = directive?.context ?? config.contextFor(uri);
  const namespace = directive?.namespace ?? config.namespaceFor(uri);
  return {
    ...(context !== undefined ? { context } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(directive !== undefined ? { directive } : {}),
  };
}

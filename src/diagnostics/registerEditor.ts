// Everything Podscope shows inside manifest editors, registered once and disposed with the extension.
import * as vscode from 'vscode';
import type { Config } from '../host/config';
import type { Log } from '../host/log';
import type { LiveModelHost } from '../services/liveModelHost';
import { ManifestCodeActionProvider } from './manifestCodeActionProvider';
import { ManifestCodeLensProvider } from './manifestCodeLensProvider';
import { ManifestDiagnostics } from './manifestDiagnostics';
import { ManifestHoverProvider } from './manifestHoverProvider';

const SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml', scheme: 'file' },
  { language: 'yaml', scheme: 'untitled' },
];

export interface EditorFeatures {
  /** The live-state lenses: handed out so that tests can watch when VS Code is told to refresh. */
  lenses: ManifestCodeLensProvider;
  registrations: vscode.Disposable[];
}

export function registerEditorFeatures(live: LiveModelHost, config: Config, log: Log): EditorFeatures {
  const diagnostics = new ManifestDiagnostics(live, config, log);
  const lenses = new ManifestCodeLensProvider(diagnostics, log);
  const registrations = [
    diagnostics,
    lenses,
    vscode.languages.registerHoverProvider(SELECTOR, new ManifestHoverProvider(diagnostics, log)),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new ManifestCodeActionProvider(diagnostics, log), {
      providedCodeActionKinds: ManifestCodeActionProvider.kinds,
    }),
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
  ];
  return { lenses, registrations };
}

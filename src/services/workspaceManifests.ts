// The workspace's YAML files as manifest sources, for the reverse mapping (live object → the file
// that defines it). Searched only when a person asks (a click, a command), never per render; an
// open editor's text wins over the file on disk, so unsaved edits are what is matched.
import * as vscode from 'vscode';
import type { Log } from '../host/log';
import type { ManifestSource } from '../live/placeFindings';
import { parseManifestFile } from '../manifest/manifestDocument';

const MAX_FILES = 2000;

/** Every workspace YAML file whose text mentions `name`, parsed. */
export async function* manifestsMentioning(
  name: string,
  log: Log,
): AsyncGenerator<{ uri: vscode.Uri; source: ManifestSource }> {
  const files = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/node_modules/**', MAX_FILES);
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
  for (const uri of files.sort((a, b) => a.path.localeCompare(b.path))) {
    let text = open.get(uri.toString())?.getText();
    if (text === undefined) {
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch (error) {
        log.warn(`Cannot read ${uri.fsPath}:`, error instanceof Error ? error.message : String(error));
        continue;
      }
    }
    // Cheap test first: most YAML files in a workspace do not name this object.
    if (!text.includes(name)) continue;
    yield {
      uri,
      source: { file: uri.toString(), manifest: parseManifestFile(text, { fileName: uri.fsPath }) },
    };
  }
}

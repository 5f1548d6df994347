// Finds the manifests a `diagnose` run reads: files named on the command line, and *.yaml / *.yml
// below folders. Oversized files are skipped before they are read.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { UsageError } from './usageError';

export const MAX_MANIFEST_BYTES = 2 * 1024 * 1024;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist', '.vscode-test']);

export type ManifestSource = { file: string; text: string } | { file: string; skipped: string };

export async function readManifestSources(paths: readonly string[], cwd: string): Promise<ManifestSource[]> {
  // Absolute path → the name printed for it: what was typed, and below a folder, what was typed
  // for the folder plus the rest. The first spelling of a file named twice wins.
  const files = new Map<string, string>();
  for (const given of paths) {
    const path = resolve(cwd, given);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UsageError(`${given}: no such file or folder`);
    if (!info.isDirectory()) {
      if (!files.has(path)) files.set(path, given);
      continue;
    }
    for (const below of await yamlFilesBelow(path)) {
      if (!files.has(below)) files.set(below, underFolder(given, relative(path, below)));
    }
  }
  const sources: ManifestSource[] = [];
  for (const [path, file] of files) {
    const { size } = await stat(path);
    if (size > MAX_MANIFEST_BYTES) {
      sources.push({
        file,
        skipped: `larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MB (${(size / 1024 / 1024).toFixed(1)} MB)`,
      });
      continue;
    }
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`${file}: cannot read (${error.code ?? error.message})`);
    });
    // Editors hide a byte order mark; dropping it keeps our columns equal to theirs.
    sources.push({ file, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text });
  }
  return sources;
}

function underFolder(folder: string, rest: string): string {
  if (folder === '.') return rest;
  return folder.endsWith(sep) || folder.endsWith('/') ? `${folder}${rest}` : `${folder}${sep}${rest}`;
}

async function yamlFilesBelow(folder: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(folder, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.'))
        found.push(...(await yamlFilesBelow(path)));
    } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

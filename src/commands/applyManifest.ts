// podscope.manifest.apply: dry run, diff, confirm, server-side apply, watch (ManifestApplier).
import type { ApplyArgs, ManifestApplier } from '../services/manifestApplier';

export function applyManifest(applier: ManifestApplier) {
  return (args?: unknown) => applier.apply(isArgs(args) ? args : {});
}

/** From the editor's context menu the argument is the file's Uri; from a code lens, ApplyArgs. */
function isArgs(value: unknown): value is ApplyArgs {
  return typeof value === 'object' && value !== null && !('scheme' in value);
}

// The two output formats of `podscope diagnose` (shared/docs/diagnose-contract.md).
import type { Severity } from '../analysis/finding';
import type { ObjectRef } from '../kube/objectRef';
import type { ManifestDiagnosis } from '../live/manifestDiagnosis';
import type { Placement } from '../live/placeFindings';
import type { Range } from '../manifest/positions';
import type { FailOn } from './args';

export interface EditJson {
  range: Range;
  newText: string;
}

export interface FixJson {
  title: string;
  edits: EditJson[];
}

/** One element of `findings`. */
export interface FindingJson {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  message: string;
  object: ObjectRef;
  evidence: string[];
  fixes: FixJson[];
}

export interface DiagnoseJson {
  findings: FindingJson[];
  skipped: { file: string; reason: string }[];
  /** Documents whose object the cluster does not have; `line` is 0-based, like the ranges. */
  notDeployed: { file: string; line: number; object: ObjectRef }[];
}

export function toJson(diagnosis: ManifestDiagnosis): DiagnoseJson {
  return {
    findings: sortedFindings(diagnosis),
    skipped: diagnosis.skipped,
    notDeployed: diagnosis.notDeployed.map(({ file, line, object }) => ({ file, line, object })),
  };
}

/** `FILE:LINE:COL: severity code: message` (1-based), evidence indented below, then skips and a summary. */
export function toText(diagnosis: ManifestDiagnosis): string {
  const lines: string[] = [];
  for (const f of sortedFindings(diagnosis)) {
    lines.push(
      `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code}: ${f.message}`,
    );
    for (const evidence of f.evidence) for (const line of evidence.split('\n')) lines.push(`    ${line}`);
    for (const fix of f.fixes) lines.push(`    fix: ${fix.title}`);
  }
  for (const { file, reason } of diagnosis.skipped) lines.push(`${file}: skipped: ${reason}`);
  for (const { file, object, line } of diagnosis.notDeployed) {
    const where = object.namespace ? `${object.namespace}/${object.name}` : object.name;
    lines.push(`${file}:${line + 1}:1: note: ${object.kind} ${where} is not in the cluster`);
  }
  lines.push(summary(diagnosis));
  return `${lines.join('\n')}\n`;
}

export function toFindingJson(placement: Placement): FindingJson {
  const { finding, source, range, object } = placement;
  const lines = source.manifest.lines;
  return {
    file: source.file,
    range,
    severity: finding.severity,
    code: finding.code,
    message: finding.message,
    object,
    evidence: [...finding.evidence],
    fixes: placement.fixEdits.map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((e) => ({ range: lines.rangeOf(e), newText: e.newText })),
    })),
  };
}

function summary(diagnosis: ManifestDiagnosis): string {
  const count = (s: Severity): number => diagnosis.placements.filter((p) => p.finding.severity === s).length;
  const parts = [`${count('error')} error(s)`, `${count('warning')} warning(s)`, `${count('info')} info`];
  if (diagnosis.skipped.length > 0) parts.push(`${diagnosis.skipped.length} skipped`);
  if (diagnosis.notDeployed.length > 0) parts.push(`${diagnosis.notDeployed.length} not in the cluster`);
  return parts.join(', ');
}

const RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

/** Exit status 1 when a finding reaches `--fail-on`, else 0. */
export function exitStatus(diagnosis: ManifestDiagnosis, failOn: FailOn): 0 | 1 {
  if (failOn === 'none') return 0;
  return diagnosis.placements.some((p) => RANK[p.finding.severity] >= RANK[failOn]) ? 1 : 0;
}

function sortedFindings(diagnosis: ManifestDiagnosis): FindingJson[] {
  return diagnosis.placements
    .map(toFindingJson)
    .sort(
      (a, b) =>
        a.file.localeCompare(b.file) ||
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character ||
        a.code.localeCompare(b.code),
    );
}

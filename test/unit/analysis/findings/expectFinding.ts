// Assertions shared by the findings tests: one finding of a code, its blame, evidence and fixes as data.
import { strict as assert } from 'node:assert';
import type { Finding, FindingCode, Severity } from '../../../../src/analysis/finding';
import type { FieldChange, PathRoot } from '../../../../src/kube/fieldChange';
import type { KubeObject } from '../../../../src/kube/types';

export interface Expected {
  code: FindingCode;
  severity?: Severity;
  subject?: string;
  workload?: string;
  container?: string | undefined;
  root?: PathRoot;
  /** The leading blame candidates, in order. */
  paths: string[];
  message?: string[];
  /** Substrings that some evidence line must contain (the cluster's own words). */
  evidence?: string[];
  /** Some fix must have exactly these changes. */
  fix?: FieldChange[];
  /** Some fix must create exactly these objects. */
  create?: KubeObject[];
  noFix?: boolean;
}

/** The only finding with this code (fails when there are none or several). */
export function only(findings: readonly Finding[], code: FindingCode): Finding {
  const matching = findings.filter((f) => f.code === code);
  assert.equal(
    matching.length,
    1,
    `expected one ${code}, got ${matching.length}: ${JSON.stringify(findings.map((f) => f.code))}`,
  );
  return matching[0] as Finding;
}

export function expectFinding(findings: readonly Finding[], expected: Expected): Finding {
  const finding = only(findings, expected.code);
  if (expected.severity) assert.equal(finding.severity, expected.severity);
  if (expected.subject) assert.equal(`${finding.subject.kind}/${finding.subject.name}`, expected.subject);
  if (expected.workload)
    assert.equal(`${finding.workload?.kind ?? ''}/${finding.workload?.name ?? ''}`, expected.workload);
  if ('container' in expected) assert.equal(finding.container?.name, expected.container);
  assert.equal(finding.blame.root, expected.root ?? 'podSpec');
  assert.deepEqual(finding.blame.paths.slice(0, expected.paths.length), expected.paths);
  for (const text of expected.message ?? [])
    assert.ok(
      finding.message.includes(text),
      `message ${JSON.stringify(finding.message)} lacks ${JSON.stringify(text)}`,
    );
  for (const text of expected.evidence ?? []) {
    assert.ok(
      finding.evidence.some((e) => e.includes(text)),
      `no evidence contains ${JSON.stringify(text)}:\n${finding.evidence.join('\n')}`,
    );
  }
  if (expected.fix) {
    assert.ok(
      finding.fixes.some((f) => JSON.stringify(f.changes) === JSON.stringify(expected.fix)),
      `no fix with changes ${JSON.stringify(expected.fix)}; fixes: ${JSON.stringify(finding.fixes.map((f) => f.changes))}`,
    );
  }
  if (expected.create) {
    assert.ok(
      finding.fixes.some((f) => JSON.stringify(f.create) === JSON.stringify(expected.create)),
      `no fix creates ${JSON.stringify(expected.create)}; fixes: ${JSON.stringify(finding.fixes)}`,
    );
  }
  if (expected.noFix) assert.deepEqual(finding.fixes, []);
  return finding;
}

import type { Repos } from '../db/repos.ts';
import type { JsonObject } from './canonical.ts';
import type { AuditProblem, AuditReport } from './ledger.audit.ts';

/**
 * What the log audit asks of a domain that writes records into the log: do the logged records of
 * these kinds still describe the rows they were written for? (An UPDATE of an evidence row after it
 * was logged is exactly what an auditor must be told about.)
 */
export type RecordVerifier = {
  kinds: readonly string[];
  verify(orgId: string, entries: { index: number; kind: string; record: JsonObject }[]): Promise<AuditProblem[]>;
};

const PAGE = 1000;

/** Streams the entries of the verifiers' kinds in index order and collects every mismatch they report. */
export async function verifyRecords(repos: Repos, orgId: string, verifiers: readonly RecordVerifier[]): Promise<AuditProblem[]> {
  const problems: AuditProblem[] = [];
  for (const v of verifiers) {
    let from = 0;
    for (;;) {
      const rows = await repos.ledger.entriesOfKinds(orgId, v.kinds, from, PAGE);
      if (!rows.length) break;
      const entries = [];
      for (const r of rows) {
        try {
          const parsed = JSON.parse(r.entry.toString('utf8')) as { record?: JsonObject };
          entries.push({ index: r.idx, kind: r.kind, record: parsed.record ?? {} });
        } catch {
          problems.push({ code: 'record_unreadable', index: r.idx, message: `entry ${r.idx} is not JSON, so its record cannot be compared` });
        }
      }
      problems.push(...await v.verify(orgId, entries));
      from = rows[rows.length - 1]!.idx + 1;
    }
  }
  return problems;
}

/** The tree audit and the record checks as one report, problems in index order. */
export function withRecordProblems(report: AuditReport, problems: AuditProblem[]): AuditReport {
  if (!problems.length) return report;
  const all = [...report.problems, ...problems].sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
  return { ...report, ok: false, problems: all };
}

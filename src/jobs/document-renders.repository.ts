import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DocumentKind, UnrenderedDocument } from './document-sweep';

/** The render-state columns of each document table (检查记录 on inspection, 整改通知书 on rectification_notice). */
const TABLES: Record<DocumentKind, { table: string; status: string; error: string; failedAt: string; queuedAt: string; requeues: string }> = {
  'inspection.report': { table: 'inspection', status: 'report_status', error: 'report_error', failedAt: 'report_failed_at', queuedAt: 'coalesce(report_queued_at, submitted_at)', requeues: 'report_requeues' },
  'notice.pdf': { table: 'rectification_notice', status: 'pdf_status', error: 'pdf_error', failedAt: 'pdf_failed_at', queuedAt: 'coalesce(pdf_queued_at, issued_at)', requeues: 'pdf_requeues' },
};

export interface RenderBacklog {
  pending: number;
  failed: number;
  /** Failed and out of automatic retries: needs a person. */
  failedFinal: number;
  oldestPendingAt: Date | null;
}

/** SQL of the documents' render state, for the queue's failure handling, the sweep and /health. No personal data. */
@Injectable()
export class DocumentRendersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Marks a pending render failed; a document rendered meanwhile stays rendered. Returns whether it changed. */
  async markFailed(kind: DocumentKind, id: string, reason: string, em: EntityManager = this.dataSource.manager): Promise<boolean> {
    const c = TABLES[kind];
    const [, count] = await em.query(
      `UPDATE ${c.table} SET ${c.status} = 'failed', ${c.error} = left($2, 1000), ${c.failedAt} = now() WHERE id = $1 AND ${c.status} = 'pending'`, [id, reason]);
    return count > 0;
  }

  /** Documents the sweep has to look at: pending since before `staleBefore`, or failed with retries left (oldest first). */
  async sweepCandidates(staleBefore: Date, retries: number, limit = 100): Promise<UnrenderedDocument[]> {
    const parts = (Object.keys(TABLES) as DocumentKind[]).map((kind) => {
      const c = TABLES[kind];
      return `(SELECT '${kind}' AS kind, id, ${c.status} AS status, ${c.queuedAt} AS "queuedAt", ${c.failedAt} AS "failedAt", ${c.requeues} AS requeues
                 FROM ${c.table}
                WHERE ${c.status} IN ('pending','failed')
                  AND ((${c.status} = 'pending' AND ${c.queuedAt} < $1) OR (${c.status} = 'failed' AND ${c.requeues} < $2))
                ORDER BY ${c.queuedAt} LIMIT $3)`;
    });
    const rows: UnrenderedDocument[] = await this.dataSource.query(`${parts.join(' UNION ALL ')} ORDER BY "queuedAt"`, [staleBefore, retries, limit]);
    return rows.map((r) => ({ ...r, queuedAt: new Date(r.queuedAt), failedAt: r.failedAt ? new Date(r.failedAt) : null, requeues: Number(r.requeues) }));
  }

  /**
   * Sets a document pending again with one more re-queue, if it is still in the state the sweep saw (a concurrent
   * sweep or render wins). Returns the new re-queue count, or null when nothing changed.
   */
  async requeue(em: EntityManager, doc: UnrenderedDocument): Promise<number | null> {
    const c = TABLES[doc.kind];
    const queued = doc.kind === 'inspection.report' ? 'report_queued_at' : 'pdf_queued_at';
    // An UPDATE through em.query answers [rows, count].
    const [rows]: [{ requeues: number }[], number] = await em.query(
      `UPDATE ${c.table} SET ${c.status} = 'pending', ${queued} = now(), ${c.requeues} = ${c.requeues} + 1
        WHERE id = $1 AND ${c.status} = $2 AND ${c.requeues} = $3 RETURNING ${c.requeues} AS requeues`, [doc.id, doc.status, doc.requeues]);
    return rows.length ? Number(rows[0].requeues) : null;
  }

  async backlog(retries: number): Promise<RenderBacklog> {
    const [row] = await this.dataSource.query(`
      SELECT (SELECT count(*) FROM inspection WHERE report_status = 'pending')::int + (SELECT count(*) FROM rectification_notice WHERE pdf_status = 'pending')::int AS pending,
             (SELECT count(*) FROM inspection WHERE report_status = 'failed')::int + (SELECT count(*) FROM rectification_notice WHERE pdf_status = 'failed')::int AS failed,
             (SELECT count(*) FROM inspection WHERE report_status = 'failed' AND report_requeues >= $1)::int
               + (SELECT count(*) FROM rectification_notice WHERE pdf_status = 'failed' AND pdf_requeues >= $1)::int AS "failedFinal",
             least((SELECT min(coalesce(report_queued_at, submitted_at)) FROM inspection WHERE report_status = 'pending'),
                   (SELECT min(coalesce(pdf_queued_at, issued_at)) FROM rectification_notice WHERE pdf_status = 'pending')) AS "oldestPendingAt"`, [retries]);
    return { ...row, oldestPendingAt: row.oldestPendingAt ? new Date(row.oldestPendingAt) : null };
  }
}

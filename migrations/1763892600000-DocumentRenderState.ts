import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Render state of the two queued documents (检查记录 PDF on inspection, 整改通知书 PDF on rectification_notice):
 * why and when the last render failed, when the current render job was queued (NULL = with the submission or the
 * notice itself) and how many times the sweep has queued it again. The sweep re-queues a render left pending or
 * failed a bounded number of times, so a document is never stuck and never retried into a crash loop.
 */
export class DocumentRenderState1763892600000 implements MigrationInterface {
  name = 'DocumentRenderState1763892600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE inspection
        ADD COLUMN report_error     text,
        ADD COLUMN report_failed_at timestamptz,
        ADD COLUMN report_queued_at timestamptz,
        ADD COLUMN report_requeues  integer NOT NULL DEFAULT 0 CHECK (report_requeues >= 0)`);
    await q.query(`
      ALTER TABLE rectification_notice
        ADD COLUMN pdf_error     text,
        ADD COLUMN pdf_failed_at timestamptz,
        ADD COLUMN pdf_queued_at timestamptz,
        ADD COLUMN pdf_requeues  integer NOT NULL DEFAULT 0 CHECK (pdf_requeues >= 0)`);
    // A render that failed before this migration has no failure time: give it one so the sweep can retry it.
    await q.query(`UPDATE inspection SET report_failed_at = now(), report_error = 'failed before render tracking' WHERE report_status = 'failed'`);
    await q.query(`UPDATE rectification_notice SET pdf_failed_at = now(), pdf_error = 'failed before render tracking' WHERE pdf_status = 'failed'`);
    await q.query(`ALTER TABLE inspection ADD CONSTRAINT inspection_report_failure_chk CHECK (report_status <> 'failed' OR report_failed_at IS NOT NULL)`);
    await q.query(`ALTER TABLE rectification_notice ADD CONSTRAINT rectification_notice_pdf_failure_chk CHECK (pdf_status <> 'failed' OR pdf_failed_at IS NOT NULL)`);
    // The sweep and /health read the documents that are not rendered yet: keep them in small partial indexes.
    await q.query(`CREATE INDEX inspection_report_unrendered_idx ON inspection (coalesce(report_queued_at, submitted_at)) WHERE report_status IN ('pending','failed')`);
    await q.query(`CREATE INDEX rectification_notice_pdf_unrendered_idx ON rectification_notice (coalesce(pdf_queued_at, issued_at)) WHERE pdf_status IN ('pending','failed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX rectification_notice_pdf_unrendered_idx`);
    await q.query(`DROP INDEX inspection_report_unrendered_idx`);
    await q.query(`ALTER TABLE rectification_notice DROP CONSTRAINT rectification_notice_pdf_failure_chk,
      DROP COLUMN pdf_requeues, DROP COLUMN pdf_queued_at, DROP COLUMN pdf_failed_at, DROP COLUMN pdf_error`);
    await q.query(`ALTER TABLE inspection DROP CONSTRAINT inspection_report_failure_chk,
      DROP COLUMN report_requeues, DROP COLUMN report_queued_at, DROP COLUMN report_failed_at, DROP COLUMN report_error`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = ['inspection_checklist', 'major_hazard_criteria', 'grading_form', 'self_inspection', 'scoring_rules', 'subsidy_policy', 'product_policy', 'working_calendar', 'local_rule_set', 'safety_work_policy'];
const KINDS_AFTER = [...KINDS_BEFORE, 'credit_rules'];
const list = (kinds: string[]) => kinds.map((k) => `'${k}'`).join(',');

/**
 * 信用评价 (issue 17): the rule-file kind `credit_rules` (checklists/credit-rules.yaml); 失信 decisions with their
 * objection and 信用修复; the credit rules a subsidy schedule applied (old schedules keep NULL: computed without).
 */
export class CreditEvaluation1765302000000 implements MigrationInterface {
  name = 'CreditEvaluation1765302000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rule_set DROP CONSTRAINT rule_set_kind_check`);
    await q.query(`ALTER TABLE rule_set ADD CONSTRAINT rule_set_kind_check CHECK (kind IN (${list(KINDS_AFTER)}))`);
    await q.query(`
      CREATE TABLE credit_dishonesty_decision (
        id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id           uuid NOT NULL REFERENCES institution(id),
        division_path            text NOT NULL,
        status                   varchar(10) NOT NULL DEFAULT 'decided' CHECK (status IN ('decided','objected','upheld','withdrawn','repaired')),
        reason                   text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
        legal_basis              text NOT NULL CHECK (length(btrim(legal_basis)) BETWEEN 1 AND 1000),
        decided_on               date NOT NULL,
        objection_due_on         date NOT NULL CHECK (objection_due_on >= decided_on),
        decided_by               uuid NOT NULL REFERENCES app_user(id),
        decided_at               timestamptz NOT NULL DEFAULT now(),
        credit_rules_version_id  uuid NOT NULL REFERENCES rule_set_version(id),
        published                boolean NOT NULL,
        objection                text CHECK (objection IS NULL OR length(btrim(objection)) BETWEEN 1 AND 2000),
        objected_by              uuid REFERENCES app_user(id),
        objected_at              timestamptz,
        review_note              text CHECK (review_note IS NULL OR length(btrim(review_note)) BETWEEN 1 AND 2000),
        reviewed_by              uuid REFERENCES app_user(id),
        reviewed_at              timestamptz,
        repair_reason            text CHECK (repair_reason IS NULL OR length(btrim(repair_reason)) BETWEEN 1 AND 2000),
        repaired_on              date,
        repaired_by              uuid REFERENCES app_user(id),
        repaired_at              timestamptz,
        version                  integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        CHECK ((objection IS NULL) = (objected_at IS NULL) AND (objected_at IS NULL) = (objected_by IS NULL)),
        -- decided → objected → upheld | withdrawn; decided (window passed) | upheld → repaired (src/credit/domain/dishonesty.ts)
        CHECK (CASE status
                 WHEN 'decided' THEN objection IS NULL AND reviewed_at IS NULL
                 WHEN 'objected' THEN objection IS NOT NULL AND reviewed_at IS NULL
                 WHEN 'upheld' THEN objection IS NOT NULL AND reviewed_at IS NOT NULL
                 WHEN 'withdrawn' THEN objection IS NOT NULL AND reviewed_at IS NOT NULL
                 ELSE true END),
        CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL) AND (reviewed_at IS NULL) = (review_note IS NULL)),
        CHECK ((status = 'repaired') = (repaired_at IS NOT NULL) AND (repaired_at IS NULL) = (repaired_by IS NULL)
               AND (repaired_at IS NULL) = (repair_reason IS NULL) AND (repaired_at IS NULL) = (repaired_on IS NULL)),
        CHECK (repaired_on IS NULL OR repaired_on >= decided_on)
      )`);
    // one decision in force (not withdrawn, not repaired) per institution
    await q.query(`CREATE UNIQUE INDEX credit_dishonesty_one_in_force ON credit_dishonesty_decision (institution_id) WHERE status IN ('decided','objected','upheld')`);
    await q.query(`CREATE INDEX credit_dishonesty_scope_idx ON credit_dishonesty_decision (division_path text_pattern_ops, status, decided_on DESC)`);
    await q.query(`CREATE INDEX credit_dishonesty_institution_idx ON credit_dishonesty_decision (institution_id, decided_on DESC)`);
    await q.query(`ALTER TABLE subsidy_schedule ADD COLUMN credit_rules_version_id uuid REFERENCES rule_set_version(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE subsidy_schedule DROP COLUMN credit_rules_version_id`);
    await q.query(`DROP TABLE credit_dishonesty_decision`);
    await q.query(`DELETE FROM rule_set WHERE kind = 'credit_rules'`);
    await q.query(`ALTER TABLE rule_set DROP CONSTRAINT rule_set_kind_check`);
    await q.query(`ALTER TABLE rule_set ADD CONSTRAINT rule_set_kind_check CHECK (kind IN (${list(KINDS_BEFORE)}))`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** The status moves of the loop (unchanged since Rectification1763866800000). */
const STATUS_RULE = `
        IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
             (OLD.status, NEW.status) IN (('open','responded'), ('returned','responded'), ('responded','returned'))
             OR (OLD.status = 'responded' AND NEW.status = 'closed' AND NEW.closure_reason = 'verified')
             OR (OLD.status IN ('open','returned','responded') AND NEW.status = 'closed' AND NEW.closure_reason = 'objection_upheld')) THEN
          RAISE EXCEPTION 'hazard % cannot move from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
        END IF;`;

/**
 * Suspected major hazards (疑似重大隐患) and their confirmation, and the hazard trigger as the last guard of the
 * lifecycle (src/rectification/domain/hazard-lifecycle.ts):
 * - status moves only along the loop (as before);
 * - a major status moves only suspected → confirmed | downgraded, once;
 * - 挂牌督办: a hazard becomes listed only when it is major (not suspected, not downgraded), not closed, and has no
 *   pending objection (陈述申辩); a closed hazard is never listed.
 * - 陈述申辩 rounds: one objection per hazard and round (`hazard_objection.round`); round 2 exists only for a hazard
 *   confirmed major after its first objection, so the institution can object to the major determination (the
 *   window opens at the confirmation, `major_decided_at`).
 * Existing rows keep their values (major_status NULL = major or general as filed before this release; every existing
 * objection is round 1); a hazard
 * listed while its objection is still pending — which the previous release allowed — is unlisted (the sweep lists
 * it again once the objection is rejected or the window has closed).
 */
export class HazardLifecycle1764580100000 implements MigrationInterface {
  name = 'HazardLifecycle1764580100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE hazard
        ADD COLUMN major_status varchar(12) CHECK (major_status IN ('suspected','confirmed','downgraded')),
        ADD COLUMN suspected_reason text,
        ADD COLUMN suspected_by uuid REFERENCES app_user(id),
        ADD COLUMN major_decided_by uuid REFERENCES app_user(id),
        ADD COLUMN major_decided_at timestamptz,
        ADD COLUMN major_decision_reason text,
        ADD COLUMN major_confirm_due date,
        ADD CONSTRAINT hazard_suspected_general CHECK (major_status IS DISTINCT FROM 'suspected' OR severity = 'general'),
        ADD CONSTRAINT hazard_confirmed_major CHECK (major_status IS DISTINCT FROM 'confirmed' OR severity = 'major'),
        ADD CONSTRAINT hazard_downgraded_general CHECK (major_status IS DISTINCT FROM 'downgraded' OR severity = 'general'),
        ADD CONSTRAINT hazard_major_decided CHECK (major_status NOT IN ('confirmed','downgraded') OR (major_decided_by IS NOT NULL AND major_decided_at IS NOT NULL))`);
    await q.query(`ALTER TABLE hazard_objection ADD COLUMN round smallint NOT NULL DEFAULT 1 CHECK (round IN (1, 2))`);
    await q.query(`DROP INDEX hazard_objection_one_per_hazard`);
    await q.query(`CREATE UNIQUE INDEX hazard_objection_one_per_hazard ON hazard_objection (hazard_id, round)`);
    await q.query(`UPDATE hazard h SET listed = false, updated_at = now()
                    WHERE h.listed AND EXISTS (SELECT 1 FROM hazard_objection o WHERE o.hazard_id = h.id AND o.status = 'pending')`);
    await q.query(`UPDATE hazard SET listed = false, updated_at = now() WHERE listed AND status = 'closed'`);
    await q.query(`
      CREATE OR REPLACE FUNCTION hazard_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${STATUS_RULE}
        IF NEW.major_status IS DISTINCT FROM OLD.major_status
           AND NOT (coalesce(OLD.major_status, '') = 'suspected' AND coalesce(NEW.major_status, '') IN ('confirmed','downgraded')) THEN
          RAISE EXCEPTION 'hazard % major status cannot move from % to %', OLD.id, coalesce(OLD.major_status, 'none'), coalesce(NEW.major_status, 'none')
            USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.listed AND (NOT OLD.listed OR NEW.status IS DISTINCT FROM OLD.status OR NEW.major_status IS DISTINCT FROM OLD.major_status) THEN
          IF NEW.severity <> 'major' OR coalesce(NEW.major_status, '') IN ('suspected','downgraded') OR NEW.status = 'closed' THEN
            RAISE EXCEPTION 'hazard % cannot be listed: not an open confirmed major hazard', NEW.id USING ERRCODE = 'check_violation';
          END IF;
          IF EXISTS (SELECT 1 FROM hazard_objection o WHERE o.hazard_id = NEW.id AND o.status = 'pending') THEN
            RAISE EXCEPTION 'hazard % cannot be listed while its objection is pending', NEW.id USING ERRCODE = 'check_violation';
          END IF;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`DROP TRIGGER hazard_status_transition ON hazard`);
    await q.query(`CREATE TRIGGER hazard_status_transition BEFORE UPDATE OF status, listed, major_status ON hazard FOR EACH ROW EXECUTE FUNCTION hazard_status_transition()`);
    // The sweep's listing step reads the open major hazards not yet listed.
    await q.query(`CREATE INDEX hazard_unlisted_major_idx ON hazard (id) WHERE severity = 'major' AND NOT listed AND status <> 'closed'`);
    await q.query(`CREATE INDEX hazard_suspected_idx ON hazard (major_confirm_due) WHERE major_status = 'suspected'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX hazard_suspected_idx, hazard_unlisted_major_idx`);
    // The previous release knows one objection per hazard: a second-round objection (against a major confirmation)
    // cannot be represented there and is removed.
    await q.query(`DELETE FROM hazard_objection WHERE round = 2`);
    await q.query(`DROP INDEX hazard_objection_one_per_hazard`);
    await q.query(`CREATE UNIQUE INDEX hazard_objection_one_per_hazard ON hazard_objection (hazard_id)`);
    await q.query(`ALTER TABLE hazard_objection DROP COLUMN round`);
    await q.query(`DROP TRIGGER hazard_status_transition ON hazard`);
    await q.query(`
      CREATE OR REPLACE FUNCTION hazard_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = OLD.status THEN RETURN NEW; END IF;
        ${STATUS_RULE}
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER hazard_status_transition BEFORE UPDATE OF status ON hazard FOR EACH ROW EXECUTE FUNCTION hazard_status_transition()`);
    await q.query(`
      ALTER TABLE hazard DROP CONSTRAINT hazard_major_decided, DROP CONSTRAINT hazard_downgraded_general, DROP CONSTRAINT hazard_confirmed_major,
        DROP CONSTRAINT hazard_suspected_general, DROP COLUMN major_confirm_due, DROP COLUMN major_decision_reason, DROP COLUMN major_decided_at,
        DROP COLUMN major_decided_by, DROP COLUMN suspected_by, DROP COLUMN suspected_reason, DROP COLUMN major_status`);
  }
}

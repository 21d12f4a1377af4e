import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 机构档案变更申请: an institution's change to the facts that decide money (beds, residents by care level)
 * and applicability (the building profile) waits here until a bureau user approves it; the institution row
 * keeps the confirmed values. At most one pending request per institution; a decided request never changes
 * (except following its institution to another division).
 */
export class InstitutionChangeRequests1763882700000 implements MigrationInterface {
  name = 'InstitutionChangeRequests1763882700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE evidence DROP CONSTRAINT evidence_purpose_check`);
    await q.query(`ALTER TABLE evidence ADD CONSTRAINT evidence_purpose_check CHECK (purpose IN ('finding','signature','rectification','change_request'))`);

    await q.query(`
      CREATE TABLE institution_change_request (
        id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id         uuid NOT NULL REFERENCES institution(id),
        division_path          text NOT NULL,
        requested_by           uuid NOT NULL REFERENCES app_user(id),
        requested_at           timestamptz NOT NULL DEFAULT now(),
        -- only the changed fields: the confirmed values when filed, and the requested ones
        before                 jsonb NOT NULL CHECK (jsonb_typeof(before) = 'object'),
        after                  jsonb NOT NULL CHECK (jsonb_typeof(after) = 'object' AND after <> '{}'::jsonb),
        reason                 text NOT NULL CHECK (length(btrim(reason)) > 0),
        attachment_evidence_id uuid REFERENCES evidence(id),
        status                 varchar(12) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','withdrawn')),
        decided_by             uuid REFERENCES app_user(id),
        decided_at             timestamptz,
        decision_note          text,
        version                integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        CHECK ((status = 'pending') = (decided_at IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)),
        CHECK (status <> 'rejected' OR length(btrim(coalesce(decision_note, ''))) > 0)
      )`);
    await q.query(`CREATE UNIQUE INDEX institution_change_request_one_pending ON institution_change_request (institution_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX institution_change_request_scope_idx ON institution_change_request (division_path text_pattern_ops, status, requested_at DESC)`);
    await q.query(`CREATE INDEX institution_change_request_institution_idx ON institution_change_request (institution_id, requested_at DESC)`);

    await q.query(`
      CREATE FUNCTION institution_change_request_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        decision text[] := ARRAY['status','decided_by','decided_at','decision_note','version','division_path'];
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'institution change request % cannot be deleted', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.status <> 'pending' AND (to_jsonb(NEW) - 'division_path') IS DISTINCT FROM (to_jsonb(OLD) - 'division_path') THEN
          RAISE EXCEPTION 'institution change request % is % and cannot change', OLD.id, OLD.status USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (to_jsonb(NEW) - decision) IS DISTINCT FROM (to_jsonb(OLD) - decision) THEN
          RAISE EXCEPTION 'institution change request %: only its decision may change', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER institution_change_request_guard BEFORE UPDATE OR DELETE ON institution_change_request
                   FOR EACH ROW EXECUTE FUNCTION institution_change_request_guard()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE institution_change_request`);
    await q.query(`DROP FUNCTION institution_change_request_guard()`);
    await q.query(`DELETE FROM evidence WHERE purpose = 'change_request'`);
    await q.query(`ALTER TABLE evidence DROP CONSTRAINT evidence_purpose_check`);
    await q.query(`ALTER TABLE evidence ADD CONSTRAINT evidence_purpose_check CHECK (purpose IN ('finding','signature','rectification'))`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 注销 is final: once an institution's status is closed it never changes again, and while it is closed its open
 * closure interruption is never ended — otherwise the subsidy's operating period would count it as operating again
 * (docs/scoring.md §3). (A 'closed' interruption recorded for an institution that is not closed — a past stop of
 * operation entered through the operating-period API — can still be ended once, as before.) The service refuses both with 409 institution.closed_final; these triggers are the
 * last guard for any other path. Data of earlier releases: a closed institution stays closed (nothing to change).
 */
export class InstitutionRegistry1765180200000 implements MigrationInterface {
  name = 'InstitutionRegistry1765180200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION institution_closed_final() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'closed' AND NEW.status IS DISTINCT FROM 'closed' THEN
          RAISE EXCEPTION 'institution % is closed; closure is final', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER institution_closed_final BEFORE UPDATE OF status ON institution
      FOR EACH ROW EXECUTE FUNCTION institution_closed_final()`);
    await q.query(`
      CREATE FUNCTION institution_closure_never_ends() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.kind = 'closed' AND OLD.to_date IS NULL AND NEW.to_date IS NOT NULL
           AND EXISTS (SELECT 1 FROM institution WHERE id = OLD.institution_id AND status = 'closed') THEN
          RAISE EXCEPTION 'the closure of institution % is final and is never ended', OLD.institution_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER institution_closure_never_ends BEFORE UPDATE ON institution_interruption
      FOR EACH ROW EXECUTE FUNCTION institution_closure_never_ends()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER institution_closure_never_ends ON institution_interruption`);
    await q.query(`DROP FUNCTION institution_closure_never_ends()`);
    await q.query(`DROP TRIGGER institution_closed_final ON institution`);
    await q.query(`DROP FUNCTION institution_closed_final()`);
  }
}

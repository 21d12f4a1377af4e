import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account and audit pages (issue 13):
 * - `app_user.last_sign_in_at`, set at every successful sign-in; backfilled from the sessions already opened, so
 *   accounts of the previous release show when they last signed in;
 * - `audit_verification`: the result of each audit-chain verification (the 审计日志 page and the admin's home show
 *   the last one); a log of a read, not a change, so it is not itself an audit event;
 * - indexes for the audit log's filters (actor, action, time).
 */
export class AccountPages1765180500000 implements MigrationInterface {
  name = 'AccountPages1765180500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN last_sign_in_at timestamptz`);
    await q.query(`
      UPDATE app_user u SET last_sign_in_at = s.at
        FROM (SELECT user_id, max(created_at) AS at FROM auth_session GROUP BY user_id) s
       WHERE s.user_id = u.id`);
    await q.query(`CREATE INDEX app_user_division_path_idx ON app_user (division_path text_pattern_ops)`);

    await q.query(`
      CREATE TABLE audit_verification (
        id                 bigserial PRIMARY KEY,
        verified_at        timestamptz NOT NULL DEFAULT now(),
        scope_path         text NOT NULL,
        verified_by        uuid REFERENCES app_user(id),
        ok                 boolean NOT NULL,
        checked            integer NOT NULL CHECK (checked >= 0),
        unverified         integer NOT NULL DEFAULT 0 CHECK (unverified >= 0),
        first_broken_id    bigint,
        first_broken_reason varchar(32) CHECK (first_broken_reason IN ('prev_hash_mismatch','hash_mismatch')),
        broken_outside_scope boolean NOT NULL DEFAULT false,
        CHECK (ok = (first_broken_id IS NULL AND NOT broken_outside_scope))
      )`);
    await q.query(`CREATE INDEX audit_verification_scope_idx ON audit_verification (scope_path text_pattern_ops, verified_at DESC)`);

    await q.query(`CREATE INDEX audit_event_actor_idx ON audit_event (actor_name)`);
    await q.query(`CREATE INDEX audit_event_action_idx ON audit_event (action)`);
    await q.query(`CREATE INDEX audit_event_occurred_idx ON audit_event (occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_event_occurred_idx, audit_event_action_idx, audit_event_actor_idx`);
    await q.query(`DROP TABLE audit_verification`);
    await q.query(`DROP INDEX app_user_division_path_idx`);
    await q.query(`ALTER TABLE app_user DROP COLUMN last_sign_in_at`);
  }
}

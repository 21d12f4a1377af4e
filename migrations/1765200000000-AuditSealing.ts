import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15 — the audit chain without a lock on the request path (docs/adr/0001-audit-chain.md).
 *
 * - `audit_event` gains `xid` (the writing transaction, `pg_current_xact_id()`); new events are written unchained
 *   (`prev_hash`/`hash` NULL). Events of the previous release keep their hashes (xid NULL = legacy) and are adopted
 *   into the sealed chain, in id order, by the sealer's first pass.
 * - `audit_seal`: one append-only row per sealed event — the gapless sequence number (its primary key), the
 *   algorithm, prev hash, hash and a keyed MAC. A separate table so that `audit_event` stays strictly insert-only
 *   (no UPDATE grant, no "set once" trigger) and so that the sequence's uniqueness has a primary key of its own
 *   while audit_event becomes partitioned by month (no unique index there without occurred_at).
 * - `audit_checkpoint`: the chain head every so often, MAC-chained, also appended to DATA_DIR/audit/checkpoints.log.
 * - `audit_verification.warnings` (jsonb codes) and the outcome "not verifiable" (the key missing: ok false, no break).
 * - The UNIQUE index on audit_event.hash goes (a partitioned table cannot keep it; the seal carries the chain now).
 */
export class AuditSealing1765200000000 implements MigrationInterface {
  name = 'AuditSealing1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_event ADD COLUMN xid xid8`);
    await q.query(`ALTER TABLE audit_event ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL`);
    await q.query(`ALTER TABLE audit_event DROP CONSTRAINT IF EXISTS audit_event_hash_key`);
    // The sealer's scan: unsealed events after the head, in (xid, id) order. Legacy rows (xid NULL) sort last and are read by id.
    await q.query(`CREATE INDEX audit_event_xid_idx ON audit_event (xid, id)`);

    await q.query(`
      CREATE TABLE audit_seal (
        seq          bigint PRIMARY KEY CHECK (seq > 0),
        event_id     bigint NOT NULL UNIQUE,
        event_xid    xid8,
        occurred_at  timestamptz NOT NULL,
        alg          varchar(16) NOT NULL CHECK (alg IN ('sha256', 'sm3')),
        prev_hash    char(64) NOT NULL,
        hash         char(64) NOT NULL,
        mac          char(64) NOT NULL,
        sealed_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE audit_checkpoint (
        id           bigint PRIMARY KEY,
        created_at   timestamptz NOT NULL,
        head_seq     bigint NOT NULL CHECK (head_seq >= 0),
        head_hash    char(64) NOT NULL,
        alg          varchar(16) NOT NULL CHECK (alg IN ('sha256', 'sm3')),
        reason       varchar(16) NOT NULL,
        prev_mac     char(64) NOT NULL,
        mac          char(64) NOT NULL
      )`);
    await q.query(`CREATE SEQUENCE audit_checkpoint_id_seq OWNED BY audit_checkpoint.id`);
    for (const table of ['audit_seal', 'audit_checkpoint']) {
      await q.query(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only()`);
    }

    await q.query(`ALTER TABLE audit_verification DROP CONSTRAINT IF EXISTS audit_verification_first_broken_reason_check`);
    await q.query(`ALTER TABLE audit_verification ADD CONSTRAINT audit_verification_first_broken_reason_check CHECK (first_broken_reason IN (
      'prev_hash_mismatch','hash_mismatch','mac_mismatch','seq_gap','event_missing','order_mismatch','not_sealed','tail_truncated','checkpoint_mismatch','checkpoint_missing'))`);
    // The warnings of a verification (codes, e.g. [{"code":"unsealed_stale","count":3}]), and one more outcome: not
    // verifiable (ok false, no break: the MAC key is missing or not the chain's).
    await q.query(`ALTER TABLE audit_verification ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`ALTER TABLE audit_verification DROP CONSTRAINT IF EXISTS audit_verification_check`);
    await q.query(`ALTER TABLE audit_verification ADD CONSTRAINT audit_verification_check CHECK (
      ok = (first_broken_id IS NULL AND NOT broken_outside_scope)
      OR (NOT ok AND first_broken_id IS NULL AND first_broken_reason IS NULL AND NOT broken_outside_scope))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM audit_verification WHERE NOT ok AND first_broken_id IS NULL AND NOT broken_outside_scope`);
    await q.query(`ALTER TABLE audit_verification DROP CONSTRAINT IF EXISTS audit_verification_check`);
    await q.query(`ALTER TABLE audit_verification ADD CONSTRAINT audit_verification_check CHECK (ok = (first_broken_id IS NULL AND NOT broken_outside_scope))`);
    await q.query(`ALTER TABLE audit_verification DROP COLUMN warnings`);
    await q.query(`ALTER TABLE audit_verification DROP CONSTRAINT IF EXISTS audit_verification_first_broken_reason_check`);
    await q.query(`ALTER TABLE audit_verification ADD CONSTRAINT audit_verification_first_broken_reason_check CHECK (first_broken_reason IN ('prev_hash_mismatch','hash_mismatch'))`);
    await q.query(`DROP TABLE audit_checkpoint, audit_seal`);
    await q.query(`DROP INDEX audit_event_xid_idx`);
    // Down only works while every event is a legacy one (new events have no hash of their own).
    await q.query(`ALTER TABLE audit_event ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`);
    await q.query(`ALTER TABLE audit_event ADD CONSTRAINT audit_event_hash_key UNIQUE (hash)`);
    await q.query(`ALTER TABLE audit_event DROP COLUMN xid`);
  }
}

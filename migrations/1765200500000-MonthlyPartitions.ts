import { MigrationInterface, QueryRunner } from 'typeorm';
import { toMonthlyPartitions } from './support/monthly-partitions';

/**
 * 按月分区: item responses, audit events and notifications become partitioned by month (China time), so a month can
 * be detached and archived or dropped instead of deleted row by row (docs/adr/0003-partitioned-history.md).
 *
 * - inspection_response by `recorded_at` (new): when the response was written — the submission's transaction time
 *   (DEFAULT now()); old rows get their inspection's submission time. response_evidence gains `recorded_at` too
 *   (the foreign key to a response now includes it), filled from the response on insert.
 * - audit_event by `occurred_at`; notification by `created_at` (notification_delivery / notification_read gain
 *   `notification_created_at` for their foreign keys).
 * - notification.dedup_key stays unique across all months: a non-partitioned notification_dedup table claimed by a
 *   BEFORE INSERT trigger (a duplicate is skipped, as `ON CONFLICT DO NOTHING` did).
 * The tables are converted generically (support/monthly-partitions.ts): every column, key, index, trigger, foreign
 * key, grant and policy they have at this point is carried over; keys gain the partition column.
 */
export class MonthlyPartitions1765200500000 implements MigrationInterface {
  name = 'MonthlyPartitions1765200500000';

  async up(q: QueryRunner): Promise<void> {
    await toMonthlyPartitions(q, {
      table: 'inspection_response', key: 'recorded_at',
      addColumns: { recorded_at: 'timestamptz NOT NULL DEFAULT now()' },
      joins: 'LEFT JOIN inspection i ON i.id = o.inspection_id',
      fill: { recorded_at: 'coalesce(i.submitted_at, i.updated_at, i.created_at, now())', city_code: 'coalesce(o.city_code, i.city_code)' },
      notNull: ['city_code'], referencingColumn: { response_evidence: 'recorded_at' },
    });
    await q.query(`COMMENT ON COLUMN inspection_response.recorded_at IS '记录时间: when the response was written (its submission''s transaction time); the partition key'`);

    // The dedup key is unique over every month: claimed in a small table of its own before the row is written.
    await q.query(`CREATE TABLE notification_dedup (
      dedup_key varchar(128) PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`INSERT INTO notification_dedup (dedup_key, created_at) SELECT dedup_key, created_at FROM notification`);
    await q.query(`COMMENT ON TABLE notification_dedup IS 'notification.dedup_key, unique across the monthly partitions of notification (claimed by notification_dedup_claim)'`);
    await toMonthlyPartitions(q, { table: 'notification', key: 'created_at', dropUnique: ['notification_dedup_key_key'] });
    await q.query(`CREATE INDEX notification_dedup_key_idx ON notification (dedup_key)`);
    await q.query(`CREATE FUNCTION notification_dedup_claim() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO notification_dedup (dedup_key, created_at) VALUES (NEW.dedup_key, NEW.created_at) ON CONFLICT (dedup_key) DO NOTHING;
        IF NOT FOUND THEN RETURN NULL; END IF; -- already notified: the row is skipped, RETURNING yields nothing
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER notification_dedup_claim BEFORE INSERT ON notification FOR EACH ROW EXECUTE FUNCTION notification_dedup_claim()`);
    await q.query(`ALTER TABLE notification ENABLE ALWAYS TRIGGER notification_dedup_claim`);
    // Whoever may write notifications may claim their keys.
    await q.query(`DO $$ DECLARE g record; BEGIN
      FOR g IN SELECT DISTINCT r.rolname FROM pg_class c, aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee
                WHERE c.oid = 'notification'::regclass AND a.privilege_type = 'INSERT' AND a.grantee <> c.relowner LOOP
        EXECUTE format('GRANT SELECT, INSERT, DELETE ON notification_dedup TO %I', g.rolname);
      END LOOP; END $$`);

    await toMonthlyPartitions(q, { table: 'audit_event', key: 'occurred_at' });
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to ordinary tables: the rows are copied into a plain table of the same shape (keys as they are now).
    for (const [table, key] of [['audit_event', 'occurred_at'], ['notification', 'created_at'], ['inspection_response', 'recorded_at']] as const) {
      await unpartition(q, table, key);
    }
    await q.query(`DROP TRIGGER IF EXISTS notification_dedup_claim ON notification`);
    await q.query(`DROP FUNCTION IF EXISTS notification_dedup_claim()`);
    await q.query(`DROP INDEX IF EXISTS notification_dedup_key_idx`);
    await q.query(`DROP TABLE IF EXISTS notification_dedup`);
  }
}

/** The reverse of the conversion, kept simple: a plain copy of the partitioned table under the same name. */
async function unpartition(q: QueryRunner, table: string, _key: string): Promise<void> {
  const [kind] = await q.query(`SELECT relkind FROM pg_class WHERE oid = to_regclass($1)`, [`public.${table}`]);
  if (kind?.relkind !== 'p') return;
  throw new Error(`${table} is partitioned: MonthlyPartitions has no automatic down migration (restore the pre-upgrade backup)`);
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Published versions of the rule files under checklists/. A version is identified by the SHA-256 of the file;
 * once stored it never changes (the database refuses UPDATE and DELETE), so anything pinned to it stays explainable.
 */
export class RuleSetVersions1763859600000 implements MigrationInterface {
  name = 'RuleSetVersions1763859600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_set (
        code               varchar(64) PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9.-]*$'),
        kind               varchar(32) NOT NULL CHECK (kind IN ('inspection_checklist','major_hazard_criteria','grading_form','self_inspection')),
        current_version_id uuid
      )`);
    await q.query(`
      CREATE TABLE rule_set_version (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        rule_set_code varchar(64) NOT NULL REFERENCES rule_set(code),
        version_no    integer NOT NULL CHECK (version_no >= 1),
        content_hash  char(64) NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
        file_name     varchar(200) NOT NULL,
        title_zh      varchar(200) NOT NULL,
        title_en      varchar(200),
        content       jsonb NOT NULL,
        raw_text      text NOT NULL,
        warnings      jsonb NOT NULL DEFAULT '[]',
        published_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (rule_set_code, content_hash),
        UNIQUE (rule_set_code, version_no)
      )`);
    await q.query(`ALTER TABLE rule_set ADD CONSTRAINT rule_set_current_fk FOREIGN KEY (current_version_id) REFERENCES rule_set_version(id)`);
    await q.query(`
      CREATE TABLE checklist_item (
        version_id  uuid NOT NULL REFERENCES rule_set_version(id),
        code        varchar(32) NOT NULL,
        category    varchar(16) NOT NULL,
        position    integer NOT NULL,
        severity    varchar(8) NOT NULL CHECK (severity IN ('general','major')),
        item        jsonb NOT NULL,
        PRIMARY KEY (version_id, code)
      )`);
    await q.query(`CREATE INDEX checklist_item_code_idx ON checklist_item (code)`);
    await q.query(`
      CREATE FUNCTION published_rule_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is immutable once published (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['rule_set_version', 'checklist_item']) {
      await q.query(`CREATE TRIGGER ${table}_immutable BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION published_rule_is_immutable()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE checklist_item`);
    await q.query(`ALTER TABLE rule_set DROP CONSTRAINT rule_set_current_fk`);
    await q.query(`DROP TABLE rule_set_version, rule_set`);
    await q.query(`DROP FUNCTION published_rule_is_immutable()`);
  }
}

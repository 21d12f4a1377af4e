import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = ['nursing_home', 'nursing_care', 'community_complex', 'day_care', 'meal_point', 'rural_home'];
const KINDS_AFTER = [...KINDS_BEFORE, 'neighbourhood_point'];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(',');

/**
 * Building profiles that describe real buildings: the floors the facility occupies, the host building (storeys,
 * height, use) when the facility sits inside another building, capacity in places for facilities without beds,
 * the registry fact profit status, and the kind 睦邻点/互助养老点 (neighbourhood_point).
 *
 * Backfill from the previous release's columns, so existing institutions keep their applicability where the data
 * allows: facility_lowest_floor = lowest_floor; facility_highest_floor = storeys for a stand-alone building (the
 * facility is the building) and for a facility on the host's top floor (lowest_floor = storeys); otherwise NULL
 * (not recorded: the refuge-room rule then applies with "楼层待核实"); host_building_storeys = storeys when inside
 * another building. Height, host use, capacity and profit status were never recorded: NULL.
 */
export class BuildingProfiles1764580400000 implements MigrationInterface {
  name = 'BuildingProfiles1764580400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE institution DROP CONSTRAINT institution_kind_check`);
    await q.query(`ALTER TABLE institution ADD CONSTRAINT institution_kind_check CHECK (kind IN (${list(KINDS_AFTER)}))`);
    await q.query(`
      ALTER TABLE institution
        ADD COLUMN facility_lowest_floor  integer CHECK (facility_lowest_floor BETWEEN -5 AND 200),
        ADD COLUMN facility_highest_floor integer CHECK (facility_highest_floor BETWEEN -5 AND 200),
        ADD COLUMN host_building_storeys  integer CHECK (host_building_storeys BETWEEN 1 AND 200),
        ADD COLUMN building_height_m      numeric(6,2) CHECK (building_height_m >= 0),
        ADD COLUMN host_building_use      varchar(16) CHECK (host_building_use IN ('residential','commercial','office','mixed','other')),
        ADD COLUMN capacity_places        integer CHECK (capacity_places >= 0),
        ADD COLUMN profit_status          varchar(16) CHECK (profit_status IN ('for_profit','non_profit')),
        ADD CONSTRAINT institution_facility_floors_ordered
          CHECK (facility_lowest_floor IS NULL OR facility_highest_floor IS NULL OR facility_lowest_floor <= facility_highest_floor)`);
    // (dropped before the backfill: a NOT VALID copy of it, re-added by down(), would check every updated row)
    await q.query(`ALTER TABLE institution DROP CONSTRAINT ${await residentsCheckName(q)}`);
    await q.query(`
      UPDATE institution SET
        facility_lowest_floor  = lowest_floor,
        facility_highest_floor = CASE WHEN NOT inside_other_building OR lowest_floor = storeys THEN storeys END,
        host_building_storeys  = CASE WHEN inside_other_building THEN storeys END`);
    // Residents within occupied beds only where residents stay overnight; a facility without beds (day care, meal
    // point, 睦邻点) records its attendees within its capacity places (src/institutions/profile-rules.ts).
    await q.query(`ALTER TABLE institution ADD CONSTRAINT institution_residents_within_capacity CHECK (
      CASE WHEN kind IN ('nursing_home','nursing_care','rural_home') OR (kind = 'community_complex' AND approved_beds > 0)
           THEN ${RESIDENTS} <= occupied_beds
           ELSE capacity_places IS NULL OR ${RESIDENTS} <= capacity_places END)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE institution DROP CONSTRAINT institution_residents_within_capacity`);
    await q.query(`ALTER TABLE institution ADD CONSTRAINT institution_check1 CHECK (${RESIDENTS} <= occupied_beds) NOT VALID`);
    await q.query(`ALTER TABLE institution DROP CONSTRAINT institution_kind_check`);
    await q.query(`ALTER TABLE institution ADD CONSTRAINT institution_kind_check CHECK (kind IN (${list(KINDS_BEFORE)})) NOT VALID`);
    await q.query(`
      ALTER TABLE institution
        DROP CONSTRAINT institution_facility_floors_ordered,
        DROP COLUMN facility_lowest_floor, DROP COLUMN facility_highest_floor, DROP COLUMN host_building_storeys,
        DROP COLUMN building_height_m, DROP COLUMN host_building_use, DROP COLUMN capacity_places, DROP COLUMN profit_status`);
  }
}

const RESIDENTS = 'residents_self_care + residents_mildly_disabled + residents_moderately_disabled + residents_severely_disabled';

/** The Foundation migration's unnamed "residents ≤ occupied beds" check (named by PostgreSQL, found by its text). */
async function residentsCheckName(q: QueryRunner): Promise<string> {
  const rows: { conname: string }[] = await q.query(`
    SELECT conname FROM pg_constraint
     WHERE conrelid = 'institution'::regclass AND contype = 'c'
       AND pg_get_constraintdef(oid) LIKE '%residents_self_care%' AND pg_get_constraintdef(oid) LIKE '%occupied_beds%'`);
  if (rows.length !== 1) throw new Error(`expected one residents-within-beds check on institution, found ${rows.map((r) => r.conname).join(', ') || 'none'}`);
  return `"${rows[0].conname}"`;
}

import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { AuditEvent } from '../audit/audit-event.entity';
import { AuthSession, LoginAttempt } from '../sessions/session.entity';
import { ChecklistItemRow, RuleSet, RuleSetVersion } from '../checklists/rule-set.entity';
import { Division } from '../divisions/division.entity';
import { Evidence } from '../evidence/evidence.entity';
import { Inspection, InspectionPlan, InspectionTeamMember } from '../inspections/inspection.entity';
import { Hazard } from '../hazards/hazard.entity';
import { Institution } from '../institutions/institution.entity';
import { User } from '../users/user.entity';
import { SnakeNamingStrategy } from './naming-strategy';

export const ENTITIES = [Division, Institution, User, AuthSession, LoginAttempt, AuditEvent, RuleSet, RuleSetVersion, ChecklistItemRow,
  InspectionPlan, Inspection, InspectionTeamMember, Evidence, Hazard];

/** The one options object the app, the CLI scripts and the tests use. */
export function dataSourceOptions(url: string, overrides: Partial<DataSourceOptions> = {}, poolMax = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsTransactionMode: 'each',
    // A request that cannot get a connection within 15 s fails instead of queueing forever.
    extra: { max: poolMax, application_name: 'yian', connectionTimeoutMillis: 15_000 },
    ...overrides,
  } as DataSourceOptions;
}

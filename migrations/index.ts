import { Foundation1763856000000 } from './1763856000000-Foundation';
import { RuleSetVersions1763859600000 } from './1763859600000-RuleSetVersions';
import { Inspections1763863200000 } from './1763863200000-Inspections';
import { Rectification1763866800000 } from './1763866800000-Rectification';
import { ScoresGradesSubsidies1763870400000 } from './1763870400000-ScoresGradesSubsidies';
import { ScoringIndexes1763874000000 } from './1763874000000-ScoringIndexes';
import { OpenHazardIndex1763877600000 } from './1763877600000-OpenHazardIndex';
import { InstitutionChangeRequests1763882700000 } from './1763882700000-InstitutionChangeRequests';
import { CsvSafe1763889000000 } from './1763889000000-CsvSafe';
import { DocumentRenderState1763892600000 } from './1763892600000-DocumentRenderState';
import { RulePolicyPins1764580000000 } from './1764580000000-RulePolicyPins';
import { HazardLifecycle1764580100000 } from './1764580100000-HazardLifecycle';
import { GradeLifecycle1764580200000 } from './1764580200000-GradeLifecycle';
import { SubsidyTime1764580300000 } from './1764580300000-SubsidyTime';
import { BuildingProfiles1764580400000 } from './1764580400000-BuildingProfiles';
import { LocalRuleSets1764580500000 } from './1764580500000-LocalRuleSets';
import { PlanPages1765180000000 } from './1765180000000-PlanPages';
import { HazardLedgerSearch1765180100000 } from './1765180100000-HazardLedgerSearch';
import { InstitutionRegistry1765180200000 } from './1765180200000-InstitutionRegistry';
import { SubsidyPages1765180400000 } from './1765180400000-SubsidyPages';
import { AccountPages1765180500000 } from './1765180500000-AccountPages';
import { NotificationReads1765180600000 } from './1765180600000-NotificationReads';
import { DashboardSummaries1765190000000 } from './1765190000000-DashboardSummaries';
import { TeamDrafts1765190100000 } from './1765190100000-TeamDrafts';
import { EvidenceMarkup1765190200000 } from './1765190200000-EvidenceMarkup';
import { NotificationsForAll1765190300000 } from './1765190300000-NotificationsForAll';

/** Every migration, in order. Listed explicitly so ts-node, tsc output and jest all see the same set. */
export const MIGRATIONS = [Foundation1763856000000, RuleSetVersions1763859600000, Inspections1763863200000, Rectification1763866800000, ScoresGradesSubsidies1763870400000, ScoringIndexes1763874000000, OpenHazardIndex1763877600000, InstitutionChangeRequests1763882700000, CsvSafe1763889000000, DocumentRenderState1763892600000, RulePolicyPins1764580000000, HazardLifecycle1764580100000, GradeLifecycle1764580200000, SubsidyTime1764580300000, BuildingProfiles1764580400000, LocalRuleSets1764580500000, PlanPages1765180000000, HazardLedgerSearch1765180100000, InstitutionRegistry1765180200000, SubsidyPages1765180400000, AccountPages1765180500000, NotificationReads1765180600000, DashboardSummaries1765190000000, TeamDrafts1765190100000, EvidenceMarkup1765190200000, NotificationsForAll1765190300000];

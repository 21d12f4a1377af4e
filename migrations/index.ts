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
import { AuditSealing1765200000000 } from './1765200000000-AuditSealing';
import { DatabaseRoles1765200100000 } from './1765200100000-DatabaseRoles';
import { SubmissionPath1765200200000 } from './1765200200000-SubmissionPath';
import { DashboardFlat1765200300000 } from './1765200300000-DashboardFlat';
import { DivisionKeys1765200400000 } from './1765200400000-DivisionKeys';
import { MonthlyPartitions1765200500000 } from './1765200500000-MonthlyPartitions';
import { DashboardInstitutions1765200600000 } from './1765200600000-DashboardInstitutions';
import { SafetyWorkPolicy1765200700000 } from './1765200700000-SafetyWorkPolicy';
import { Complaints1765220000000 } from './1765220000000-Complaints';
import { Registers1765220100000 } from './1765220100000-Registers';
import { Drills1765220200000 } from './1765220200000-Drills';
import { Incidents1765220300000 } from './1765220300000-Incidents';
import { Patrols1765220400000 } from './1765220400000-Patrols';
import { DrillPhotos1765220500000 } from './1765220500000-DrillPhotos';
import { DeviceEvents1765300000000 } from './1765300000000-DeviceEvents';
import { StratifiedPlans1765300100000 } from './1765300100000-StratifiedPlans';
import { InspectionCodes1765301000000 } from './1765301000000-InspectionCodes';
import { CreditEvaluation1765302000000 } from './1765302000000-CreditEvaluation';

// Issue 16's migrations take 17652200…: the names Complaints1765210000000 … Incidents1765210300000 were once listed
// as empty slots (commit a268656, removed in d26ce1f), so an installation may have recorded them as run; new names
// make sure every installation runs the real ones.
/** Every migration, in order. Listed explicitly so ts-node, tsc output and jest all see the same set. */
export const MIGRATIONS = [Foundation1763856000000, RuleSetVersions1763859600000, Inspections1763863200000, Rectification1763866800000, ScoresGradesSubsidies1763870400000, ScoringIndexes1763874000000, OpenHazardIndex1763877600000, InstitutionChangeRequests1763882700000, CsvSafe1763889000000, DocumentRenderState1763892600000, RulePolicyPins1764580000000, HazardLifecycle1764580100000, GradeLifecycle1764580200000, SubsidyTime1764580300000, BuildingProfiles1764580400000, LocalRuleSets1764580500000, PlanPages1765180000000, HazardLedgerSearch1765180100000, InstitutionRegistry1765180200000, SubsidyPages1765180400000, AccountPages1765180500000, NotificationReads1765180600000, DashboardSummaries1765190000000, TeamDrafts1765190100000, EvidenceMarkup1765190200000, NotificationsForAll1765190300000, AuditSealing1765200000000, DatabaseRoles1765200100000, SubmissionPath1765200200000, DashboardFlat1765200300000, DivisionKeys1765200400000, MonthlyPartitions1765200500000, DashboardInstitutions1765200600000, SafetyWorkPolicy1765200700000, Complaints1765220000000, Registers1765220100000, Drills1765220200000, Incidents1765220300000, Patrols1765220400000, DrillPhotos1765220500000, DeviceEvents1765300000000, StratifiedPlans1765300100000, InspectionCodes1765301000000, CreditEvaluation1765302000000];

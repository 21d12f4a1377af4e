import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../common/app-error';
import { Page, pageOf, PageQuery } from '../common/pagination';
import { projectRoot } from '../common/project-root';
import { AuthUser } from '../common/scope';
import { APP_CONFIG, AppConfig } from '../config/env';
import { Institution } from '../institutions/institution.entity';
import { InstitutionsService } from '../institutions/institutions.service';
import { applicableItems, checklistContent, ChecklistItem, criteriaContent, InstitutionProfile, loadRuleDirectory, LocalizedText } from './domain';
import { ChecklistsRepository } from './checklists.repository';
import { ChecklistItemRow, RuleSet, RuleSetVersion } from './rule-set.entity';

export interface SyncReport {
  published: { code: string; versionNo: number }[];
  activated: { code: string; versionNo: number }[];
}

/** Rule files become published versions; published versions are read, never changed. */
@Injectable()
export class ChecklistsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ChecklistsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly checklists: ChecklistsRepository,
    private readonly institutions: InstitutionsService,
    private readonly audit: AuditService,
  ) {}

  /** The service refuses to start on an invalid catalogue: loadRuleDirectory throws with file, line and field. */
  async onApplicationBootstrap(): Promise<void> {
    const report = await this.syncFromDirectory();
    for (const p of report.published) this.logger.log(`published ${p.code} v${p.versionNo}`);
  }

  directory(): string {
    return this.config.CHECKLISTS_DIR ? path.resolve(this.config.CHECKLISTS_DIR) : path.join(projectRoot(), 'checklists');
  }

  /** Publishes every changed file as a new version and makes the file's version the current one. Idempotent. */
  async syncFromDirectory(dir = this.directory()): Promise<SyncReport> {
    const { files } = loadRuleDirectory(dir);
    const report: SyncReport = { published: [], activated: [] };
    await this.dataSource.transaction(async (em) => {
      await this.checklists.lockForPublishing(em);
      for (const file of files) {
        const { code, kind } = file.content;
        const ruleSet = await this.checklists.ensureRuleSet(em, code, kind);
        let version = await this.checklists.findVersionByHash(em, code, file.hash);
        if (!version) {
          const rawText = fs.readFileSync(path.join(dir, file.fileName), 'utf8');
          version = await this.checklists.insertVersion(em, file, rawText);
          report.published.push({ code, versionNo: version.versionNo });
          await this.audit.record(em, {
            action: 'rule_set.publish', entityType: 'rule_set_version', entityId: version.id, scopePath: null,
            after: { code, versionNo: version.versionNo, contentHash: file.hash, fileName: file.fileName },
          });
        }
        if (ruleSet.currentVersionId !== version.id) {
          await this.checklists.setCurrent(em, code, version.id);
          report.activated.push({ code, versionNo: version.versionNo });
          await this.audit.record(em, {
            action: 'rule_set.activate', entityType: 'rule_set', entityId: code, scopePath: null,
            before: { currentVersionId: ruleSet.currentVersionId }, after: { currentVersionId: version.id, versionNo: version.versionNo },
          });
        }
      }
    });
    return report;
  }

  async list(query: PageQuery): Promise<Page<{ code: string; kind: string; current: Omit<RuleSetVersion, 'content' | 'rawText'> | null }>> {
    const [sets, total] = await this.checklists.pageRuleSets((query.page - 1) * query.pageSize, query.pageSize);
    const versions = await this.checklists.versionsById(sets.map((s) => s.currentVersionId).filter((id): id is string => !!id));
    const byId = new Map(versions.map((v) => [v.id, v]));
    return pageOf(sets.map((s) => ({ code: s.code, kind: s.kind, current: s.currentVersionId ? byId.get(s.currentVersionId) ?? null : null })), total, query);
  }

  async versions(code: string, query: PageQuery): Promise<Page<RuleSetVersion>> {
    await this.requireRuleSet(code);
    const [items, total] = await this.checklists.pageVersions(code, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  async version(code: string, versionNo: number): Promise<RuleSetVersion> {
    const v = await this.checklists.findVersion(code, versionNo);
    if (!v) throw AppError.notFound('checklist.version_not_found');
    return v;
  }

  async items(code: string, versionNo: number, query: PageQuery & { category?: string }): Promise<Page<ChecklistItem>> {
    const v = await this.version(code, versionNo);
    const [rows, total] = await this.checklists.pageItems(v.id, query, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(rows.map((r) => r.item), total, query);
  }

  /** The version in force, or a given version number. */
  async resolveVersion(code: string, versionNo?: number): Promise<RuleSetVersion> {
    if (versionNo) return this.version(code, versionNo);
    const set = await this.requireRuleSet(code);
    if (set.kind !== 'inspection_checklist' || !set.currentVersionId) throw AppError.notFound('checklist.not_found');
    return (await this.checklists.findVersionById(set.currentVersionId))!;
  }

  /**
   * The items of a checklist that apply to an institution's building profile, grouped for the inspector,
   * and for every excluded item the rule that excluded it.
   */
  async applicableFor(user: AuthUser, institutionId: string, code: string, versionNo?: number) {
    const institution = await this.institutions.get(user, institutionId);
    const version = await this.resolveVersion(code, versionNo);
    const rows = await this.checklists.allItems(version.id);
    if (rows.length === 0) throw AppError.notFound('checklist.not_found');
    const items = rows.map((r: ChecklistItemRow) => r.item);
    const result = applicableItems({ items }, profileOf(institution));
    const categories = checklistContent(version).categories.map((c) => ({
      code: c.code, title: c.title,
      applicable: result.applicable.filter((i) => i.category === c.code).length,
      excluded: result.excluded.filter((e) => e.item.category === c.code).length,
    }));
    return {
      institution: { id: institution.id, name: institution.name, profileVersion: institution.version },
      checklist: { code, versionNo: version.versionNo, contentHash: version.contentHash, title: { zh: version.titleZh, en: version.titleEn } },
      categories,
      applicable: result.applicable,
      excluded: result.excluded.map((e) => ({ code: e.item.code, category: e.item.category, title: e.item.title, reason: e.reason })),
    };
  }

  /**
   * A published version with its items. Published versions never change (the database refuses it), so they are
   * cached in memory for good, keyed by id; the cache is bounded by how many versions are ever published.
   */
  private readonly published = new Map<string, Promise<{ version: RuleSetVersion; items: ChecklistItem[] }>>();

  private publishedVersion(versionId: string): Promise<{ version: RuleSetVersion; items: ChecklistItem[] }> {
    let cached = this.published.get(versionId);
    if (!cached) {
      cached = (async () => {
        const version = await this.checklists.findVersionById(versionId);
        if (!version) throw AppError.notFound('checklist.version_not_found');
        return { version, items: (await this.checklists.allItems(versionId)).map((r) => r.item) };
      })();
      cached.catch(() => this.published.delete(versionId));
      this.published.set(versionId, cached);
    }
    return cached;
  }

  /** Whether an item code exists in a published version (cached, so cheap on every upload). */
  async hasItem(versionId: string, itemCode: string): Promise<boolean> {
    return (await this.publishedVersion(versionId)).items.some((i) => i.code === itemCode);
  }

  /** The items of a published version, in order (cached). */
  async pinnedItems(versionId: string): Promise<ChecklistItem[]> {
    return (await this.publishedVersion(versionId)).items;
  }

  /** The pinned version's items split for an institution (used by the inspection form and submission). */
  async pinnedApplicability(versionId: string, institution: Institution) {
    const { version, items } = await this.publishedVersion(versionId);
    const split = applicableItems({ items }, profileOf(institution));
    return { version, items, applicable: split.applicable, excluded: split.excluded };
  }

  async resolveVersionById(id: string): Promise<RuleSetVersion> {
    return (await this.publishedVersion(id)).version;
  }

  /** The versions in force of every rule set of a kind (e.g. all subsidy policies), with their content. */
  async currentOfKind(kind: string): Promise<RuleSetVersion[]> {
    const [sets] = await this.checklists.pageRuleSets(0, 1000);
    const ids = sets.filter((s) => s.kind === kind && s.currentVersionId).map((s) => s.currentVersionId!);
    return Promise.all(ids.map(async (id) => (await this.publishedVersion(id)).version));
  }

  /** 判定标准 criteria of the version in force whose text was found: the only ones a major finding may rest on. */
  async majorCriteria(): Promise<{ code: string; text: LocalizedText }[]> {
    const set = await this.checklists.findRuleSet('MZ2023');
    const version = set?.currentVersionId ? (await this.publishedVersion(set.currentVersionId)).version : null;
    const aspects = version ? criteriaContent(version).aspects : [];
    return aspects.flatMap((a) => a.criteria)
      .filter((c) => c.textStatus === 'retrieved' && c.text)
      .map((c) => ({ code: c.code, text: c.text! }));
  }

  private async requireRuleSet(code: string): Promise<RuleSet> {
    const set = await this.checklists.findRuleSet(code);
    if (!set) throw AppError.notFound('checklist.not_found');
    return set;
  }
}

export function profileOf(i: Institution): InstitutionProfile {
  return {
    kind: i.kind, storeys: i.storeys, lowestFloor: i.lowestFloor, totalAreaM2: i.totalAreaM2, buildingVolumeM3: i.buildingVolumeM3,
    approvedBeds: i.approvedBeds, occupiedBeds: i.occupiedBeds, residentsSelfCare: i.residentsSelfCare,
    residentsMildlyDisabled: i.residentsMildlyDisabled, residentsModeratelyDisabled: i.residentsModeratelyDisabled,
    residentsSeverelyDisabled: i.residentsSeverelyDisabled, highestFloorWithDisabled: i.highestFloorWithDisabled,
    hasFireControlRoom: i.hasFireControlRoom, hasAutoFireAlarm: i.hasAutoFireAlarm, hasSprinklers: i.hasSprinklers,
    gasSupply: i.gasSupply, hasCanteen: i.hasCanteen, hasMedicalUnit: i.hasMedicalUnit, hasElevator: i.hasElevator,
    hasBoiler: i.hasBoiler, hasOxygenPipeline: i.hasOxygenPipeline, insideOtherBuilding: i.insideOtherBuilding,
    fireResistanceGrade: i.fireResistanceGrade, hasWindowBars: i.hasWindowBars,
  };
}

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
import {
  applicableItems, applyLocalRules, checklistContent, ChecklistItem, criteriaContent, InstitutionProfile, loadRuleDirectory, localRuleSetContent,
  LocalizedText, requirementFor, RuledItem,
} from './domain';
import { ChecklistsRepository } from './checklists.repository';
import { RuleSet, RuleSetVersion } from './rule-set.entity';

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
    this.localInForce = null;
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
   * The items of a checklist that apply to an institution's building profile, grouped for the inspector, and for
   * every excluded item the rule that excluded it. The local rule set in force (LOCAL_RULE_SET) is merged first:
   * each item says which rule set required it (`requiredBy`: the local set, or null for the national rules).
   */
  async applicableFor(user: AuthUser, institutionId: string, code: string, versionNo?: number) {
    const institution = await this.institutions.get(user, institutionId);
    const version = await this.resolveVersion(code, versionNo);
    const local = await this.localRuleSetInForce();
    const { items, local: merged } = await this.ruledVersion(version.id, local?.versionId ?? null);
    if (items.length === 0) throw AppError.notFound('checklist.not_found');
    const profile = profileOf(institution);
    const result = applicableItems({ items }, profile);
    const applicable = result.applicable.map((i) => requirementFor(i, profile));
    const categories = checklistContent(version).categories.map((c) => ({
      code: c.code, title: c.title,
      applicable: applicable.filter((i) => i.category === c.code).length,
      excluded: result.excluded.filter((e) => e.item.category === c.code).length,
    }));
    return {
      institution: { id: institution.id, name: institution.name, profileVersion: institution.version },
      checklist: { code, versionNo: version.versionNo, contentHash: version.contentHash, title: { zh: version.titleZh, en: version.titleEn } },
      localRuleSet: merged ? { code: merged.ruleSetCode, versionNo: merged.versionNo, contentHash: merged.contentHash, title: { zh: merged.titleZh, en: merged.titleEn } } : null,
      categories,
      applicable,
      excluded: result.excluded.map((e) => ({
        code: e.item.code, category: e.item.category, title: e.item.title, reason: e.reason, localRule: e.item.localRule ? e.item.localRule.code : null,
      })),
      unverified: result.unverified.map((u) => ({ code: u.item.code, category: u.item.category, title: u.item.title, reason: u.reason })),
    };
  }

  private localInForce: Promise<{ versionId: string; code: string } | null> | null = null;

  /**
   * The local rule set selected by LOCAL_RULE_SET (e.g. `changzhou`), or null: national rules only. Resolved once
   * per process (the versions in force change only when the rule files are synced at start; `syncFromDirectory`
   * forgets it). A configured code that is not published is an error naming the code.
   */
  localRuleSetInForce(): Promise<{ versionId: string; code: string } | null> {
    if (!this.localInForce) {
      const loading = (async () => {
        const code = this.config.LOCAL_RULE_SET;
        if (!code || code === 'none') return null;
        const locals = await this.currentOfKind('local_rule_set');
        const version = locals.find((v) => v.ruleSetCode === code);
        if (!version) {
          const known = locals.map((v) => v.ruleSetCode).join(', ') || 'none';
          throw new Error(`LOCAL_RULE_SET=${code}: no local rule set (kind local_rule_set) with code "${code}" is published; published: ${known}. Add its rule file under checklists/ or unset LOCAL_RULE_SET.`);
        }
        return { versionId: version.id, code };
      })();
      loading.catch(() => { if (this.localInForce === loading) this.localInForce = null; });
      this.localInForce = loading;
    }
    return this.localInForce;
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

  /**
   * A published checklist version with a published local rule set merged in (`applyLocalRules`), cached like the
   * versions themselves (both never change). A local set that extends another checklist leaves the items as they are.
   */
  private readonly ruled = new Map<string, Promise<{ version: RuleSetVersion; items: RuledItem[]; local: RuleSetVersion | null }>>();

  private ruledVersion(versionId: string, localRuleSetVersionId: string | null) {
    const key = `${versionId}|${localRuleSetVersionId ?? ''}`;
    let cached = this.ruled.get(key);
    if (!cached) {
      cached = (async () => {
        const [{ version, items }, local] = await Promise.all([
          this.publishedVersion(versionId),
          localRuleSetVersionId ? this.publishedVersion(localRuleSetVersionId).then((v) => v.version) : Promise.resolve(null),
        ]);
        const content = local ? localRuleSetContent(local) : null;
        const applies = content !== null && content.extends === version.ruleSetCode;
        return { version, items: applyLocalRules(items, applies ? content : null), local: applies ? local : null };
      })();
      cached.catch(() => this.ruled.delete(key));
      this.ruled.set(key, cached);
    }
    return cached;
  }

  /** Whether an item code exists in a published version (with the inspection's local rule set; cached, so cheap on every upload). */
  async hasItem(versionId: string, itemCode: string, localRuleSetVersionId: string | null = null): Promise<boolean> {
    return (await this.ruledVersion(versionId, localRuleSetVersionId)).items.some((i) => i.code === itemCode);
  }

  /** The items of a published version with the inspection's local rule set, in order (cached). */
  async pinnedItems(versionId: string, localRuleSetVersionId: string | null = null): Promise<RuledItem[]> {
    return (await this.ruledVersion(versionId, localRuleSetVersionId)).items;
  }

  /**
   * The pinned version's items, with the pinned local rule set merged, split for an institution (used by the
   * inspection form, submission and record). Applicable items say which rule set requires them for it.
   */
  async pinnedApplicability(versionId: string, institution: Institution, localRuleSetVersionId: string | null = null) {
    const { version, items, local } = await this.ruledVersion(versionId, localRuleSetVersionId);
    const profile = profileOf(institution);
    const split = applicableItems({ items }, profile);
    return { ...split, version, items, localRuleSet: local, applicable: split.applicable.map((i) => requirementFor(i, profile)) };
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
    // Which version is in force is read every time (another process may have published one); what a published
    // version says is derived once per version (it never changes).
    const versionId = await this.checklists.currentVersionIdOf('MZ2023');
    if (!versionId) return [];
    let criteria = this.criteriaByVersion.get(versionId);
    if (!criteria) {
      criteria = this.publishedVersion(versionId).then(({ version }) => criteriaContent(version).aspects.flatMap((a) => a.criteria)
        .filter((c) => c.textStatus === 'retrieved' && c.text)
        .map((c) => ({ code: c.code, text: c.text! })));
      criteria.catch(() => this.criteriaByVersion.delete(versionId));
      this.criteriaByVersion.set(versionId, criteria);
    }
    return [...(await criteria)];
  }

  /** The major-hazard criteria of a published criteria version, by version id (bounded like `published`). */
  private readonly criteriaByVersion = new Map<string, Promise<{ code: string; text: LocalizedText }[]>>();

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
    facilityLowestFloor: i.facilityLowestFloor, facilityHighestFloor: i.facilityHighestFloor, hostBuildingStoreys: i.hostBuildingStoreys,
    buildingHeightM: i.buildingHeightM, hostBuildingUse: i.hostBuildingUse, capacityPlaces: i.capacityPlaces,
  };
}

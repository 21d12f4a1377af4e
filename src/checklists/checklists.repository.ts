import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ParsedRuleFile } from './domain';
import { ChecklistItemRow, RuleSet, RuleSetVersion } from './rule-set.entity';

/** Serialises version publication across processes starting at the same time. */
const PUBLISH_LOCK = 7_310_002;

@Injectable()
export class ChecklistsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async lockForPublishing(em: EntityManager): Promise<void> {
    await em.query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK]);
  }

  findVersionByHash(em: EntityManager, code: string, hash: string): Promise<RuleSetVersion | null> {
    return em.findOneBy(RuleSetVersion, { ruleSetCode: code, contentHash: hash });
  }

  findRuleSet(code: string, em: EntityManager = this.dataSource.manager): Promise<RuleSet | null> {
    return em.findOneBy(RuleSet, { code });
  }

  /** The version in force of a rule set (null: none published, or no such rule set). One small statement, no entity. */
  async currentVersionIdOf(code: string): Promise<string | null> {
    const [row]: { id: string | null }[] = await this.dataSource.query('SELECT current_version_id AS id FROM rule_set WHERE code = $1', [code]);
    return row?.id ?? null;
  }

  async ensureRuleSet(em: EntityManager, code: string, kind: RuleSet['kind']): Promise<RuleSet> {
    await em.query('INSERT INTO rule_set (code, kind) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING', [code, kind]);
    return em.findOneByOrFail(RuleSet, { code });
  }

  /** Stores a new immutable version and, for a checklist, its items; returns it. */
  async insertVersion(em: EntityManager, file: ParsedRuleFile, rawText: string): Promise<RuleSetVersion> {
    const content = file.content;
    const [{ next }] = await em.query('SELECT coalesce(max(version_no), 0) + 1 AS next FROM rule_set_version WHERE rule_set_code = $1', [content.code]);
    const inserted = await em.getRepository(RuleSetVersion).insert({
      ruleSetCode: content.code, versionNo: next, contentHash: file.hash, fileName: file.fileName,
      titleZh: content.title.zh, titleEn: content.title.en ?? null, content, rawText, warnings: file.warnings, publishedAt: new Date(),
    });
    const id = inserted.identifiers[0].id as string;
    if (content.kind === 'inspection_checklist') {
      await em.getRepository(ChecklistItemRow).insert(
        content.items.map((item, position) => ({ versionId: id, code: item.code, category: item.category, position, severity: item.severity, item })),
      );
    }
    return em.findOneByOrFail(RuleSetVersion, { id });
  }

  async setCurrent(em: EntityManager, code: string, versionId: string): Promise<void> {
    await em.update(RuleSet, { code }, { currentVersionId: versionId });
  }

  pageRuleSets(offset: number, limit: number): Promise<[RuleSet[], number]> {
    return this.dataSource.getRepository(RuleSet).findAndCount({ order: { code: 'ASC' }, skip: offset, take: limit });
  }

  versionsById(ids: string[]): Promise<RuleSetVersion[]> {
    return ids.length
      ? this.dataSource.getRepository(RuleSetVersion).createQueryBuilder('v').select(['v.id', 'v.ruleSetCode', 'v.versionNo', 'v.contentHash', 'v.fileName', 'v.titleZh', 'v.titleEn', 'v.warnings', 'v.publishedAt']).where('v.id IN (:...ids)', { ids }).getMany()
      : Promise.resolve([]);
  }

  pageVersions(code: string, offset: number, limit: number): Promise<[RuleSetVersion[], number]> {
    return this.dataSource.getRepository(RuleSetVersion).createQueryBuilder('v')
      .select(['v.id', 'v.ruleSetCode', 'v.versionNo', 'v.contentHash', 'v.fileName', 'v.titleZh', 'v.titleEn', 'v.warnings', 'v.publishedAt'])
      .where('v.rule_set_code = :code', { code }).orderBy('v.version_no', 'DESC').skip(offset).take(limit).getManyAndCount();
  }

  findVersion(code: string, versionNo: number): Promise<RuleSetVersion | null> {
    return this.dataSource.getRepository(RuleSetVersion).findOneBy({ ruleSetCode: code, versionNo });
  }

  findVersionById(id: string): Promise<RuleSetVersion | null> {
    return this.dataSource.getRepository(RuleSetVersion).findOneBy({ id });
  }

  pageItems(versionId: string, filter: { category?: string }, offset: number, limit: number): Promise<[ChecklistItemRow[], number]> {
    const qb = this.dataSource.getRepository(ChecklistItemRow).createQueryBuilder('i').where('i.version_id = :versionId', { versionId });
    if (filter.category) qb.andWhere('i.category = :category', { category: filter.category });
    return qb.orderBy('i.position').skip(offset).take(limit).getManyAndCount();
  }

  allItems(versionId: string): Promise<ChecklistItemRow[]> {
    return this.dataSource.getRepository(ChecklistItemRow).find({ where: { versionId }, order: { position: 'ASC' } });
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { TrailStep } from './domain/answer-trail';

/** 作答轨迹 SQL: each submitted response's trail (inspection_response.answer_trail). */
@Injectable()
export class AnswerTrailRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the trails of responses just inserted, in the submission's transaction (items without one keep '[]'). */
  async save(em: EntityManager, inspectionId: string, trails: { itemCode: string; trail: TrailStep[] }[]): Promise<number> {
    const rows = trails.filter((t) => t.trail.length > 0);
    if (!rows.length) return 0;
    const [{ n }]: { n: number }[] = await em.query(
      `WITH updated AS (
         UPDATE inspection_response r SET answer_trail = t.trail
           FROM jsonb_to_recordset($2::jsonb) AS t(item_code text, trail jsonb)
          WHERE r.inspection_id = $1 AND r.item_code = t.item_code
          RETURNING 1)
       SELECT count(*)::int AS n FROM updated`,
      [inspectionId, JSON.stringify(rows.map((t) => ({ item_code: t.itemCode, trail: t.trail })))]);
    return n;
  }

  /** The trails of a submitted inspection by item code (the caller has checked access to the inspection). */
  async of(inspectionId: string, em: EntityManager = this.dataSource.manager): Promise<Map<string, TrailStep[]>> {
    const rows: { itemCode: string; trail: TrailStep[] }[] = await em.query(
      `SELECT item_code AS "itemCode", answer_trail AS trail FROM inspection_response WHERE inspection_id = $1`, [inspectionId]);
    return new Map(rows.map((r) => [r.itemCode, r.trail ?? []]));
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A suspected major hazard whose decision is late (its confirmation date has passed). */
export interface LateMajorDecision {
  id: string;
  institutionId: string;
  divisionPath: string;
  itemCode: string;
  titleZh: string;
  majorConfirmDue: string;
}

/** SQL of the 疑似重大隐患 decisions (the hazard row itself is read and written through RectificationRepository). */
@Injectable()
export class MajorHazardsRepository {
  /** Suspected major hazards, not closed, still undecided after their confirmation date. */
  lateDecisions(em: EntityManager, today: string): Promise<LateMajorDecision[]> {
    return em.query(
      `SELECT id, institution_id AS "institutionId", division_path AS "divisionPath", item_code AS "itemCode", title_zh AS "titleZh",
              major_confirm_due::text AS "majorConfirmDue"
         FROM hazard WHERE major_status = 'suspected' AND status <> 'closed' AND major_confirm_due < $1::date
        ORDER BY major_confirm_due, id`, [today]);
  }
}

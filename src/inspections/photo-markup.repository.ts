import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Markup } from '../evidence/markup';

/**
 * 照片标注's one question of its own: has a rectification notice been issued for the inspection? (After that the
 * findings are the institution's legal record; the layers over their photos must not change any more.)
 * Stateless: every method takes the transaction's manager.
 */
@Injectable()
export class PhotoMarkupRepository {
  async noticeIssuedAt(em: EntityManager, inspectionId: string): Promise<Date | null> {
    const [row]: { issuedAt: Date }[] = await em.query(
      'SELECT issued_at AS "issuedAt" FROM rectification_notice WHERE inspection_id = $1 ORDER BY issued_at LIMIT 1', [inspectionId]);
    return row ? row.issuedAt : null;
  }

  /** The photo's layer as it is, its row locked until the transaction ends (the audit's "before"). */
  async lockedLayer(em: EntityManager, evidenceId: string): Promise<Markup | null> {
    const [row]: { markup: Markup | null }[] = await em.query('SELECT markup FROM evidence WHERE id = $1 FOR UPDATE', [evidenceId]);
    return row ? row.markup : null;
  }
}

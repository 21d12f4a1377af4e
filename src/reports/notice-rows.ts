/**
 * The hazard rows of a 整改通知书 from the hazards and the items of the inspection's pinned checklist (with its local
 * rule set): what the notice prints as 依据 (basisText — Chinese normative sources only, the local document for a
 * local requirement, 本系统建议项 for a product proposal) and as 等级 (a placeholder criterion is never printed).
 * Pure: the notice service reads the data, the renderer lays it out.
 */
import { basisText, BasisSource, criterionText } from '../checklists/domain/basis-text';
import type { RectificationNoticeData } from './notice.pdf';

export interface NoticeHazard {
  itemCode: string;
  titleZh: string;
  note: string;
  location: string;
  severity: 'general' | 'major';
  majorCriterion: string | null;
  dueDate: string;
  deadlineDays: number;
}

export interface NoticeItem extends BasisSource {
  interim?: { measure?: { zh?: string } };
}

const DEFAULT_INTERIM = '立即采取临时管控措施，确保安全';

export function noticeHazardRows(
  hazards: readonly NoticeHazard[],
  items: ReadonlyMap<string, NoticeItem>,
  printableCriteria: ReadonlySet<string>,
): RectificationNoticeData['hazards'] {
  return hazards.map((h, i) => {
    const item = items.get(h.itemCode);
    const criterion = criterionText(h.majorCriterion, printableCriteria);
    return {
      no: i + 1, itemCode: h.itemCode, title: `${h.titleZh}：${h.note}`, basis: basisText(item ?? { basis: [] }),
      location: h.location, severityLabel: h.severity === 'major' ? `重大隐患${criterion ? `（${criterion}）` : ''}` : '一般隐患',
      dueDate: h.dueDate, deadlineDays: h.deadlineDays,
      interim: h.severity === 'major' ? item?.interim?.measure?.zh ?? DEFAULT_INTERIM : null,
    };
  });
}

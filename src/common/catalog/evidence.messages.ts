/** Messages of evidence (photo viewer, markup, answer trail) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const EVIDENCE_MESSAGES: Record<string, { zh: string; en: string }> = {
  'evidence.markup_locked': {
    zh: '照片标注已锁定：提交后只能在 24 小时内、且下达整改通知书之前修改',
    en: 'The photo markup is locked: after submission it can be changed only within 24 hours and before a rectification notice is issued',
  },
};

export const EVIDENCE_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  markupInvalid: { zh: '照片标注格式不正确（图形须为箭头、圆圈或文字，坐标在 0 到 1 之间）', en: 'The photo markup is malformed (shapes are arrows, circles or text with coordinates between 0 and 1)' },
  markupTooManyShapes: { zh: '一张照片最多 {0} 个标注图形', en: 'At most {0} markup shapes per photo' },
  markupTooLarge: { zh: '照片标注过大（不超过 {0} KB）', en: 'The photo markup is too large (at most {0} KB)' },
  markupTextTooLong: { zh: '标注文字不超过 {0} 个字', en: 'Markup text is at most {0} characters' },
};

/** Messages of 突发事件报告 (incident reports) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const INCIDENT_MESSAGES: Record<string, { zh: string; en: string }> = {
  'incident.not_found': { zh: '突发事件报告不存在或不在您的范围内', en: 'The incident report does not exist or is outside your scope' },
  'incident.already_acknowledged': { zh: '该报告已确认收到', en: 'The report has already been acknowledged' },
  'incident.not_acknowledged': { zh: '请先确认收到该报告，再安排跟进检查', en: 'Acknowledge the report before opening a follow-up inspection' },
  'incident.follow_up_exists': { zh: '该事件已安排跟进检查', en: 'A follow-up inspection has already been opened for this incident' },
  'incident.version_conflict': { zh: '该报告已被他人处理，请刷新后重试', en: 'The report was changed by someone else; reload and try again' },
};

export const INCIDENT_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  occurredInFuture: { zh: '发生时间不能晚于现在', en: 'must not be in the future' },
  incidentConfirm: { zh: '请勾选确认', en: 'tick the confirmation' },
};

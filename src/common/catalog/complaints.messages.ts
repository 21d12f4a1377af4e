/** Messages of 投诉举报 (public complaints and their triage) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const COMPLAINT_MESSAGES: Record<string, { zh: string; en: string }> = {
  'complaint.not_found': { zh: '投诉不存在或不在您的辖区内', en: 'No such complaint in your area' },
  'complaint.tracking_not_found': { zh: '没有找到与该查询码对应的投诉，请核对查询码', en: 'No complaint matches this tracking code; check the code' },
  'complaint.rate_limited': { zh: '同一网络提交的投诉过多，请 {minutes} 分钟后再试', en: 'Too many complaints from this network; try again in {minutes} minutes' },
  'complaint.version_conflict': { zh: '该投诉已被他人处理，请刷新后查看', en: 'Someone else acted on this complaint; reload it' },
  'complaint.not_open': { zh: '该投诉已办结，不能再处理', en: 'This complaint is closed' },
  'complaint.not_received': { zh: '该投诉已受理，只能合并、发起核查或答复', en: 'This complaint is already accepted: merge, inspect or reply' },
  'complaint.inspection_exists': { zh: '该投诉已发起核查', en: 'A complaint inspection is already open for it' },
  'complaint.filed': { zh: '投诉已收到。请保存查询码，凭码查看处理结果。', en: 'Complaint received. Keep the tracking code to follow the answer.' },
};

export const COMPLAINT_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  complaintTooManyPhotos: { zh: '最多上传 {0} 张照片', en: 'at most {0} photos' },
  complaintPhotoTooLarge: { zh: '每张照片不能超过 {0} MB', en: 'each photo must be at most {0} MB' },
  complaintInstitutionUnknown: { zh: '请从列表中选择机构', en: 'choose an institution from the list' },
  complaintTrackingCodeInvalid: { zh: '查询码应为 20 位字母和数字（可含短横线）', en: 'a tracking code is 20 letters and digits (dashes allowed)' },
  complaintMergeTargetInvalid: { zh: '请选择辖区内另一件未被合并的投诉', en: 'choose another complaint in your area that is not merged itself' },
  complaintConfirmRequired: { zh: '请勾选确认', en: 'tick to confirm' },
};

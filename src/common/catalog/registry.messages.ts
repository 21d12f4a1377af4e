/** Messages of the registry pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const REGISTRY_MESSAGES: Record<string, { zh: string; en: string }> = {
  'institution.closed_final': { zh: '机构已注销（关闭），注销是最终决定，不能恢复运营或更改状态；如需重新运营，请登记为新机构', en: 'The institution is closed; closure is final and its status cannot change again (register a new institution to operate again)' },
  'institution.status_not_allowed': { zh: '机构当前状态为{status}，不能{action}', en: 'The institution is {status}; it cannot be {action}' },
};

export const REGISTRY_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  creditCodeLength: { zh: '应为 18 位（现为 {0} 位）', en: 'must be 18 characters long ({0} given)' },
  creditCodeCharacters: {
    zh: '含有不允许的字符「{0}」（只能是数字和大写字母，不含 I、O、Z、S、V）',
    en: 'contains characters that are not allowed: {0} (digits and capital letters except I, O, Z, S, V)',
  },
  creditCodeCheckDigit: {
    zh: '校验位错误：第 18 位与前 17 位不符（GB 32100-2015），请对照营业执照或登记证书核对',
    en: 'wrong check character: the 18th character does not match the first 17 (GB 32100-2015); check the licence',
  },
  afterSuspensionStart: { zh: '须晚于停业整顿的起始日（{0}）', en: 'must be after the suspension began ({0})' },
  interruptionOverlapOn: { zh: '与已登记的暂停/关闭期间（{0} 至 {1}）重叠', en: 'overlaps a recorded suspension or closure ({0} to {1})' },
};

/** Enumerated labels of the accounts area (merged into VOCABULARY in ../vocabulary.ts). */
export const ACCOUNT_VOCABULARY = {
  /** app_user.status */
  accountStatus: {
    active: { zh: '正常', en: 'active' },
    disabled: { zh: '已停用', en: 'disabled' },
  },
  /** audit_event.entity_type: what an audit event is about */
  auditEntityType: {
    user: { zh: '账号', en: 'account' },
    auth_session: { zh: '登录会话', en: 'sign-in session' },
    division: { zh: '行政区划', en: 'division' },
    institution: { zh: '机构', en: 'institution' },
    institution_change_request: { zh: '档案变更申请', en: 'change request' },
    inspection_plan: { zh: '检查计划', en: 'inspection plan' },
    inspection: { zh: '检查', en: 'inspection' },
    evidence: { zh: '证据照片', en: 'evidence' },
    hazard: { zh: '隐患', en: 'hazard' },
    notice: { zh: '整改通知书', en: 'rectification notice' },
    grade_assessment: { zh: '等级评定', en: 'grade assessment' },
    subsidy_schedule: { zh: '补贴核算表', en: 'subsidy schedule' },
    rule_set: { zh: '规则集', en: 'rule set' },
    rule_set_version: { zh: '规则集版本', en: 'rule set version' },
    partition: { zh: '历史分区', en: 'history partition' },
  },
  /** audit_event.action: the account and sign-in actions (other areas' actions are shown by their code) */
  accountAuditAction: {
    'auth.login': { zh: '登录', en: 'signed in' },
    'user.create': { zh: '创建账号', en: 'account created' },
    'user.update': { zh: '修改账号', en: 'account updated' },
    'user.update_with_password_reset': { zh: '修改账号并重置密码', en: 'account updated, password reset' },
    'user.disable': { zh: '停用账号', en: 'account disabled' },
    'user.enable': { zh: '启用账号', en: 'account re-enabled' },
    'user.password_reset': { zh: '重置密码', en: 'password reset' },
    'institution.create': { zh: '登记机构', en: 'institution registered' },
    'institution.update': { zh: '修改机构档案', en: 'institution updated' },
    'notice.issue': { zh: '签发整改通知书', en: 'notice issued' },
    'notice.acknowledge': { zh: '签收整改通知书', en: 'notice acknowledged' },
    'inspection.create': { zh: '创建检查', en: 'inspection created' },
    'inspection.start': { zh: '开始检查', en: 'inspection started' },
    'inspection_plan.create': { zh: '创建检查计划', en: 'plan created' },
    'inspection_plan.publish': { zh: '发布检查计划', en: 'plan published' },
    'partition.detach': { zh: '分离历史分区', en: 'partition detached' },
    'partition.drop': { zh: '分离并删除历史分区', en: 'partition detached and dropped' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;

import type { Lang } from './messages';
import { PLAN_VOCABULARY } from './catalog/plans.vocabulary';
import { NOTICE_VOCABULARY } from './catalog/notices.vocabulary';
import { HAZARD_VOCABULARY } from './catalog/hazards.vocabulary';
import { REGISTRY_VOCABULARY } from './catalog/registry.vocabulary';
import { GRADE_VOCABULARY } from './catalog/grades.vocabulary';
import { SUBSIDY_VOCABULARY } from './catalog/subsidies.vocabulary';
import { ACCOUNT_VOCABULARY } from './catalog/accounts.vocabulary';
import { DASHBOARD_VOCABULARY } from './catalog/dashboard.vocabulary';
import { NOTIFICATION_VOCABULARY } from './catalog/notifications.vocabulary';
import { WORKSPACE_VOCABULARY } from './catalog/workspace.vocabulary';
import { EVIDENCE_VOCABULARY } from './catalog/evidence.vocabulary';
import { CHECKLIST_VOCABULARY } from './catalog/checklist.vocabulary';
import { TEAM_VOCABULARY } from './catalog/team.vocabulary';
import { OFFLINE_VOCABULARY } from './catalog/offline.vocabulary';
import { COMPLAINT_VOCABULARY } from './catalog/complaints.vocabulary';
import { REGISTER_VOCABULARY } from './catalog/registers.vocabulary';
import { DRILL_VOCABULARY } from './catalog/drills.vocabulary';
import { PATROL_VOCABULARY } from './catalog/patrols.vocabulary';
import { DEVICE_VOCABULARY } from './catalog/devices.vocabulary';
import { INCIDENT_VOCABULARY } from './catalog/incidents.vocabulary';
import { CREDIT_VOCABULARY } from './catalog/credit.vocabulary';


/**
 * The one vocabulary (词汇表): the Chinese and English display name of every enumerated value the product shows —
 * on pages, in PDFs, in exports (the SQL `CASE` lists are generated from here by `sqlLabelCase`) and in the
 * inspection form (sent in the form payload). The terms are the glossary's (docs/glossary.md).
 *
 * The value lists themselves live with their owners (ROLES, INSTITUTION_KINDS, the migrations' CHECK lists …);
 * `vocabulary.spec.ts` fails when one of their values has no label here. Checklist category names are not here:
 * they come from the pinned checklist version (its `categories`).
 */
type Term = { readonly zh: string; readonly en: string };

export const VOCABULARY = {
  /** users.role (ROLES) and the audit actor `system` */
  role: {
    bureau_admin: { zh: '民政局管理员', en: 'bureau administrator' },
    bureau_officer: { zh: '监管人员', en: 'bureau officer' },
    inspector: { zh: '检查员', en: 'inspector' },
    institution: { zh: '机构用户', en: 'institution account' },
    system: { zh: '系统', en: 'system' },
  },
  /** institution.kind (INSTITUTION_KINDS) */
  institutionKind: {
    nursing_home: { zh: '养老院', en: 'nursing home' },
    nursing_care: { zh: '护理院（医养结合）', en: 'nursing home with medical care' },
    community_complex: { zh: '社区养老服务综合体', en: 'community elderly-care service complex' },
    day_care: { zh: '日间照料中心', en: 'day-care centre' },
    meal_point: { zh: '老年助餐点', en: 'community meal point' },
    rural_home: { zh: '农村敬老院', en: 'rural home for the elderly' },
    neighbourhood_point: { zh: '睦邻点（互助养老点）', en: 'neighbourhood mutual-aid point' },
  },
  /** institution.host_building_use (HOST_BUILDING_USES) */
  hostBuildingUse: {
    residential: { zh: '住宅', en: 'residential' },
    commercial: { zh: '商业', en: 'commercial' },
    office: { zh: '办公', en: 'office' },
    mixed: { zh: '商住混合', en: 'mixed use' },
    other: { zh: '其他', en: 'other' },
  },
  /** institution.profit_status (PROFIT_STATUSES) */
  profitStatus: {
    for_profit: { zh: '营利性', en: 'for-profit' },
    non_profit: { zh: '非营利性', en: 'non-profit' },
  },
  /** institution.ownership (OWNERSHIPS) */
  ownership: {
    public: { zh: '公办', en: 'public' },
    private: { zh: '民办', en: 'private' },
    public_private: { zh: '公建民营', en: 'publicly built, privately run' },
  },
  /** institution_interruption.kind: days an institution did not operate */
  interruptionKind: {
    suspended: { zh: '暂停运营', en: 'suspended' },
    closed: { zh: '停止运营', en: 'closed' },
  },
  /** institution.status (INSTITUTION_STATUSES) */
  institutionStatus: {
    preparing: { zh: '筹建中', en: 'in preparation' },
    active: { zh: '运营中', en: 'operating' },
    suspended: { zh: '停业整顿', en: 'suspended' },
    closed: { zh: '已注销', en: 'deregistered' },
  },
  /** building_profile.gas_supply (GAS_SUPPLIES) */
  gasSupply: {
    none: { zh: '无燃气', en: 'no gas' },
    piped: { zh: '管道燃气', en: 'piped gas' },
    lpg: { zh: '瓶装液化石油气', en: 'bottled LPG' },
  },
  /** institution_change_request.status (CHANGE_REQUEST_STATUSES) */
  changeRequestStatus: {
    pending: { zh: '待审核', en: 'pending' },
    approved: { zh: '已确认', en: 'approved' },
    rejected: { zh: '不予确认', en: 'rejected' },
    withdrawn: { zh: '已撤回', en: 'withdrawn' },
  },
  /** inspection.kind / inspection_plan.kind */
  inspectionKind: {
    routine: { zh: '日常检查', en: 'routine inspection' },
    random: { zh: '双随机抽查', en: 'random draw inspection' },
    joint: { zh: '联合检查', en: 'joint inspection' },
    special: { zh: '专项整治', en: 'special campaign' },
    complaint: { zh: '投诉核查', en: 'complaint inspection' },
    reinspection: { zh: '复查', en: 're-inspection' },
  },
  /** inspection.status */
  inspectionStatus: {
    assigned: { zh: '待检查', en: 'assigned' },
    in_progress: { zh: '检查中', en: 'in progress' },
    submitted: { zh: '已提交', en: 'submitted' },
    cancelled: { zh: '已取消', en: 'cancelled' },
  },
  /** inspection_team.role */
  teamRole: {
    lead: { zh: '组长', en: 'team lead' },
    member: { zh: '组员', en: 'team member' },
  },
  /** inspection_response.result: the answer to one checklist item */
  responseResult: {
    pass: { zh: '合格', en: 'pass' },
    fail: { zh: '不合格', en: 'fail' },
    na: { zh: '不适用', en: 'not applicable' },
  },
  /** hazard.severity / inspection_response.severity (SEVERITIES) */
  severity: {
    general: { zh: '一般隐患', en: 'general hazard' },
    major: { zh: '重大隐患', en: 'major hazard' },
  },
  /** hazard.scope / inspection_response.scope: how far a finding reaches (the scoring rules' 范围倍数) */
  scope: {
    single: { zh: '单处', en: 'single' },
    multiple: { zh: '多处', en: 'multiple' },
    widespread: { zh: '普遍', en: 'widespread' },
  },
  /** hazard.status */
  hazardStatus: {
    open: { zh: '待整改', en: 'open' },
    responded: { zh: '已回复待复核', en: 'responded, awaiting verification' },
    returned: { zh: '已退回', en: 'returned' },
    closed: { zh: '已销号', en: 'closed' },
  },
  /** the audit actions of a hazard's history (audit_event.action, shown in the hazard ledger export) */
  hazardAuditAction: {
    'inspection.submit': { zh: '发现', en: 'found' },
    'hazard.respond': { zh: '回复整改', en: 'response' },
    'hazard.return': { zh: '复核退回', en: 'returned on verification' },
    'hazard.accept': { zh: '复核销号', en: 'closed on verification' },
    'hazard.escalate': { zh: '逾期督办', en: 'escalated as overdue' },
    'hazard.extension_request': { zh: '申请延期', en: 'extension requested' },
    'hazard.extension_approve': { zh: '同意延期', en: 'extension approved' },
    'hazard.extension_refuse': { zh: '不同意延期', en: 'extension refused' },
    'hazard.objection_file': { zh: '陈述申辩', en: 'objection filed' },
    'hazard.objection_uphold': { zh: '采纳申辩', en: 'objection upheld' },
    'hazard.objection_reject': { zh: '不予采纳', en: 'objection rejected' },
    'hazard.deadline_change': { zh: '调整期限', en: 'deadline changed' },
    'hazard.plan_submit': { zh: '提交五到位方案', en: 'rectification plan submitted' },
    'hazard.list': { zh: '挂牌督办', en: 'listed for supervision' },
    'hazard.major_confirm': { zh: '认定重大隐患', en: 'confirmed as a major hazard' },
    'hazard.major_downgrade': { zh: '不认定为重大隐患（按一般隐患整改）', en: 'not confirmed as major (stays general)' },
  },
  /** hazard.major_status: a 疑似重大隐患 and the bureau's decision on it */
  majorStatus: {
    suspected: { zh: '疑似重大隐患（待认定）', en: 'suspected major hazard (awaiting decision)' },
    confirmed: { zh: '已认定重大隐患', en: 'confirmed major hazard' },
    downgraded: { zh: '不认定为重大隐患', en: 'not confirmed as major' },
  },
  /** inspection.report_status / rectification_notice.pdf_status: the state of a rendered document */
  documentState: {
    none: { zh: '未生成', en: 'not rendered' },
    pending: { zh: '生成中', en: 'rendering' },
    rendered: { zh: '已生成', en: 'rendered' },
    failed: { zh: '生成失败', en: 'render failed' },
  },
  /** grade_decision.kind: a bureau decision on a finalized grade */
  gradeDecisionKind: {
    revoke: { zh: '撤销等级', en: 'grade revoked' },
    lower: { zh: '降低等级', en: 'grade lowered' },
  },
  /** institution.grade (0 = not graded, 1–5 = GB/T 37276 一级–五级) */
  grade: {
    0: { zh: '未评级', en: 'not graded' },
    1: { zh: '一级', en: 'grade 1' },
    2: { zh: '二级', en: 'grade 2' },
    3: { zh: '三级', en: 'grade 3' },
    4: { zh: '四级', en: 'grade 4' },
    5: { zh: '五级', en: 'grade 5' },
  },
  ...PLAN_VOCABULARY,
  ...NOTICE_VOCABULARY,
  ...HAZARD_VOCABULARY,
  ...REGISTRY_VOCABULARY,
  ...GRADE_VOCABULARY,
  ...SUBSIDY_VOCABULARY,
  ...ACCOUNT_VOCABULARY,
  ...DASHBOARD_VOCABULARY,
  ...OFFLINE_VOCABULARY,
  ...TEAM_VOCABULARY,
  ...CHECKLIST_VOCABULARY,
  ...EVIDENCE_VOCABULARY,
  ...WORKSPACE_VOCABULARY,
  ...NOTIFICATION_VOCABULARY,
  ...COMPLAINT_VOCABULARY,
  ...REGISTER_VOCABULARY,
  ...DRILL_VOCABULARY,
  ...PATROL_VOCABULARY,
  ...DEVICE_VOCABULARY,
  ...INCIDENT_VOCABULARY,
  ...CREDIT_VOCABULARY,
} as const satisfies Record<string, Record<string, Term>>;

export type EnumName = keyof typeof VOCABULARY;
/** The values of one enum that have a label, e.g. `EnumValue<'scope'>` = 'single' | 'multiple' | 'widespread'. */
export type EnumValue<E extends EnumName> = Extract<keyof (typeof VOCABULARY)[E], string>;

/**
 * The display name of `value` in `lang`. A value without a label falls back visibly to the raw value (never to
 * another value's label); null and undefined give ''.
 */
export function label<E extends EnumName>(enumName: E, value: EnumValue<E> | string | number | null | undefined, lang: Lang = 'zh'): string {
  if (value === null || value === undefined) return '';
  const terms = VOCABULARY[enumName] as Record<string, Term>;
  const term = Object.prototype.hasOwnProperty.call(terms, String(value)) ? terms[String(value)] : undefined;
  return term ? term[lang] : String(value);
}

/** The labelled values of one enum in their listed order, as [value, label] pairs (for filters and selects). */
export function labelEntries<E extends EnumName>(enumName: E, lang: Lang = 'zh'): [EnumValue<E>, string][] {
  return Object.entries(VOCABULARY[enumName] as Record<string, Term>).map(([v, t]) => [v as EnumValue<E>, t[lang]]);
}

/** One enum's labels as a plain value → label map (for a client that cannot import this module, e.g. the form). */
export function labelMap<E extends EnumName>(enumName: E, lang: Lang = 'zh'): Record<EnumValue<E>, string> {
  return Object.fromEntries(labelEntries(enumName, lang)) as Record<EnumValue<E>, string>;
}

/** A SQL string literal (standard_conforming_strings: a backslash is an ordinary character): quotes doubled, NUL refused. */
export function sqlLiteral(s: string): string {
  if (s.includes('\0')) throw new Error('a SQL literal cannot hold NUL');
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * A SQL `CASE` that labels the column `expr` from the vocabulary: `CASE expr WHEN 'v' THEN '标签' … ELSE expr END`.
 * Literals are escaped; a value without a label shows as itself (ELSE), never as another value's label. `expr`
 * is SQL written by the caller (a column reference such as `h.status`), never user input.
 */
export function sqlLabelCase(expr: string, enumName: EnumName, lang: Lang = 'zh'): string {
  if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/i.test(expr)) throw new Error(`sqlLabelCase: not a column reference: ${expr}`);
  const whens = labelEntries(enumName, lang).map(([v, l]) => `WHEN ${sqlLiteral(String(v))} THEN ${sqlLiteral(l)}`);
  return `CASE ${expr} ${whens.join(' ')} ELSE ${expr}::text END`;
}

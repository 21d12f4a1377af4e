import { BUREAU_ROLES, ROLES, type Role } from '../common/roles';

/**
 * 权限表 — who may do what, by role. The one place that answers "which roles may verify a hazard".
 *
 * Every mutating route declares its action with `@Can(action)` (enforced by the auth guard, 403 `request.forbidden`);
 * services and pages ask the same `can(user, action)`. A role listed here may still be refused by a relational
 * condition, which stays with the domain and is named in `relations.ts`: only the inspection team acts on an
 * inspection (`isOnTeam`), a hazard is never verified by its responder (`isResponder`), an objection is decided by
 * someone not on the team (`isOnTeam`), and everything is read and written within the caller's scope (repositories).
 */
const BUREAU: readonly Role[] = BUREAU_ROLES;
const ADMIN: readonly Role[] = ['bureau_admin'];
const INSTITUTION: readonly Role[] = ['institution'];
const EVERYONE: readonly Role[] = ROLES;
/** The roles an inspection team is drawn from (an officer may be assigned to a team too). */
const TEAM: readonly Role[] = ['inspector', 'bureau_officer'];

export const PERMISSIONS = {
  // accounts, sessions, audit
  'session.end': EVERYONE,
  /** 站内通知: every account reads and marks its own inbox. */
  'notification.read': EVERYONE,
  'account.manage': ADMIN,
  'audit.read': ADMIN,
  'audit.verify': ADMIN,

  // institutions and their change requests (档案变更申请)
  'institution.create': BUREAU,
  /** An institution account edits only its contacts and address; the rest goes through a change request. */
  'institution.update': [...BUREAU, 'institution'],
  /** The 机构名录 page (the API list is scoped for everyone). */
  'institution.list': [...BUREAU, 'inspector'],
  'change_request.read': [...BUREAU, 'institution'],
  /** Only the institution files; bureau users edit the profile directly. */
  'change_request.file': INSTITUTION,
  'change_request.withdraw': INSTITUTION,
  'change_request.decide': BUREAU,
  /** 运营期: the opening day, suspensions and closures a subsidy is counted by (bureau only, audited). */
  'institution.operating_period': ['bureau_officer', 'bureau_admin'],

  // planning (双随机) and ad-hoc inspections
  'plan.read': BUREAU,
  'plan.create': BUREAU,
  'plan.publish': BUREAU,
  'plan.update': BUREAU,
  'inspection.create': BUREAU,
  'conflict.declare': BUREAU,

  // on site: the team only (isOnTeam)
  /** Start, keep the draft, upload finding photos. */
  'inspection.fill': TEAM,
  'inspection.submit': TEAM,
  /** The on-site form page (an admin may open it; the API refuses anyone not on the team). */
  'inspection.form_page': [...TEAM, 'bureau_admin'],

  // 检查码 (issue 17): the institution confirms the visit on arrival and rates it after the submission; the bureau reads
  // the ratings of its subtree. The team sees its own code (isOnTeam); inspectors see no ratings (docs/inspection-codes.md).
  /** 核验检查码: look up the institution's own inspection by its code and confirm the visit (wrong guesses limited). */
  'inspection_code.verify': INSTITUTION,
  /** 评价: once per submitted inspection of the institution. */
  'inspection.rate': INSTITUTION,
  /** 检查评价: the list, its averages and the export (with the comments). */
  'inspection_rating.read': BUREAU,

  // rectification (整改闭环)
  'notice.issue': BUREAU,
  'notice.acknowledge': INSTITUTION,
  /** The institution, or an officer on its behalf (e.g. from a paper reply). */
  'hazard.respond': [...BUREAU, 'institution'],
  'hazard.photo': [...BUREAU, 'institution'],
  /** 复核: never by the responder (isResponder). */
  'hazard.verify': [...BUREAU, 'inspector'],
  /** 五到位 plan of a major hazard. */
  'hazard.plan_submit': INSTITUTION,
  'hazard.deadline_change': BUREAU,
  'reinspection.schedule': BUREAU,
  'extension.request': INSTITUTION,
  'extension.decide': BUREAU,
  'objection.file': INSTITUTION,
  /** 陈述申辩: decided by someone not on the inspection team (isOnTeam). */
  'objection.decide': BUREAU,
  /** 疑似重大隐患: confirmed against a criterion, or downgraded, by a bureau officer not on the finding team. */
  'hazard.major_decide': BUREAU,

  // scores, grades (等级评定) and subsidies
  'score.recompute': BUREAU,
  'grade.read': BUREAU,
  'grade.open': BUREAU,
  'grade.score': BUREAU,
  'grade.finalize': BUREAU,
  /** 撤销 / 降级 a finalized grade (an administrative decision of the bureau, not an assessor's act). */
  'grade.decide': ['bureau_admin', 'bureau_officer'],
  'subsidy.read': BUREAU,
  'subsidy.create': BUREAU,
  'subsidy.approve': ADMIN,

  // supervision
  'dashboard.read': BUREAU,
  'export.read': BUREAU,

  // the institution's own safety work and the public's voice (issue 16). Reads are scoped in the repositories: an
  // institution account sees its own records, bureau and inspector accounts their division subtree.
  /** 投诉举报: the bureau reads, triages (accept, merge, refer, reject), opens a complaint inspection and replies. */
  'complaint.read': BUREAU,
  'complaint.triage': BUREAU,
  'complaint.reply': BUREAU,
  /** 人员与设备台账 (staff, certificates, statutory tests): the institution keeps its own; the bureau may correct it. */
  'register.read': [...BUREAU, 'inspector', 'institution'],
  'register.manage': [...BUREAU, 'institution'],
  /** 安全责任公示牌 (the printable board). */
  'board.print': [...BUREAU, 'institution'],
  /** 演练与培训 records: kept by the institution. */
  'drill.read': [...BUREAU, 'inspector', 'institution'],
  'drill.record': INSTITUTION,
  /** 巡查 (patrols, QR points, self-reported hazards): run by the institution. */
  'patrol.read': [...BUREAU, 'inspector', 'institution'],
  'patrol.record': INSTITUTION,
  /** 机构安全工作: the bureau's view of its institutions' own safety work, and its export. */
  'safety_work.read': BUREAU,
  /** 突发事件: reported by the institution, acknowledged by the bureau (which may open a follow-up inspection). */
  'incident.read': [...BUREAU, 'inspector', 'institution'],
  'incident.report': INSTITUTION,
  'incident.acknowledge': BUREAU,
  /** 消防物联网 / 云值班: the devices and their alarms; the institution's person on duty confirms an alarm. */
  'device.read': [...BUREAU, 'inspector', 'institution'],
  /** Register and retire devices, issue and revoke an institution's gateway credential. */
  'device.manage': [...BUREAU, 'institution'],
  /** A vendor platform's credential covers a whole division: the administrator issues it. */
  'device.platform_manage': ADMIN,
  'alarm.confirm': INSTITUTION,
  /** 信用评价: the institution reads its own level and ledger; the bureau reads, exports and decides 失信 (objections reviewed, 信用修复). */
  'credit.read': [...BUREAU, 'institution'],
  'credit.decide': BUREAU,
  'credit.object': INSTITUTION,
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PERMISSIONS, value);
}

/** The roles that may take an action. */
export function rolesFor(action: Action): readonly Role[] {
  return PERMISSIONS[action];
}

/** May a role take an action (before any relational condition)? For pure domain functions that see only a role. */
export function roleCan(role: Role, action: Action): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** May this user take an action (before any relational condition)? The same answer for guards, services and pages. */
export function can(user: { role: Role }, action: Action): boolean {
  return roleCan(user.role, action);
}

/**
 * Refusals that tell the user what to do instead (403 with this code); any other refusal is `request.forbidden`.
 */
const REFUSALS: { readonly [A in Action]?: Partial<Record<Role, string>> } = {
  'change_request.file': Object.fromEntries(BUREAU.map((r) => [r, 'change_request.bureau_edits_directly'])),
};

/** The error code of refusing this user an action. */
export function refusalCode(user: { role: Role }, action: Action): string {
  return REFUSALS[action]?.[user.role] ?? 'request.forbidden';
}

/** Every action the user may take, e.g. for a page's view model: `allowed.has('hazard.verify')`. */
export function allowedActions(user: { role: Role }): ReadonlySet<Action> {
  return new Set(ACTIONS.filter((a) => can(user, a)));
}

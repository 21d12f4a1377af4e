/**
 * User-facing messages, Simplified Chinese first, English second.
 * Every error code the API can answer with is listed here, so the two languages stay in step.
 */
import { PLAN_FIELD_MESSAGES, PLAN_MESSAGES } from './catalog/plans.messages';
import { NOTICE_FIELD_MESSAGES, NOTICE_MESSAGES } from './catalog/notices.messages';
import { HAZARD_FIELD_MESSAGES, HAZARD_MESSAGES } from './catalog/hazards.messages';
import { REGISTRY_FIELD_MESSAGES, REGISTRY_MESSAGES } from './catalog/registry.messages';
import { GRADE_FIELD_MESSAGES, GRADE_MESSAGES } from './catalog/grades.messages';
import { SUBSIDY_FIELD_MESSAGES, SUBSIDY_MESSAGES } from './catalog/subsidies.messages';
import { ACCOUNT_FIELD_MESSAGES, ACCOUNT_MESSAGES } from './catalog/accounts.messages';
import { DASHBOARD_FIELD_MESSAGES, DASHBOARD_MESSAGES } from './catalog/dashboard.messages';
import { NOTIFICATION_FIELD_MESSAGES, NOTIFICATION_MESSAGES } from './catalog/notifications.messages';
import { WORKSPACE_FIELD_MESSAGES, WORKSPACE_MESSAGES } from './catalog/workspace.messages';
import { EVIDENCE_FIELD_MESSAGES, EVIDENCE_MESSAGES } from './catalog/evidence.messages';
import { CHECKLIST_FIELD_MESSAGES, CHECKLIST_MESSAGES } from './catalog/checklist.messages';
import { TEAM_FIELD_MESSAGES, TEAM_MESSAGES } from './catalog/team.messages';
import { OFFLINE_FIELD_MESSAGES, OFFLINE_MESSAGES } from './catalog/offline.messages';
import { COMPLAINT_FIELD_MESSAGES, COMPLAINT_MESSAGES } from './catalog/complaints.messages';
import { REGISTER_FIELD_MESSAGES, REGISTER_MESSAGES } from './catalog/registers.messages';
import { DRILL_FIELD_MESSAGES, DRILL_MESSAGES } from './catalog/drills.messages';
import { PATROL_FIELD_MESSAGES, PATROL_MESSAGES } from './catalog/patrols.messages';
import { DEVICE_FIELD_MESSAGES, DEVICE_MESSAGES } from './catalog/devices.messages';
import { INCIDENT_FIELD_MESSAGES, INCIDENT_MESSAGES } from './catalog/incidents.messages';
import { CREDIT_FIELD_MESSAGES, CREDIT_MESSAGES } from './catalog/credit.messages';
import { INSPECTION_CODE_FIELD_MESSAGES, INSPECTION_CODE_MESSAGES } from './catalog/inspection-codes.messages';

export type Lang = 'zh' | 'en';

type Catalog = Record<string, { zh: string; en: string }>;

export const MESSAGES: Catalog = {
  // generic
  'validation.failed': { zh: '提交的数据有误，请检查标出的字段', en: 'The submitted data is invalid; check the fields listed' },
  'request.not_found': { zh: '请求的资源不存在', en: 'The requested resource does not exist' },
  'request.conflict': { zh: '数据已被他人修改，请刷新后重试', en: 'The data was changed by someone else; reload and try again' },
  'request.forbidden': { zh: '无权执行此操作', en: 'You are not allowed to do this' },
  'request.unauthenticated': { zh: '请先登录', en: 'Please sign in first' },
  'request.too_large': { zh: '提交的内容过大', en: 'The request is too large' },
  'request.bad': { zh: '请求格式错误', en: 'The request is malformed' },
  'request.route_not_found': { zh: '请求的地址不存在', en: 'No such address' },
  'server.error': { zh: '服务器内部错误，请稍后重试', en: 'Internal server error; please try again later' },
  'request.unsupported_media_type': { zh: '不支持的请求格式：接口只接受 JSON（上传文件的接口接受 multipart/form-data）', en: 'Unsupported request format: the API accepts JSON (multipart/form-data where a file is uploaded)' },
  'csrf.invalid': { zh: '页面已过期或来源不可信，请刷新页面后重试', en: 'The page has expired or the request origin is not trusted; reload and try again' },
  // auth
  'auth.invalid_credentials': { zh: '用户名或密码错误', en: 'Wrong username or password' },
  'auth.rate_limited': { zh: '登录失败次数过多，请 {minutes} 分钟后再试', en: 'Too many failed sign-ins; try again in {minutes} minutes' },
  'auth.account_disabled': { zh: '账号已停用', en: 'The account is disabled' },
  'auth.slowed_down': { zh: '该账号近期登录失败次数过多，请 {seconds} 秒后再试', en: 'Too many recent failed sign-ins for this account; try again in {seconds} seconds' },
  // entities
  'institution.not_found': { zh: '机构不存在或不在您的管辖范围内', en: 'The institution does not exist or is outside your scope' },
  'institution.version_conflict': { zh: '机构信息已被他人修改（当前版本 {current}），请刷新后重试', en: 'The institution was changed by someone else (current version {current}); reload and try again' },
  'institution.credit_code_taken': { zh: '该统一社会信用代码已登记', en: 'This unified social credit code is already registered' },
  'institution.change_request_required': { zh: '床位、在住老人和建筑档案须经主管部门确认后生效，请提交档案变更申请（{fields}）', en: 'Beds, residents and the building profile change only when the bureau confirms them; file a change request ({fields})' },
  'change_request.not_found': { zh: '档案变更申请不存在或不在您的范围内', en: 'The change request does not exist or is outside your scope' },
  'change_request.pending_exists': { zh: '已有一份待审核的档案变更申请，请等待审核或先撤回', en: 'A change request is already pending; wait for the decision or withdraw it first' },
  'change_request.not_pending': { zh: '该申请已处理或已撤回', en: 'The change request was already decided or withdrawn' },
  'change_request.version_conflict': { zh: '该申请已被他人处理，请刷新后重试', en: 'The change request was changed by someone else; reload and try again' },
  'change_request.stale': { zh: '申请提交后档案已被修改，申请所依据的原值与当前档案不符，不能确认；请驳回后由机构重新申请', en: 'The profile changed after the request was filed; the values it was based on no longer match, so it cannot be approved' },
  'change_request.no_longer_valid': { zh: '按当前档案合并申请值后不符合规则，不能确认', en: 'Merged with the current profile the requested values break a rule; it cannot be approved' },
  'change_request.bureau_edits_directly': { zh: '主管部门账号可直接修改机构档案，无需提交变更申请', en: 'Bureau accounts edit the profile directly; no change request is needed' },
  'division.not_found': { zh: '行政区划不存在', en: 'The administrative division does not exist' },
  'division.out_of_scope': { zh: '该行政区划不在您的管辖范围内', en: 'The division is outside your scope' },
  'user.not_found': { zh: '账号不存在或不在您的管辖范围内', en: 'The account does not exist or is outside your scope' },
  'user.username_taken': { zh: '用户名已被占用', en: 'The username is already taken' },
  'user.version_conflict': { zh: '账号已被他人修改，请刷新后重试', en: 'The account was changed by someone else; reload and try again' },
  'checklist.not_found': { zh: '检查表不存在', en: 'No such checklist' },
  'checklist.version_not_found': { zh: '该检查表版本不存在', en: 'No such checklist version' },
  'inspection.not_found': { zh: '检查不存在或不在您的范围内', en: 'The inspection does not exist or is outside your scope' },
  'inspection.incomplete': { zh: '检查记录不完整，请补全以下内容后再提交', en: 'The inspection record is incomplete; complete the items listed' },
  'inspection.already_submitted': { zh: '该检查已提交，不能再次提交', en: 'The inspection has already been submitted' },
  'inspection.not_open': { zh: '该检查已提交或已取消', en: 'The inspection is submitted or cancelled' },
  'inspection.report_not_ready': { zh: '检查报告正在生成，请稍后再试', en: 'The report is being generated; try again shortly' },
  'document.render_failed': { zh: '文书生成失败，系统将自动重试；如长时间未恢复，请联系系统管理员', en: 'The document could not be generated; it will be retried automatically (if it does not recover, contact the administrator)' },
  'plan.not_found': { zh: '检查计划不存在或不在您的范围内', en: 'The plan does not exist or is outside your scope' },
  'plan.not_finished': { zh: '计划内还有未完成的检查，不能公示', en: 'Some inspections of the plan are not finished; it cannot be published yet' },
  'evidence.not_found': { zh: '照片不存在或不在您的范围内', en: 'The photo does not exist or is outside your scope' },
  'hazard.not_found': { zh: '隐患不存在或不在您的范围内', en: 'The hazard does not exist or is outside your scope' },
  'hazard.wrong_status': { zh: '隐患当前状态不允许此操作', en: 'This action is not allowed in the hazard\'s current status' },
  'hazard.self_verification': { zh: '不能复核自己提交的整改', en: 'You cannot verify a rectification you submitted yourself' },
  'hazard.extensionAfterDeadline': { zh: '整改期限已过，不能再申请延期', en: 'The deadline has passed; an extension can no longer be requested' },
  'hazard.extensionWrongStatus': { zh: '只有待整改或被退回的隐患可以申请延期', en: 'Only open or returned hazards can be extended' },
  'hazard.extensionNotLater': { zh: '申请的期限须晚于当前期限', en: 'The requested date must be later than the current deadline' },
  'hazard.extension_pending': { zh: '已有待审批的延期申请', en: 'An extension request is already pending' },
  'hazard.objection_window_closed': { zh: '陈述申辩期限已过（截至 {deadline}）', en: 'The objection period ended on {deadline}' },
  'hazard.objection_exists': { zh: '该隐患已提出过陈述申辩', en: 'An objection was already filed for this hazard' },
  'hazard.not_major': { zh: '只有重大隐患需要提交“五到位”整改方案', en: 'Only major hazards need a rectification plan' },
  'hazard.verifier_on_team_major': { zh: '发现该重大隐患的检查组成员不能复核销号（须由检查组以外的人员复核）', en: 'A member of the team that found this major hazard cannot verify it; someone outside the team must' },
  'hazard.verifier_on_team': { zh: '发现该隐患的检查组成员不能复核销号（须由检查组以外的人员复核）', en: 'A member of the team that found this hazard cannot verify it; someone outside the team must' },
  'extension.decider_on_team': { zh: '检查组成员不能审批本组发现的隐患的延期申请', en: 'A member of the inspection team cannot decide an extension on its own finding' },
  'hazard.objection_pending': { zh: '陈述申辩尚在处理中，处理前不挂牌督办', en: 'An objection is pending; the hazard is not listed until it is decided' },
  'hazard.objection_window_open': { zh: '陈述申辩期限（至 {deadline}）届满前不挂牌督办', en: 'The hazard is not listed before the objection period ends ({deadline})' },
  'hazard.no_notice': { zh: '尚未送达整改通知书，陈述申辩期限未开始，不挂牌督办', en: 'No rectification notice has been issued yet: the objection period has not started and the hazard is not listed' },
  'hazard.deadline_changer_on_team': { zh: '检查组成员不能调整本组发现的隐患的整改期限', en: 'A member of the inspection team cannot change the deadline of its own finding' },
  'hazard.accept_suspected': { zh: '疑似重大隐患尚未认定，认定或不认定前不能复核销号', en: 'A suspected major hazard cannot be closed before it is confirmed or downgraded' },
  'hazard.already_listed': { zh: '该重大隐患已挂牌督办', en: 'The major hazard is already listed' },
  'hazard.not_suspected': { zh: '该隐患不是待认定的疑似重大隐患', en: 'The hazard is not a suspected major hazard awaiting a decision' },
  'hazard.major_decider_on_team': { zh: '检查组成员不能认定本组发现的疑似重大隐患', en: 'A member of the inspection team cannot decide on its own suspected major finding' },
  'extension.not_found': { zh: '延期申请不存在', en: 'No such extension request' },
  'extension.decided': { zh: '该延期申请已处理', en: 'The extension request was already decided' },
  'objection.not_found': { zh: '陈述申辩不存在', en: 'No such objection' },
  'objection.decided': { zh: '该陈述申辩已处理', en: 'The objection was already decided' },
  'objection.decider_on_team': { zh: '检查组成员不能处理针对本组检查的陈述申辩', en: 'A member of the inspection team cannot decide an objection to its findings' },
  'notice.not_found': { zh: '整改通知书不存在或不在您的范围内', en: 'The notice does not exist or is outside your scope' },
  'notice.no_hazards': { zh: '该检查没有未销号的隐患', en: 'The inspection has no open hazards' },
  'reinspection.already_scheduled': { zh: '这些隐患已安排复查，复查尚未完成，不能重复安排', en: 'A re-inspection of these hazards is already scheduled and not yet done' },
  'notice.already_acknowledged': { zh: '已签收', en: 'Already acknowledged' },
  'notice.pdf_not_ready': { zh: '通知书 PDF 正在生成，请稍后再试', en: 'The notice PDF is being generated; try again shortly' },
  'grade.not_found': { zh: '等级评定不存在或不在您的范围内', en: 'The grade assessment does not exist or is outside your scope' },
  'grade.not_applicable': { zh: '该机构不适用 GB/T 37276 等级评定：{reason}', en: 'GB/T 37276 grading does not apply to this institution: {reason}' },
  'grade.finalized': { zh: '该等级评定已定稿，不能修改（如需变更等级，请作出撤销或降级决定）', en: 'The assessment is finalized (已定稿) and cannot change; revoke or lower the grade by a decision instead' },
  'grade.not_finalized': { zh: '该等级评定尚未定稿，不能撤销或降级', en: 'The assessment is not finalized; there is no grade to revoke or lower' },
  'grade.superseded': { zh: '该评定结论已被后来的评定取代，不能再撤销或降级', en: 'A later assessment has superseded this outcome; it can no longer be revoked or lowered' },
  'grade.revoked': { zh: '该等级已被撤销', en: 'The grade has already been revoked' },
  'grade.no_grade': { zh: '该评定结论为未达等级，没有可撤销或降级的等级', en: 'The outcome is 未达等级; there is no grade to revoke or lower' },
  'grade.version_conflict': { zh: '评定记录已被他人修改，请刷新后重试', en: 'The assessment was changed by someone else; reload and try again' },
  'grade.incomplete': { zh: '评分不完整：请为每个评分项打分，并说明每一处扣分', en: 'Scoring is incomplete: score every item and explain every deduction' },
  'subsidy.not_found': { zh: '补贴发放表不存在或不在您的范围内', en: 'The subsidy schedule does not exist or is outside your scope' },
  'subsidy.approved': { zh: '该补贴发放表已审批，不能修改', en: 'The schedule is approved and frozen' },
  'interruption.not_found': { zh: '该暂停/关闭记录不存在或不属于此机构', en: 'No such suspension or closure record for this institution' },
  'interruption.already_ended': { zh: '该暂停/关闭期间已于 {toDate} 结束，不能再修改', en: 'This interruption already ended on {toDate} and cannot be changed' },
  'field.forbidden_for_role': { zh: '您的角色不能修改此字段', en: 'Your role cannot change this field' },
  ...PLAN_MESSAGES,
  ...NOTICE_MESSAGES,
  ...HAZARD_MESSAGES,
  ...REGISTRY_MESSAGES,
  ...GRADE_MESSAGES,
  ...SUBSIDY_MESSAGES,
  ...ACCOUNT_MESSAGES,
  ...DASHBOARD_MESSAGES,
  ...OFFLINE_MESSAGES,
  ...TEAM_MESSAGES,
  ...CHECKLIST_MESSAGES,
  ...EVIDENCE_MESSAGES,
  ...WORKSPACE_MESSAGES,
  ...NOTIFICATION_MESSAGES,
  ...COMPLAINT_MESSAGES,
  ...REGISTER_MESSAGES,
  ...DRILL_MESSAGES,
  ...PATROL_MESSAGES,
  ...DEVICE_MESSAGES,
  ...INCIDENT_MESSAGES,
  ...CREDIT_MESSAGES,
  ...INSPECTION_CODE_MESSAGES,
};

/** Field-level reasons. `{0}`, `{1}` are the constraint's arguments. */
export const FIELD_MESSAGES: Catalog = {
  whitelistValidation: { zh: '不允许的字段', en: 'is not an allowed field' },
  isDefined: { zh: '必填', en: 'is required' },
  isNotEmpty: { zh: '不能为空', en: 'must not be empty' },
  isString: { zh: '必须是文本', en: 'must be a string' },
  isInt: { zh: '必须是整数', en: 'must be an integer' },
  isNumber: { zh: '必须是数字', en: 'must be a number' },
  isBoolean: { zh: '必须是 true 或 false', en: 'must be true or false' },
  isUuid: { zh: '必须是有效的 UUID', en: 'must be a UUID' },
  isEnum: { zh: '取值无效，可选：{0}', en: 'must be one of: {0}' },
  isIn: { zh: '取值无效，可选：{0}', en: 'must be one of: {0}' },
  min: { zh: '不能小于 {0}', en: 'must not be less than {0}' },
  max: { zh: '不能大于 {0}', en: 'must not be greater than {0}' },
  minLength: { zh: '长度不能少于 {0} 个字符', en: 'must be at least {0} characters long' },
  maxLength: { zh: '长度不能超过 {0} 个字符', en: 'must be at most {0} characters long' },
  matches: { zh: '格式不正确', en: 'has the wrong format' },
  isCreditCode: { zh: '不是有效的统一社会信用代码（GB 32100-2015 校验位不符）', en: 'is not a valid unified social credit code (GB 32100-2015 check character mismatch)' },
  isDivisionCode: { zh: '不是有效的行政区划代码（6、9 或 12 位数字）', en: 'is not a valid division code (6, 9 or 12 digits)' },
  isPhone: { zh: '不是有效的电话号码', en: 'is not a valid phone number' },
  invalidCharacters: { zh: '含有不允许的字符（空字符或不成对的代理项）', en: 'contains characters that are not allowed (NUL or an unpaired surrogate)' },
  nestedTooDeep: { zh: '嵌套层级过深（最多 {0} 层）', en: 'is nested too deeply (at most {0} levels)' },
  isCalendarDate: { zh: '必须是有效日期（YYYY-MM-DD）', en: 'must be a real date (YYYY-MM-DD)' },
  isInstant: { zh: '必须是有效的时间（ISO 8601，含时区，如 2026-11-23T10:00:00+08:00）', en: 'must be a real date-time with an offset (ISO 8601)' },
  isTextRecord: { zh: '必须是“代码: 文本”的对象（最多 {0} 项，每项不超过 {1} 字）', en: 'must be an object of texts (at most {0} entries of {1} characters)' },
  isNumberRecord: { zh: '必须是“代码: 数字”的对象（最多 {0} 项，取值 {1}–{2}）', en: 'must be an object of numbers (at most {0} entries, {1}–{2})' },
  unsupportedMediaType: { zh: '须为 {0}', en: 'must be {0}' },
  occupiedExceedsApproved: { zh: '实际入住床位（{0}）不能超过核定床位（{1}）', en: 'occupied beds ({0}) must not exceed approved beds ({1})' },
  residentsExceedOccupied: { zh: '各照护等级老人合计（{0}）不能超过实际入住床位（{1}）', en: 'residents by care level ({0}) must not exceed occupied beds ({1})' },
  residentsExceedCapacity: { zh: '各照护等级老人合计（{0}）不能超过额定服务人数（capacityPlaces：{1}）', en: 'residents by care level ({0}) must not exceed the capacity (capacityPlaces: {1})' },
  floorOutOfBuilding: { zh: '楼层（{0}）超出机构所在楼层范围（{1}–{2}）', en: 'floor ({0}) is outside the floors the facility occupies ({1}–{2})' },
  mustMatch: { zh: '须与 {0} 一致（{1}）', en: 'must equal {0} ({1})' },
  disabledFloorRequired: { zh: '有中度及以上失能老人时必须填写其居住的最高楼层', en: 'required when moderately or severely disabled residents live there' },
  disabledFloorWithoutResidents: { zh: '没有中度及以上失能老人时应留空', en: 'must be empty when there are no moderately or severely disabled residents' },
  divisionNotFound: { zh: '行政区划不存在', en: 'no such division' },
  divisionOutOfScope: { zh: '不在您的管辖范围内', en: 'is outside your scope' },
  institutionRequired: { zh: '机构账号必须绑定一个机构', en: 'an institution account must be bound to an institution' },
  divisionRequired: { zh: '政府部门和检查员账号必须指定行政区划', en: 'bureau and inspector accounts need a division' },
  forbiddenForRole: { zh: '您的角色不能修改此字段', en: 'cannot be changed by your role' },
  changeRequestRequired: { zh: '须提交档案变更申请，经主管部门确认后生效', en: 'needs a change request confirmed by the bureau' },
  noChange: { zh: '没有与当前档案不同的值', en: 'nothing differs from the current profile' },
  staleValue: { zh: '申请依据的原值为 {0}，当前档案为 {1}', en: 'the request was based on {0}, the profile now says {1}' },
  attachmentNotFound: { zh: '佐证材料不存在或不属于本机构的变更申请', en: 'no such supporting document for this institution' },
  isObject: { zh: '必须是对象', en: 'must be an object' },
  passwordTooShort: { zh: '密码至少 {0} 位', en: 'must be at least {0} characters long' },
  passwordTooWeak: { zh: '密码太容易被猜到（常见密码、键盘顺序、重复字符、拼音姓名、城市名、年份或用户名），请换一个更长、更无规律的密码，例如几个不相关的词加数字和符号', en: 'is too easy to guess (a common password, keyboard run, repeated characters, name, city, year or the username); choose a longer, less predictable one, e.g. several unrelated words with digits and symbols' },
  taken: { zh: '已被占用', en: 'is already taken' },
  gradePointsInvalid: { zh: '得分无效：{0}', en: 'invalid points: {0}' },
  gradeItemMissing: { zh: '{0} 尚未打分', en: '{0} has no points yet' },
  gradeDeductionNote: { zh: '{0} 有扣分，须填写扣分说明', en: '{0} has a deduction and needs a note' },
  gradeLowerNeedsGrade: { zh: '降级须填写降级后的等级', en: 'a lowering needs the new grade' },
  gradeNotLower: { zh: '须低于现等级（{0}）', en: 'must be lower than the current grade ({0})' },
  gradeRevokeNoNewGrade: { zh: '撤销时不填写等级', en: 'must be empty for a revocation' },
  gradeEffectiveBeforeValidFrom: { zh: '不能早于该等级的生效日期（{0}）', en: 'must not be before the grade took effect ({0})' },
  gradeEffectiveAfterValidUntil: { zh: '不能晚于该等级的有效期（至 {0}）', en: 'must not be after the grade expires ({0})' },
  gradeEffectiveInFuture: { zh: '生效日期不能晚于作出决定之日（{0}）', en: 'must not be later than the day of the decision ({0})' },
  gradeEffectiveBeforeDecision: { zh: '不能早于此前决定的生效日期（{0}）', en: 'must not be before the earlier decision took effect ({0})' },
  periodOrder: { zh: '结束日期不能早于开始日期', en: 'must not be before the start' },
  periodOneYear: { zh: '期间不能跨年度', en: 'the period must lie within one year' },
  noSubsidyPolicy: { zh: '没有适用于 {0} 年的补贴政策', en: 'no subsidy policy for {0}' },
  dateInFuture: { zh: '不能晚于今天', en: 'must not be after today' },
  openedAfterInterruption: { zh: '开业日期不能晚于已登记的暂停/关闭起始日（{0}）', en: 'must not be after the first recorded interruption ({0})' },
  beforeOpening: { zh: '不能早于开业日期（{0}）', en: 'must not be before the opening day ({0})' },
  interruptionOverlap: { zh: '与已登记的{0}期间（{1}）重叠', en: 'overlaps the recorded {0} ({1})' },
  dateInPast: { zh: '日期不能早于今天', en: 'must not be in the past' },
  deadlineAboveMax: { zh: '整改期限不得晚于 {0}（{1}隐患最长 {2} 天）', en: 'the deadline must not be later than {0} (at most {2} days for a {1} hazard)' },
  extensionNotLater: { zh: '须晚于当前整改期限', en: 'must be later than the current deadline' },
  drawInvalid: { zh: '抽取条件无效：{0}', en: 'the draw cannot be made: {0}' },
  duplicateResponse: { zh: '同一检查项重复作答', en: 'is answered twice' },
  itemNotApplicable: { zh: '该检查项不适用于本机构或不在本检查表版本中', en: 'is not an applicable item of this checklist version' },
  unanswered: { zh: '{0}「{1}」尚未作答', en: '{0} "{1}" is not answered' },
  findingNoteRequired: { zh: '{0} 不合格：请填写情况说明', en: '{0} failed: a note is required' },
  findingLocationRequired: { zh: '{0} 不合格：请填写位置（楼栋/楼层/房间）', en: '{0} failed: the location is required' },
  findingScopeRequired: { zh: '{0} 不合格：请选择范围（单处/多处/普遍）', en: '{0} failed: the scope is required' },
  findingSeverityRequired: { zh: '{0} 不合格：请选择隐患等级', en: '{0} failed: the severity is required' },
  majorCriterionRequired: { zh: '{0} 定为重大隐患：须选择所依据的判定标准条款', en: '{0} is major: choose the major-hazard criterion it rests on' },
  evidenceNotFound: { zh: '{0} 的照片不存在或不属于该检查项：{1}', en: '{0}: photos not found for this item: {1}' },
  photoRequired: { zh: '{0} 不合格：需要至少 {1} 张照片（已有 {2} 张）', en: '{0} failed: at least {1} photo(s) required ({2} attached)' },
  signerNotOnTeam: { zh: '签名人「{0}」不是本次检查组成员', en: 'signer "{0}" is not on the inspection team' },
  inspectorSignaturesRequired: { zh: '至少需要 {0} 名检查组成员签名', en: 'at least {0} team members must sign' },
  institutionSignatureRequired: { zh: '需要机构负责人签收', en: 'the institution representative must sign' },
  signatureImageInvalid: { zh: '签名图片无效（须为 PNG，且不超过 300 KB）', en: 'the signature must be a PNG image of at most 300 KB' },
  imageTypeNotAllowed: { zh: '仅支持 JPEG、PNG、WebP 图片', en: 'only JPEG, PNG and WebP images are accepted' },
  imageUndecodable: { zh: '图片已损坏或不完整，无法识别，请重新拍摄或选择其他图片', en: 'the image is damaged or incomplete and cannot be decoded' },
  imageTooManyPixels: { zh: '图片像素过多（上限 {0} 百万像素），请缩小后再上传', en: 'the image has too many pixels (limit {0} megapixels)' },
  imageHeicUnsupported: { zh: '暂不支持 HEIC 格式照片，请在相机设置中选择“兼容性最佳”（JPEG）后重拍，或上传 JPEG/PNG 图片', en: 'HEIC photos cannot be read; set the camera to "Most Compatible" (JPEG) or upload a JPEG or PNG' },
  fileTooLarge: { zh: '文件过大（上限 {0} MB）', en: 'the file is too large (limit {0} MB)' },
  fileRequired: { zh: '请选择文件', en: 'a file is required' },
  teamTooSmall: { zh: '检查组至少需要 {0} 人', en: 'the team needs at least {0} members' },
  notInspector: { zh: '不是可以参加检查的账号（检查员或监管人员）', en: 'is not an account that can inspect' },
  suspectedReasonRequired: { zh: '{0} 标记为疑似重大隐患：请填写疑似理由', en: '{0} is marked as a suspected major hazard: give the reason' },
  suspectedNotMajor: { zh: '{0} 标记为疑似重大隐患：隐患等级在主管部门认定前为一般，不能同时定为重大', en: '{0} is a suspected major hazard: it stays general until the bureau decides and cannot also be graded major' },
  criterionNotConfirmable: { zh: '判定标准 {0} 不是现行判定标准中已核实原文的条款，不能据以认定重大隐患', en: 'criterion {0} is not a criterion with retrieved text in the criteria in force; a major hazard cannot rest on it' },
  ...PLAN_FIELD_MESSAGES,
  ...NOTICE_FIELD_MESSAGES,
  ...HAZARD_FIELD_MESSAGES,
  ...REGISTRY_FIELD_MESSAGES,
  ...GRADE_FIELD_MESSAGES,
  ...SUBSIDY_FIELD_MESSAGES,
  ...ACCOUNT_FIELD_MESSAGES,
  ...DASHBOARD_FIELD_MESSAGES,
  ...OFFLINE_FIELD_MESSAGES,
  ...TEAM_FIELD_MESSAGES,
  ...CHECKLIST_FIELD_MESSAGES,
  ...EVIDENCE_FIELD_MESSAGES,
  ...WORKSPACE_FIELD_MESSAGES,
  ...NOTIFICATION_FIELD_MESSAGES,
  ...COMPLAINT_FIELD_MESSAGES,
  ...REGISTER_FIELD_MESSAGES,
  ...DRILL_FIELD_MESSAGES,
  ...PATROL_FIELD_MESSAGES,
  ...DEVICE_FIELD_MESSAGES,
  ...INCIDENT_FIELD_MESSAGES,
  ...CREDIT_FIELD_MESSAGES,
  ...INSPECTION_CODE_FIELD_MESSAGES,
};

export function format(template: string, params: Record<string, unknown> | unknown[] = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => {
    const v = (params as Record<string, unknown>)[key];
    return v === undefined || v === null ? m : Array.isArray(v) ? v.join(', ') : String(v);
  });
}

export function message(code: string, lang: Lang, params?: Record<string, unknown>): string {
  const entry = MESSAGES[code];
  return entry ? format(entry[lang], params) : code;
}

export function fieldMessage(reason: string, lang: Lang, args: unknown[] = []): string {
  const entry = FIELD_MESSAGES[reason];
  return entry ? format(entry[lang], args) : reason;
}

export function langFrom(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  const first = acceptLanguage.split(',')[0].trim().toLowerCase();
  return first.startsWith('en') ? 'en' : 'zh';
}

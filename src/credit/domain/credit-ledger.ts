/**
 * 信用评价 of one institution with its ledger: every point added or deducted is one entry naming the rule, the
 * record it came from (entity type, id, date) and the arithmetic in Chinese; the total is the base plus the entries
 * (a cap or floor is an entry too), and the level is the first one of the rule file whose minPoints the total
 * reaches. Points are integers, so the arithmetic is exact. Rules come from checklists/credit-rules.yaml
 * (`CreditValues`); docs/credit.md says where each fact comes from.
 *
 * Two steps, both pure (no clock, no I/O): `creditFacts` turns the record into dated facts (a repeat, a drill on
 * time are decided here), `computeCreditLedger` turns the facts into the ledger. `creditLedger` does both.
 */
import type { CreditFactKind, CreditLevel, CreditValues } from '../../checklists/domain/credit-rules';
import { addDays, addMonths, parseDay } from './days';

export type CreditEntityType = 'hazard' | 'hazard_objection' | 'complaint' | 'incident' | 'institution_change_request' | 'self_hazard' | 'drill';

/** One fact of the record that a rule may count. */
export interface CreditFact {
  kind: CreditFactKind;
  entityType: CreditEntityType;
  entityId: string;
  /** YYYY-MM-DD (Asia/Shanghai): the day the fact happened */
  on: string;
  /** what the record is, in Chinese, e.g. "GAS-003 燃气报警装置缺失" */
  detailZh: string;
}

/** The record of one institution as the repository reads it (all dates YYYY-MM-DD, Asia/Shanghai). */
export interface CreditRecord {
  /** hazards found (inspection submitted) from windowStart − repeatMonths to asOf; none closed because an objection was upheld */
  hazards: { id: string; itemCode: string; titleZh: string; foundOn: string; dueOn: string; overdue: boolean; confirmedMajor: boolean }[];
  /** objections (陈述申辩) rejected: the hazard stands */
  objectionsLost: { id: string; itemCode: string; decidedOn: string }[];
  /** complaints replied to whose follow-up inspection found a hazard */
  complaintsUpheld: { id: string; repliedOn: string; categoryZh: string }[];
  incidents: { id: string; occurredOn: string; gradeZh: string; late: boolean }[];
  /** change requests rejected that asked for more beds than confirmed */
  bedsOverstated: { id: string; decidedOn: string; field: string; before: number; after: number }[];
  /** self-reported hazards (自查隐患) closed on or before their due date */
  selfHazardsClosed: { id: string; itemCode: string; titleZh: string; closedOn: string }[];
  /** live drills with the previous live drill's day (null: the first recorded) */
  liveDrills: { id: string; heldOn: string; previousOn: string | null }[];
}

export interface CreditLedgerEntry {
  kind: 'rule' | 'uncounted' | 'cap' | 'floor';
  /** the rule (CR-…); null on cap and floor */
  ruleCode: string | null;
  fact?: CreditFactKind;
  /** negative = deduction */
  points: number;
  entityType?: CreditEntityType;
  entityId?: string;
  on?: string;
  /** Chinese, with the arithmetic, e.g. "CR-OVERDUE 隐患逾期未整改：GAS-003 …（2026-03-02 到期）−5 分" */
  explanation: string;
}

export interface CreditLedger {
  asOf: string;
  /** the first day of the look-back window */
  windowStart: string;
  base: number;
  entries: CreditLedgerEntry[];
  /** base + Σ entries.points */
  total: number;
  level: CreditLevel;
  levelLabelZh: string;
}

/** The first day counted: facts on or after it and on or before asOf count. */
export function windowStartOf(asOf: string, rules: Pick<CreditValues, 'windowMonths'>): string {
  return addDays(addMonths(asOf, -rules.windowMonths), 1);
}

/** The dated facts of a record (repeats and drills on time decided here). `liveDrillMonths`: safety-work-policy.yaml. */
export function creditFacts(record: CreditRecord, rules: Pick<CreditValues, 'repeatMonths'>, liveDrillMonths: number): CreditFact[] {
  const facts: CreditFact[] = [];
  const hazards = [...record.hazards].sort((a, b) => cmp(a.foundOn, b.foundOn) || cmp(a.id, b.id));
  for (const h of hazards) {
    const what = `${h.itemCode} ${h.titleZh}`;
    if (h.overdue) facts.push({ kind: 'overdue_hazard', entityType: 'hazard', entityId: h.id, on: h.dueOn, detailZh: `${what}（${h.foundOn} 发现，${h.dueOn} 到期未整改）` });
    if (h.confirmedMajor) facts.push({ kind: 'major_hazard', entityType: 'hazard', entityId: h.id, on: h.foundOn, detailZh: `${what}（${h.foundOn} 发现，重大事故隐患）` });
    const since = addMonths(h.foundOn, -rules.repeatMonths);
    const earlier = hazards.filter((e) => e.itemCode === h.itemCode && e.foundOn < h.foundOn && e.foundOn >= since).pop();
    if (earlier) facts.push({ kind: 'repeated_hazard', entityType: 'hazard', entityId: h.id, on: h.foundOn, detailZh: `${what}（${h.foundOn} 再次发现，上次 ${earlier.foundOn}）` });
  }
  for (const o of record.objectionsLost) facts.push({ kind: 'objection_lost', entityType: 'hazard_objection', entityId: o.id, on: o.decidedOn, detailZh: `对隐患 ${o.itemCode} 的陈述申辩 ${o.decidedOn} 未被采纳` });
  for (const c of record.complaintsUpheld) facts.push({ kind: 'complaint_upheld', entityType: 'complaint', entityId: c.id, on: c.repliedOn, detailZh: `${c.categoryZh}投诉经核查发现隐患，${c.repliedOn} 答复` });
  for (const i of record.incidents) {
    facts.push({ kind: 'incident', entityType: 'incident', entityId: i.id, on: i.occurredOn, detailZh: `${i.occurredOn} 发生${i.gradeZh}突发事件` });
    if (i.late) facts.push({ kind: 'incident_late', entityType: 'incident', entityId: i.id, on: i.occurredOn, detailZh: `${i.occurredOn} 的${i.gradeZh}突发事件超过报告时限报告` });
  }
  for (const r of record.bedsOverstated) facts.push({ kind: 'falsified_facts', entityType: 'institution_change_request', entityId: r.id, on: r.decidedOn, detailZh: `档案变更申请将${r.field === 'occupiedBeds' ? '实际入住床位' : '核定床位'}由 ${r.before} 报为 ${r.after}，${r.decidedOn} 被驳回` });
  for (const s of record.selfHazardsClosed) facts.push({ kind: 'self_hazard_closed', entityType: 'self_hazard', entityId: s.id, on: s.closedOn, detailZh: `自查隐患 ${s.itemCode} ${s.titleZh} ${s.closedOn} 按期整改` });
  for (const d of record.liveDrills) {
    const onTime = d.previousOn === null || d.heldOn <= addMonths(d.previousOn, liveDrillMonths);
    if (onTime) facts.push({ kind: 'drill_on_time', entityType: 'drill', entityId: d.id, on: d.heldOn, detailZh: d.previousOn === null ? `${d.heldOn} 实战演练（首次记录）` : `${d.heldOn} 实战演练（距上次 ${d.previousOn} 不超过 ${liveDrillMonths} 个月）` });
  }
  return facts;
}

/**
 * The ledger of the facts as of a day. Facts outside the window are ignored; a fact whose kind has no rule counts
 * nothing and is not listed. Within a rule the most recent occurrences count first; beyond its maxCount an
 * occurrence is listed with 0 points (`uncounted`) so the reader sees why it did not count.
 */
export function computeCreditLedger(facts: CreditFact[], asOf: string, rules: CreditValues): CreditLedger {
  parseDay(asOf, 'asOf');
  for (const f of facts) parseDay(f.on, `${f.entityType} ${f.entityId} date`);
  if (!rules.levels.length || rules.levels[rules.levels.length - 1].minPoints > 0) throw new RangeError('credit rules: the lowest level must start at 0');
  const windowStart = windowStartOf(asOf, rules);
  const inWindow = facts.filter((f) => f.on >= windowStart && f.on <= asOf);
  const entries: CreditLedgerEntry[] = [];
  for (const rule of rules.rules) {
    const mine = inWindow
      .filter((f) => f.kind === rule.fact)
      .sort((a, b) => cmp(b.on, a.on) || cmp(a.entityType, b.entityType) || cmp(a.entityId, b.entityId));
    mine.forEach((f, i) => {
      const counted = rule.maxCount === null || i < rule.maxCount;
      const base = { ruleCode: rule.code, fact: f.kind, entityType: f.entityType, entityId: f.entityId, on: f.on };
      entries.push(counted
        ? { kind: 'rule', ...base, points: rule.points, explanation: `${rule.code} ${rule.titleZh}：${f.detailZh} ${signed(rule.points)} 分` }
        : { kind: 'uncounted', ...base, points: 0, explanation: `${rule.code} ${rule.titleZh}：${f.detailZh}（已计满 ${rule.maxCount} 次，不再计分）0 分` });
    });
  }
  let total = rules.basePoints + entries.reduce((s, e) => s + e.points, 0);
  if (total > rules.maxPoints) {
    const points = rules.maxPoints - total;
    entries.push({ kind: 'cap', ruleCode: null, points, explanation: `加减后为 ${total} 分，信用分最高 ${rules.maxPoints} 分：${total} → ${rules.maxPoints} = ${signed(points)} 分` });
    total = rules.maxPoints;
  }
  if (total < 0) {
    const points = -total;
    entries.push({ kind: 'floor', ruleCode: null, points, explanation: `扣分后为 ${total} 分，信用分最低 0 分：${total} → 0 = ${signed(points)} 分` });
    total = 0;
  }
  const level = levelOf(total, rules);
  return { asOf, windowStart, base: rules.basePoints, entries, total, level: level.level, levelLabelZh: level.labelZh };
}

/** The record → facts → ledger. */
export function creditLedger(record: CreditRecord, asOf: string, rules: CreditValues, liveDrillMonths: number): CreditLedger {
  return computeCreditLedger(creditFacts(record, rules, liveDrillMonths), asOf, rules);
}

/** The first level (best first) whose minPoints the total reaches. */
export function levelOf(total: number, rules: Pick<CreditValues, 'levels'>): { level: CreditLevel; labelZh: string; minPoints: number } {
  const found = rules.levels.find((l) => total >= l.minPoints);
  if (!found) throw new RangeError(`no credit level for ${total} points`);
  return found;
}

/** The latest day of a deduction in the facts (for 信用修复's clean period), or null. */
export function lastDeductionOn(facts: CreditFact[], rules: Pick<CreditValues, 'rules'>, asOf: string): string | null {
  const deducting = new Set(rules.rules.filter((r) => r.points < 0).map((r) => r.fact));
  return facts.filter((f) => deducting.has(f.kind) && f.on <= asOf).reduce<string | null>((m, f) => (m === null || f.on > m ? f.on : m), null);
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export { addDays };

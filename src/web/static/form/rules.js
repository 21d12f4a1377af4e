// @ts-check
/*
 * What keeps the inspection from being submitted, as the device shows it. The rules themselves come from the
 * server (`requirements` in the form payload, computed by `submissionRequirements` — the function the submit is
 * validated with); this module only applies them to the draft. Pure: no DOM (rules.spec.ts runs in Node).
 */
import { trim, usablePhotos } from './draft.js';

/** @typedef {import('./types.js').Form} Form */
/** @typedef {import('./types.js').Draft} Draft */
/** @typedef {import('./types.js').Answer} Answer */
/** @typedef {import('./types.js').Requirements} Requirements */
/** @typedef {import('./types.js').ItemRequirements} ItemRequirements */
/** @typedef {import('./types.js').TeamMember} TeamMember */
/** @typedef {import('./types.js').FindingField} FindingField */

/**
 * One thing an item lacks: `field` is the form control to go to, `text` what the inspector reads.
 * @typedef {{ field: 'result' | FindingField | 'majorCriterion' | 'suspectedReason' | 'photos', text: string }} Problem
 */
/** @typedef {{ code: string, problems: Problem[] }} ItemProblems */

/** @type {Record<FindingField, string>} */
export const FIELD_LABELS = { note: '情况说明', location: '位置', scope: '范围', severity: '隐患等级' };

/** What an item the server did not describe needs: nothing can be assumed, so nothing is waived. */
const UNKNOWN_ITEM = /** @type {ItemRequirements} */ ({
  whenFailed: ['note', 'location', 'scope', 'severity'], photosWhenFailed: 0, criterionWhenMajor: true, majorBy: 'criterion', reasonWhenSuspected: true,
});

/**
 * A form payload the page can work with: items, and the submission requirements. A copy cached before the
 * server sent requirements is not usable (the device would have to guess the rules).
 * @param {unknown} data
 * @returns {data is Form & { requirements: Requirements }}
 */
export function isUsableForm(data) {
  if (!data || typeof data !== 'object') return false;
  const f = /** @type {Record<string, any>} */ (data);
  const r = f.requirements;
  return Array.isArray(f.categories) && !!r && typeof r === 'object' && !!r.items && typeof r.items === 'object' &&
    Array.isArray(r.majorCriteria) && typeof r.inspectorSignatures === 'number';
}

/** @param {Requirements} req @param {string} code @returns {ItemRequirements} */
export function itemRequirements(req, code) { return req.items[code] || UNKNOWN_ITEM; }

/** Photos a 不合格 answer to this item must carry. @param {Requirements} req @param {string} code */
export function photosNeeded(req, code) { return itemRequirements(req, code).photosWhenFailed; }

/**
 * What keeps one item from being submittable (empty = complete).
 * @param {Requirements} req @param {string} code @param {Answer | null | undefined} a
 * @returns {Problem[]}
 */
export function itemProblems(req, code, a) {
  if (!a || !a.result) return [{ field: 'result', text: '未作答' }];
  if (a.result !== 'fail') return [];
  const need = itemRequirements(req, code);
  /** @type {Problem[]} */
  const p = [];
  const suspected = a.suspectedMajor === true;
  // A 疑似重大隐患 has no grade of its own yet (general until the bureau decides) and needs no criterion, but a reason.
  need.whenFailed.forEach((f) => { if (!(f === 'severity' && suspected) && !trim(a[f])) p.push({ field: f, text: FIELD_LABELS[f] }); });
  if (suspected) {
    if (a.severity === 'major') p.push({ field: 'severity', text: '疑似重大隐患在认定前为一般隐患' });
    if (need.reasonWhenSuspected !== false && !trim(a.suspectedReason)) p.push({ field: 'suspectedReason', text: '疑似理由' });
  } else if (need.criterionWhenMajor && a.severity === 'major' && (!a.majorCriterion || req.majorCriteria.indexOf(a.majorCriterion) < 0)) {
    p.push({ field: 'majorCriterion', text: '判定标准' });
  }
  const have = usablePhotos(a).length;
  if (have < need.photosWhenFailed) p.push({ field: 'photos', text: '照片（至少 ' + need.photosWhenFailed + ' 张，已有 ' + have + ' 张）' });
  return p;
}

/**
 * Every item's problems, failed items with missing details first: they are the ones easily overlooked.
 * @param {Requirements} req @param {string[]} order @param {Draft} draft
 */
export function allProblems(req, order, draft) {
  /** @type {ItemProblems[]} */ const unanswered = [];
  /** @type {ItemProblems[]} */ const incomplete = [];
  order.forEach((code) => {
    const problems = itemProblems(req, code, draft.answers[code]);
    if (!problems.length) return;
    (problems[0].field === 'result' ? unanswered : incomplete).push({ code, problems });
  });
  return { unanswered, incomplete, all: incomplete.concat(unanswered) };
}

/**
 * What the signatures still lack, as sentences for the submit panel.
 * @param {Requirements} req @param {Draft['signatures']} sigs @param {TeamMember[]} team
 * @returns {string[]}
 */
export function signatureProblems(req, sigs, team) {
  /** @type {string[]} */
  const errs = [];
  /** @type {Record<string, TeamMember>} */
  const byId = {};
  team.forEach((m) => { byId[m.userId] = m; });
  /** @type {Record<string, boolean>} */
  const seen = {};
  let complete = 0;
  sigs.inspectors.forEach((s, i) => {
    if (!s || (!s.userId && !s.image)) return;
    const label = '检查人员 ' + (i + 1);
    if (!s.userId) { errs.push(label + '：请选择签名人'); return; }
    const name = byId[s.userId] ? byId[s.userId].displayName : s.userId;
    if (!s.image) { errs.push(label + '（' + name + '）尚未签名'); return; }
    if (seen[s.userId]) { errs.push(name + ' 重复签名，每位检查人员只需签一次'); return; }
    seen[s.userId] = true;
    complete++;
  });
  if (complete < req.inspectorSignatures) {
    errs.push('至少需要' + countZh(req.inspectorSignatures) + '名不同的检查人员签名（当前 ' + complete + ' 名）');
  }
  if (req.institutionSignature) {
    if (!trim(sigs.rep.name)) errs.push('请填写机构签收人姓名');
    if (!sigs.rep.image) errs.push('机构签收人尚未签名');
  }
  return errs;
}

/** The draft can go to the server as it is. @param {Requirements} req @param {string[]} order @param {Draft} draft @param {TeamMember[]} team */
export function readyToSubmit(req, order, draft, team) {
  return !allProblems(req, order, draft).all.length && !signatureProblems(req, draft.signatures, team).length;
}

/** 两 / 三 … for the sentences about signatures (digits beyond ten). @param {number} n */
export function countZh(n) {
  const words = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'];
  return n >= 0 && n <= 10 ? words[n] : String(n);
}

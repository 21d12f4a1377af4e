import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChecklistItem } from '../../../checklists/domain';
import { SubmittedResponse, SubmittedSignature, submissionIssues, submissionRequirements } from '../../../inspections/domain/submission';
import { newDraft, setField, setResult, submissionPayload } from './draft.js';
import { allProblems, isUsableForm, itemProblems, readyToSubmit, signatureProblems } from './rules.js';

const ID = 'b0c1d2e3-0000-4000-8000-000000000001';
const checklistItem = (code: string, evidence: ChecklistItem['evidence'], severity: 'general' | 'major' = 'general'): ChecklistItem => ({
  code, category: 'ESC', title: { zh: `检查项${code}`, en: code }, check: { zh: '' }, basis: [], severity,
  deadlineDays: 7, evidence, weight: 1, enabled: true,
} as ChecklistItem);

const applicable = [
  checklistItem('ESC-001', { photoRequiredWhenFailed: true, minPhotos: 2 }),
  checklistItem('ESC-002', { photoRequiredWhenFailed: false }),
  checklistItem('ESC-003', { photoRequiredWhenFailed: true }, 'major'),
];
const order = applicable.map((i) => i.code);
const team = [{ userId: 'u1', displayName: '张三' }, { userId: 'u2', displayName: '李四' }];
/** The requirements exactly as GET /api/inspections/:id/form sends them (through JSON). */
const req = JSON.parse(JSON.stringify(submissionRequirements({ applicable, majorCriteria: new Set(['MZ2023-4.2']), minInspectorSignatures: 2 })));
const photo = (key: string, evidenceId: string) => ({ key, evidenceId, takenAt: '2026-11-23T02:00:00Z' });

describe('submission rules on the device', () => {
  it('come from the server’s requirements, not from the item’s own evidence fields', () => {
    const a = { result: 'fail' as const, note: 'n', location: 'l', scope: 'single' as const, severity: 'general' as const, photos: [photo('p1', 'e1')] };
    expect(itemProblems(req, 'ESC-001', a).map((p) => p.text)).toEqual(['照片（至少 2 张，已有 1 张）']);
    expect(itemProblems(req, 'ESC-002', { ...a, photos: [] })).toEqual([]);
    // The server raises the bar: the device follows without any change of its own.
    const stricter = { ...req, items: { ...req.items, 'ESC-002': { ...req.items['ESC-002'], photosWhenFailed: 3 } } };
    expect(itemProblems(stricter, 'ESC-002', { ...a, photos: [] }).map((p) => p.field)).toEqual(['photos']);
  });

  it('a failed item lists each missing detail; a major one must rest on a criterion the server accepts', () => {
    expect(itemProblems(req, 'ESC-001', undefined)).toEqual([{ field: 'result', text: '未作答' }]);
    expect(itemProblems(req, 'ESC-002', { result: 'fail', note: ' ', photos: [] }).map((p) => p.text)).toEqual(['情况说明', '位置', '范围', '隐患等级']);
    const major = { result: 'fail' as const, note: 'n', location: 'l', scope: 'single' as const, severity: 'major' as const, photos: [photo('p1', 'e1')] };
    expect(itemProblems(req, 'ESC-003', { ...major, majorCriterion: 'MZ2023-6.X' }).map((p) => p.field)).toEqual(['majorCriterion']);
    expect(itemProblems(req, 'ESC-003', { ...major, majorCriterion: 'MZ2023-4.2' })).toEqual([]);
    expect(itemProblems(req, 'ESC-003', { result: 'na', photos: [] })).toEqual([]);
  });

  it('lists incomplete failed items before unanswered ones', () => {
    const d = newDraft(ID);
    setResult(d, { code: 'ESC-003', title: '', severity: 'major' }, 'fail');
    const pr = allProblems(req, order, d);
    expect(pr.all.map((p) => p.code)).toEqual(['ESC-003', 'ESC-001', 'ESC-002']);
    expect(pr.unanswered.length).toBe(2);
  });

  it('signatures: as many distinct team members as the server asks for, and the institution’s representative', () => {
    const sigs = { inspectors: [{ userId: 'u1', image: 'i1' }, { userId: 'u1', image: 'i1' }, { userId: '', image: null }], rep: { name: '', image: null } };
    expect(signatureProblems(req, sigs, team)).toEqual([
      '张三 重复签名，每位检查人员只需签一次', '至少需要两名不同的检查人员签名（当前 1 名）', '请填写机构签收人姓名', '机构签收人尚未签名',
    ]);
    const three = { ...req, inspectorSignatures: 3 };
    const two = { inspectors: [{ userId: 'u1', image: 'i1' }, { userId: 'u2', image: 'i2' }], rep: { name: '李院长', image: 'r' } };
    expect(signatureProblems(req, two, team)).toEqual([]);
    expect(signatureProblems(three, two, team)).toEqual(['至少需要三名不同的检查人员签名（当前 2 名）']);
  });

  it('a draft the device calls ready is one the server’s own check accepts', () => {
    const d = newDraft(ID);
    d.answers = {
      'ESC-001': { result: 'fail', note: '堵塞', location: '1层', scope: 'single', severity: 'general', photos: [photo('p1', 'e1'), photo('p2', 'e2')] },
      'ESC-002': { result: 'pass', photos: [] },
      'ESC-003': { result: 'fail', note: '无', location: '2层', scope: 'multiple', severity: 'major', majorCriterion: 'MZ2023-4.2', photos: [photo('p3', 'e3')] },
    };
    d.signatures = { inspectors: [{ userId: 'u1', image: 'i1' }, { userId: 'u2', image: 'i2' }], rep: { name: '李院长', image: 'r' } };
    expect(readyToSubmit(req, order, d, team)).toBe(true);
    const body = submissionPayload(d, order, team) as { responses: SubmittedResponse[]; signatures: SubmittedSignature[] };
    const evidence = new Map([['e1', 'ESC-001'], ['e2', 'ESC-001'], ['e3', 'ESC-003']].map(([id, itemCode]) => [id, { itemCode }]));
    expect(submissionIssues({ applicable, excludedCodes: new Set(), team, evidence, majorCriteria: new Set(['MZ2023-4.2']), minInspectorSignatures: 2 },
      body.responses, body.signatures)).toEqual([]);
    d.answers['ESC-001'].photos.pop();
    expect(readyToSubmit(req, order, d, team)).toBe(false);
  });

  it('疑似重大隐患: the device and the server agree — a reason, no criterion, no grade; an escalation to a placeholder offers only this', () => {
    const placeholderItem = { ...checklistItem('ESC-004', { photoRequiredWhenFailed: false }), escalatesTo: 'MZ2023-6.X' } as ChecklistItem;
    const all = [...applicable, placeholderItem];
    const req4 = JSON.parse(JSON.stringify(submissionRequirements({ applicable: all, majorCriteria: new Set(['MZ2023-4.2']), minInspectorSignatures: 2 })));
    expect(req4.items['ESC-004'].majorBy).toBe('suspected');
    const d = newDraft(ID);
    const item4 = { code: 'ESC-004', title: '', severity: 'general' as const, escalatesTo: null };
    d.answers = {
      'ESC-001': { result: 'pass', photos: [] }, 'ESC-002': { result: 'pass', photos: [] }, 'ESC-003': { result: 'pass', photos: [] },
      'ESC-004': { result: 'fail', note: '唯一楼梯堆满杂物', location: '2层楼梯间', scope: 'single', photos: [] },
    };
    setField(d, item4, 'suspectedMajor', 'true');
    d.signatures = { inspectors: [{ userId: 'u1', image: 'i1' }, { userId: 'u2', image: 'i2' }], rep: { name: '李院长', image: 'r' } };
    const order4 = all.map((i) => i.code);
    const server = () => {
      const body = submissionPayload(d, order4, team) as { responses: SubmittedResponse[]; signatures: SubmittedSignature[] };
      return submissionIssues({ applicable: all, excludedCodes: new Set(), team, evidence: new Map(), majorCriteria: new Set(['MZ2023-4.2']), minInspectorSignatures: 2 },
        body.responses, body.signatures).map((i) => i.field);
    };
    // Without the reason both refuse, naming the same field.
    expect(itemProblems(req4, 'ESC-004', d.answers['ESC-004']).map((p) => p.field)).toEqual(['suspectedReason']);
    expect(readyToSubmit(req4, order4, d, team)).toBe(false);
    expect(server()).toEqual(['responses.ESC-004.suspectedReason']);
    setField(d, item4, 'suspectedReason', '楼梯完全堵塞，无法疏散');
    expect(readyToSubmit(req4, order4, d, team)).toBe(true);
    expect(server()).toEqual([]);
    const body = submissionPayload(d, order4, team) as { responses: SubmittedResponse[] };
    expect(body.responses[3]).toMatchObject({ suspectedMajor: true, suspectedReason: '楼梯完全堵塞，无法疏散', severity: 'general', majorCriterion: null });
    // Choosing 重大 ends the suspicion (the two exclude each other).
    setField(d, item4, 'severity', 'major');
    expect(d.answers['ESC-004'].suspectedMajor).toBe(false);
  });

  it('a form payload without requirements (a copy cached by an older page) is not used', () => {
    expect(isUsableForm({ categories: [], requirements: req })).toBe(true);
    expect(isUsableForm({ categories: [] })).toBe(false);
    expect(isUsableForm(null)).toBe(false);
  });

  it('the service worker precaches every form module (and nothing that is not there)', () => {
    const dir = __dirname;
    const modules = fs.readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => f.replace(/\.js$/, '')).sort();
    const sw = fs.readFileSync(path.join(dir, '..', 'sw.js'), 'utf8');
    const listed = /FORM_MODULES = \[([^\]]*)\]/.exec(sw)![1].match(/'[^']+'/g)!.map((s) => s.slice(1, -1)).sort();
    expect(listed).toEqual(modules);
  });
});

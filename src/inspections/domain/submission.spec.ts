import type { ChecklistItem } from '../../checklists/domain';
import { LEGACY_POLICY_VALUES, type PolicyValues, type WorkingCalendar } from '../../checklists/domain/policy';
import { addDays } from '../../common/calendar';
import { hazardsFrom, submissionIssues, submissionRequirements } from './submission';

/** Monday–Friday only (the real calendar files are tested with the calendar). */
const weekdays: WorkingCalendar = {
  knownYears: [],
  isWorkingDay: (d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()),
  nextWorkingDay(d) { let x = d; while (!this.isWorkingDay(x)) x = addDays(x, 1); return x; },
  addWorkingDays(d, n) { let x = d; for (let i = 0; i < n; i++) { x = addDays(x, 1); while (!this.isWorkingDay(x)) x = addDays(x, 1); } return x; },
  warnings: () => [],
};
const policy: PolicyValues = {
  ...LEGACY_POLICY_VALUES, deadlines: { ...LEGACY_POLICY_VALUES.deadlines, majorDefaultDays: 15, majorMaxDays: 30, majorPlanDays: 7 },
  suspectedMajor: { confirmWorkingDays: 3 },
};
const terms = { policy, calendar: weekdays };

const item = (code: string, minPhotos = 1): ChecklistItem => ({
  code, category: code.slice(0, 3), title: { zh: `检查项${code}`, en: code }, check: { zh: '' }, basis: [], severity: 'general',
  deadlineDays: 7, evidence: { photoRequiredWhenFailed: true, minPhotos }, weight: 1, enabled: true,
} as ChecklistItem);

const ctx = (evidence: Record<string, string>) => ({
  applicable: [item('ESC-001', 2), item('ESC-002')], excludedCodes: new Set<string>(), team: [{ userId: 'a' }, { userId: 'b' }],
  evidence: new Map(Object.entries(evidence).map(([id, itemCode]) => [id, { itemCode }])), majorCriteria: new Set(['MZ2023-4.2']), minInspectorSignatures: 2,
});
const signatures = [
  { role: 'inspector' as const, userId: 'a', signerName: '甲' }, { role: 'inspector' as const, userId: 'b', signerName: '乙' },
  { role: 'institution_representative' as const, signerName: '院长' },
];
const fail = { result: 'fail' as const, note: '堵塞', location: '1层', scope: 'single' as const, severity: 'general' as const };

describe('submission rules', () => {
  it('a photo listed twice counts once', () => {
    const issues = submissionIssues(ctx({ p1: 'ESC-001' }), [{ itemCode: 'ESC-001', ...fail, evidenceIds: ['p1', 'p1'] }, { itemCode: 'ESC-002', result: 'pass' }], signatures);
    expect(issues).toEqual([{ field: 'responses.ESC-001.photos', reason: 'photoRequired', args: ['ESC-001', 2, 1] }]);
  });

  it('lists every missing thing at once: unanswered items, a photo of another item, one inspector signature', () => {
    const issues = submissionIssues(ctx({ p2: 'ESC-002' }), [{ itemCode: 'ESC-001', ...fail, evidenceIds: ['p2'] }], signatures.slice(1));
    expect(issues.map((i) => `${i.field}:${i.reason}`)).toEqual([
      'responses.ESC-001.evidenceIds:evidenceNotFound', 'responses.ESC-001.photos:photoRequired', 'responses.ESC-002:unanswered',
      'signatures.inspector:inspectorSignaturesRequired',
    ]);
  });

  it('a major finding must rest on a retrieved criterion', () => {
    const issues = submissionIssues(ctx({ p1: 'ESC-002' }), [{ itemCode: 'ESC-001', result: 'pass' }, { itemCode: 'ESC-002', ...fail, severity: 'major', majorCriterion: 'MZ2023-6.X', evidenceIds: ['p1'] }], signatures);
    expect(issues).toEqual([{ field: 'responses.ESC-002.majorCriterion', reason: 'majorCriterionRequired', args: ['ESC-002'] }]);
  });

  it('the requirements the form is sent are the ones the submit checks', () => {
    const optional = { ...item('ESC-003'), evidence: { photoRequiredWhenFailed: false } } as ChecklistItem;
    const req = submissionRequirements({ ...ctx({}), applicable: [item('ESC-001', 2), item('ESC-002'), optional] });
    expect(req).toEqual({
      items: {
        'ESC-001': { whenFailed: ['note', 'location', 'scope', 'severity'], photosWhenFailed: 2, criterionWhenMajor: true, majorBy: 'criterion', reasonWhenSuspected: true },
        'ESC-002': { whenFailed: ['note', 'location', 'scope', 'severity'], photosWhenFailed: 1, criterionWhenMajor: true, majorBy: 'criterion', reasonWhenSuspected: true },
        'ESC-003': { whenFailed: ['note', 'location', 'scope', 'severity'], photosWhenFailed: 0, criterionWhenMajor: true, majorBy: 'criterion', reasonWhenSuspected: true },
      },
      majorCriteria: ['MZ2023-4.2'], inspectorSignatures: 2, institutionSignature: true,
    });
    const issues = submissionIssues(ctx({}), [{ itemCode: 'ESC-001', result: 'fail', note: ' ' }, { itemCode: 'ESC-002', result: 'pass' }], signatures);
    expect(issues.map((i) => i.reason)).toEqual(['findingNoteRequired', 'findingLocationRequired', 'findingScopeRequired', 'findingSeverityRequired', 'photoRequired']);
  });

  it('makes one hazard per failed item, due in Shanghai days; a major one has the policy plan date and is not listed yet', () => {
    const at = new Date('2026-11-23T17:00:00Z'); // 01:00 on 24 November in Shanghai
    const hazards = hazardsFrom([item('ESC-001'), item('ESC-002')], [
      { itemCode: 'ESC-001', ...fail }, { itemCode: 'ESC-002', ...fail, severity: 'major', majorCriterion: 'MZ2023-4.2' },
    ], at, terms);
    // 挂牌督办 comes later (after the objection window), never at submission.
    expect(hazards.map((h) => [h.itemCode, h.dueDate, h.listed, h.planDueDate])).toEqual([
      ['ESC-001', '2026-12-01', false, null], ['ESC-002', '2026-12-01', false, '2026-12-01'],
    ]);
  });

  it('the deadline follows the severity: escalation to major never loosens the item’s deadline, and shortens a long one to the major default', () => {
    const at = new Date('2026-11-24T02:00:00Z'); // Tuesday 24 November in Shanghai
    const immediate = { ...item('ESC-001'), deadlineDays: 0, escalatesTo: 'MZ2023-4.2' } as ChecklistItem;
    const [general] = hazardsFrom([immediate], [{ itemCode: 'ESC-001', ...fail }], at, terms);
    const [major] = hazardsFrom([immediate], [{ itemCode: 'ESC-001', ...fail, severity: 'major', majorCriterion: 'MZ2023-4.2' }], at, terms);
    expect([general.deadlineDays, general.dueDate, general.planDueDate]).toEqual([0, '2026-11-24', null]);
    // 立即整改 stays immediate when the finding is major
    expect([major.severity, major.majorCriterion, major.deadlineDays, major.dueDate, major.planDueDate])
      .toEqual(['major', 'MZ2023-4.2', 0, '2026-11-24', '2026-12-01']);
    // a general item with a long deadline gets the (shorter) major default when the finding is major
    const slow = { ...item('ESC-001'), deadlineDays: 60, escalatesTo: 'MZ2023-4.2' } as ChecklistItem;
    const [slowMajor] = hazardsFrom([slow], [{ itemCode: 'ESC-001', ...fail, severity: 'major', majorCriterion: 'MZ2023-4.2' }], at, terms);
    expect([slowMajor.deadlineDays, slowMajor.dueDate]).toEqual([15, '2026-12-09']);
    // never above the policy maximum, even for an item major by default with a longer deadline of its own
    const long = { ...item('ESC-002'), severity: 'major', majorCriterion: 'MZ2023-4.3', deadlineDays: 45 } as ChecklistItem;
    expect(hazardsFrom([long], [{ itemCode: 'ESC-002', ...fail, severity: 'major' }], at, terms)[0].deadlineDays).toBe(30);
  });

  it('a 疑似重大隐患 is a general hazard, with its reason and the working day by which the bureau decides', () => {
    const at = new Date('2026-11-27T02:00:00Z'); // Friday 27 November in Shanghai
    const placeholder = { ...item('ESC-001'), deadlineDays: 0, escalatesTo: 'MZ2023-6.X' } as ChecklistItem;
    const [h] = hazardsFrom([placeholder], [{ itemCode: 'ESC-001', ...fail, severity: undefined, suspectedMajor: true, suspectedReason: ' 唯一楼梯堵塞 ' }], at, terms);
    expect(h).toMatchObject({
      severity: 'general', majorCriterion: null, majorStatus: 'suspected', suspectedReason: '唯一楼梯堵塞', deadlineDays: 0, dueDate: '2026-11-27',
      planDueDate: null, listed: false, majorConfirmDue: '2026-12-02', // 3 working days: Mon 30, Tue 1, Wed 2
    });
    const [plain] = hazardsFrom([placeholder], [{ itemCode: 'ESC-001', ...fail }], at, terms);
    expect([plain.majorStatus, plain.suspectedReason, plain.majorConfirmDue]).toEqual([null, null, null]);
  });

  it('a suspected major finding needs a reason but no criterion and no grade; it cannot also be graded major', () => {
    const placeholder = { ...item('ESC-001'), escalatesTo: 'MZ2023-6.X' } as ChecklistItem;
    const c = { ...ctx({ p1: 'ESC-001' }), applicable: [placeholder, item('ESC-002')] };
    const base = { itemCode: 'ESC-001', result: 'fail' as const, note: '堵塞', location: '1层', scope: 'single' as const, evidenceIds: ['p1'] };
    const pass = { itemCode: 'ESC-002', result: 'pass' as const };
    expect(submissionIssues(c, [{ ...base, suspectedMajor: true, suspectedReason: '唯一楼梯完全堵塞' }, pass], signatures)).toEqual([]);
    expect(submissionIssues(c, [{ ...base, suspectedMajor: true, suspectedReason: ' ' }, pass], signatures))
      .toEqual([{ field: 'responses.ESC-001.suspectedReason', reason: 'suspectedReasonRequired', args: ['ESC-001'] }]);
    expect(submissionIssues(c, [{ ...base, suspectedMajor: true, suspectedReason: '理由', severity: 'major', majorCriterion: 'MZ2023-4.2' }, pass], signatures))
      .toEqual([{ field: 'responses.ESC-001.severity', reason: 'suspectedNotMajor', args: ['ESC-001'] }]);
    // Not suspected: the placeholder criterion is refused as before, and a finding without a grade is incomplete.
    expect(submissionIssues(c, [{ ...base, severity: 'major', majorCriterion: 'MZ2023-6.X' }, pass], signatures).map((i) => i.reason)).toEqual(['majorCriterionRequired']);
    expect(submissionIssues(c, [base, pass], signatures).map((i) => i.reason)).toEqual(['findingSeverityRequired']);
    // The form is told how to offer a major finding: only as suspected where the escalation criterion is a placeholder.
    const req = submissionRequirements({ ...c, applicable: [placeholder, { ...item('ESC-002'), escalatesTo: 'MZ2023-4.2' } as ChecklistItem, item('ESC-003')] });
    expect([req.items['ESC-001'].majorBy, req.items['ESC-002'].majorBy, req.items['ESC-003'].majorBy]).toEqual(['suspected', 'criterion', 'criterion']);
    expect(JSON.stringify(req)).not.toContain('MZ2023-6.X');
  });
});

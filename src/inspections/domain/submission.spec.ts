import type { ChecklistItem } from '../../checklists/domain';
import { hazardsFrom, submissionIssues, submissionRequirements } from './submission';

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
        'ESC-001': { whenFailed: ['note', 'location', 'scope', 'severity'], photosWhenFailed: 2, criterionWhenMajor: true },
        'ESC-002': { whenFailed: ['note', 'location', 'scope', 'severity'], photosWhenFailed: 1, criterionWhenMajor: true },
        'ESC-003': { whenFailed: ['note', 'location', 'scope', 'severity'], photosWhenFailed: 0, criterionWhenMajor: true },
      },
      majorCriteria: ['MZ2023-4.2'], inspectorSignatures: 2, institutionSignature: true,
    });
    const issues = submissionIssues(ctx({}), [{ itemCode: 'ESC-001', result: 'fail', note: ' ' }, { itemCode: 'ESC-002', result: 'pass' }], signatures);
    expect(issues.map((i) => i.reason)).toEqual(['findingNoteRequired', 'findingLocationRequired', 'findingScopeRequired', 'findingSeverityRequired', 'photoRequired']);
  });

  it('makes one hazard per failed item, due in Shanghai days; a major one is listed with a 7-day plan', () => {
    const at = new Date('2026-11-23T17:00:00Z'); // 01:00 on 24 November in Shanghai
    const hazards = hazardsFrom([item('ESC-001'), item('ESC-002')], [
      { itemCode: 'ESC-001', ...fail }, { itemCode: 'ESC-002', ...fail, severity: 'major', majorCriterion: 'MZ2023-4.2' },
    ], at);
    expect(hazards.map((h) => [h.itemCode, h.dueDate, h.listed, h.planDueDate])).toEqual([
      ['ESC-001', '2026-12-01', false, null], ['ESC-002', '2026-12-01', true, '2026-12-01'],
    ]);
  });
});

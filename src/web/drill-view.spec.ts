import { drillBody, trainingBody } from './drill-form';
import { drillFlagView, drillsPageView, trainingFieldLabel } from './drill-view';
import { incidentDetailView, incidentRowView, shanghaiInstant } from './incident-view';
import type { IncidentRow } from '../incidents/incidents.repository';
import type { AuthUser } from '../common/scope';

const user = (role: AuthUser['role']): AuthUser => ({ id: 'u', username: 'u', displayName: '用户', role, divisionCode: '320402', divisionPath: '/32/', institutionId: role === 'institution' ? 'i' : null });
const base = { institutionId: 'i', asOf: '2026-12-02', liveDrillMonths: 6 };

describe('drill flag view', () => {
  it('says what is due, in one sentence per state', () => {
    expect(drillFlagView({ ...base, state: 'missed', dueBy: '2026-11-30', lastLiveDrillOn: '2026-05-30', days: 2 })).toEqual({
      state: 'missed', label: '逾期未演练', tone: 'bad', text: '上次实战演练：2026年5月30日。应在 2026年11月30日 前完成实战演练，已逾期 2 天。请尽快组织实战演练（每 6 个月至少一次）。',
    });
    expect(drillFlagView({ ...base, state: 'due', dueBy: '2026-12-20', lastLiveDrillOn: null, days: 18 })).toMatchObject({ tone: 'warn', text: expect.stringContaining('尚无实战演练记录') });
    expect(drillFlagView({ ...base, state: 'not_started', dueBy: null, lastLiveDrillOn: null, days: null })).toMatchObject({ tone: 'ok', label: '未到首次演练期限' });
  });

  it('offers the forms to the institution only', () => {
    const input = {
      institution: { id: 'i', name: '甲院' }, residents: { selfCare: 1, mildlyDisabled: 2, moderatelyDisabled: 3, severelyDisabled: 4 },
      status: { ...base, state: 'ok' as const, dueBy: '2027-03-01', lastLiveDrillOn: '2026-09-01', days: 89 },
      drills: { items: [], total: 0, page: 1, pageSize: 20 }, trainees: { items: [], total: 0, page: 1, pageSize: 20 }, trainingMonths: 6, csrf: 'c', today: '2026-12-02',
    };
    expect(drillsPageView(user('institution'), input).mayRecord).toBe(true);
    expect(drillsPageView(user('bureau_officer'), input).mayRecord).toBe(false);
    expect(drillsPageView(user('inspector'), input).choices.levels.map((l) => l.residents)).toEqual([1, 2, 3, 4]);
  });
});

describe('drill and training forms', () => {
  it('reads blank counts as 0 and minutes + seconds as seconds', () => {
    expect(drillBody({ heldOn: '2026-12-01', kind: 'night_drill', form: 'live', participantsStaff: '9', lessons: 'x', 'evacuated.severelyDisabled': '8', evacuationMinutes: '6', evacuationSecondsPart: '30' }))
      .toMatchObject({ participantsStaff: 9, evacuated: { selfCare: 0, mildlyDisabled: 0, moderatelyDisabled: 0, severelyDisabled: 8 }, evacuationSeconds: 390 });
    expect(drillBody({ evacuationMinutes: '', evacuationSecondsPart: '' }).evacuationSeconds).toBeUndefined();
    expect(drillBody({ evacuationMinutes: 'abc' }).evacuationSeconds).toBe('x');
    expect(drillBody({ participantsStaff: '九' }).participantsStaff).toBe('九');
  });

  it('reads one trainee a line: name, optional ID ending, optional role', () => {
    const { dto, lineErrors } = trainingBody({ heldOn: '2026-12-01', topic: 'fire_safety', hours: '2', trainees: '王芳，123x，护理员\n李强、保安\n\n赵六' });
    expect(lineErrors).toEqual([]);
    expect(dto.trainees).toEqual([{ name: '王芳', idLast4: '123X', role: '护理员' }, { name: '李强', idLast4: undefined, role: '保安' }, { name: '赵六', idLast4: undefined, role: undefined }]);
    expect(trainingBody({ trainees: '王芳,1234,护理员,夜班' }).lineErrors).toEqual(['参训人员：第 1 行格式应为“姓名，身份证后四位（可选），岗位（可选）”']);
    expect(trainingFieldLabel('trainees.2.idLast4')).toBe('参训人员第 3 行 身份证后四位');
  });
});

describe('incident views', () => {
  const row: IncidentRow = {
    id: 'x', institutionId: 'i', institutionName: '甲院', divisionPath: '/32/', type: 'public_health', grade: 'larger',
    occurredAt: new Date('2026-12-02T02:00:00Z'), reportedAt: new Date('2026-12-02T05:30:00Z'), reportHours: 2, reportDeadlineAt: new Date('2026-12-02T04:00:00Z'),
    late: true, summary: 's', residentsAffected: 6, firstMeasures: 'f', reportedByName: '机构', status: 'reported', acknowledgedByName: null, acknowledgedAt: null,
    acknowledgementNote: null, followUpInspectionId: null, safetyWorkPolicyVersionId: 'p', version: 1,
  };

  it('labels grade and lateness', () => {
    expect(incidentRowView(row)).toMatchObject({ gradeLabel: '较大', typeLabel: '公共卫生事件', serious: true, late: true, lateText: '迟报 1 小时 30 分', statusLabel: '待确认', open: true });
  });

  it('offers acknowledge to the bureau, the grade decision for 较大 or worse, and nothing to the institution', () => {
    const bureau = incidentDetailView(user('bureau_officer'), row, { candidates: [], grade: { assessmentId: 'g', gradeLabel: '三级' }, csrf: 'c' });
    expect(bureau.may).toEqual({ acknowledge: true, followUp: false });
    expect(bureau.gradeDecision).toMatchObject({ offered: true, href: '/grades/g#decision' });
    const none = incidentDetailView(user('bureau_officer'), row, { candidates: [], grade: { assessmentId: null, gradeLabel: '未评级' }, csrf: 'c' });
    expect(none.gradeDecision).toMatchObject({ offered: false, href: null });
    const general = incidentDetailView(user('bureau_officer'), { ...row, grade: 'general' }, { candidates: [], grade: null, csrf: 'c' });
    expect(general.gradeDecision).toBeNull();
    const own = incidentDetailView(user('institution'), row, { candidates: [], grade: null, csrf: 'c' });
    expect(own.may).toEqual({ acknowledge: false, followUp: false });
    expect(own.gradeDecision).toBeNull();
    expect(own.back.href).toBe('/institutions/i/incidents');
  });

  it('reads a datetime-local value as Shanghai time', () => {
    expect(shanghaiInstant('2026-12-02T10:05')).toBe('2026-12-02T10:05:00+08:00');
    expect(shanghaiInstant('bad')).toBe('bad');
  });
});

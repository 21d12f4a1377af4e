import type { Hazard } from '../hazards/hazard.entity';
import type { Institution } from '../institutions/institution.entity';
import type { NoticeRow } from '../rectification/rectification.repository';
import { planView } from './hazard-view';
import { countdown, gradeSummary, historyPager, openHazardRows, scoreSummary, subsidyRows, workspaceHomeView } from './workspace-view';
import type { ApprovedSubsidyLine } from './workspace.repository';

const TODAY = '2026-12-02';
const hazard = (over: Partial<Hazard>): Hazard => ({
  id: 'h', itemCode: 'ESC-001', titleZh: '疏散通道堵塞', severity: 'general', status: 'open', dueDate: '2026-12-10', listed: false, planDueDate: null,
  ...over,
}) as Hazard;

describe('the institution workspace view models', () => {
  it('countdown: overdue, due today, days left; nothing once the bureau has the next move', () => {
    expect(countdown(hazard({ dueDate: '2026-11-25' }), TODAY)).toEqual({ text: '已逾期 7 天', warn: true });
    expect(countdown(hazard({ dueDate: TODAY }), TODAY)).toEqual({ text: '今日到期', warn: true });
    expect(countdown(hazard({ dueDate: '2026-12-04', status: 'returned' }), TODAY)).toEqual({ text: '剩 2 天', warn: true });
    expect(countdown(hazard({ dueDate: '2026-12-30' }), TODAY)).toEqual({ text: '剩 28 天', warn: false });
    expect(countdown(hazard({ status: 'responded' }), TODAY)).toBeNull();
  });

  it('open hazards: overdue first, then the nearest deadline, those awaiting verification last; closed ones left out', () => {
    const rows = openHazardRows([
      hazard({ id: 'later', dueDate: '2026-12-30' }),
      hazard({ id: 'waiting', status: 'responded', dueDate: '2026-11-01' }),
      hazard({ id: 'soon', dueDate: '2026-12-03', severity: 'major', planDueDate: '2026-12-05', listed: true }),
      hazard({ id: 'closed', status: 'closed', dueDate: '2026-11-01' }),
      hazard({ id: 'late', dueDate: '2026-11-30' }),
    ], TODAY);
    expect(rows.map((r) => r.href)).toEqual(['/hazards/late', '/hazards/soon', '/hazards/later', '/hazards/waiting']);
    expect(rows[1]).toMatchObject({ major: true, severityLabel: '重大隐患（挂牌督办）', planDue: '2026年12月5日', countdown: { text: '剩 1 天', warn: true } });
    expect(rows[3]).toMatchObject({ waitingForBureau: true, countdown: null });
  });

  it('score: the deductions with their explanation and hazard link; zero lines as notes; points lost', () => {
    const s = scoreSummary({
      score: 60, asOf: TODAY, capApplied: true, computedAt: '2026-12-02T01:00:00Z', ruleSetCode: 'safety-score', ruleSetVersionNo: 1,
      contributions: [
        { kind: 'note', points: 0, explanation: '计入的检查：2026-12-02' },
        { kind: 'hazard', points: -2, explanation: 'ESC-001 一般隐患 2 × 单处 1 = −2', hazardId: 'h1' },
        { kind: 'cap', points: -28, explanation: '存在未关闭的重大隐患，上限 60' },
        { kind: 'hazard', points: -10.5, explanation: 'FFE-007 重大隐患', hazardId: 'h2' },
      ],
    })!;
    expect(s.value).toBe('60.0');
    expect(s.lost).toBe('40.5');
    expect(s.deductions.map((d) => [d.points, d.href])).toEqual([['−2', '/hazards/h1'], ['−28', null], ['−10.5', '/hazards/h2']]);
    expect(s.notes.map((n) => n.explanation)).toEqual(['计入的检查：2026-12-02']);
    expect(scoreSummary(null)).toBeNull();
  });

  it('grade: the validity, expiring within 90 days, and the ungraded case', () => {
    expect(gradeSummary({ grade: 3, gradeLabel: '三级', assessmentId: 'a', validFrom: '2024-01-01', validUntil: '2027-01-31' }, TODAY))
      .toEqual({ label: '三级', graded: true, validity: '2024年1月1日 至 2027年1月31日', expiringSoon: true });
    expect(gradeSummary({ grade: null, gradeLabel: '未评级', assessmentId: null, validFrom: null, validUntil: null }, TODAY))
      .toEqual({ label: '未评级', graded: false, validity: null, expiringSoon: false });
  });

  it('subsidy lines: period, amount in yuan, the arithmetic', () => {
    const line: ApprovedSubsidyLine = {
      scheduleId: 's', periodStart: '2026-10-01', periodEnd: '2026-10-31', versionNo: 1, approvedAt: new Date('2026-11-03T02:00:00Z'),
      amount: 12345.6, eligible: true, paidDays: 31, suspended: false, lines: [{ label: '床位', formula: '38 床 × 200 元', amount: 7600, amountFen: 760000 }],
    };
    expect(subsidyRows([line])).toEqual([{
      period: '2026年10月1日 至 2026年10月31日', amount: '¥12,345.60', eligible: true, paidDays: '31 天', approvedAt: '2026年11月3日', suspended: false,
      lines: [{ label: '床位', formula: '38 床 × 200 元', amount: '¥7,600.00' }],
    }]);
  });

  it('home: notices still to 签收 with their form targets; the acknowledged counted', () => {
    const notice = (id: string, acknowledgedAt: Date | null) => ({ id, noticeNo: `常天民安整〔2026〕第000${id}号`, issuedAt: new Date('2026-12-01T02:00:00Z'), acknowledgedAt }) as NoticeRow;
    const v = workspaceHomeView({
      institution: { id: 'i1', name: '红梅颐养院', kind: 'nursing_home', status: 'operating' } as unknown as Institution,
      hazards: [], notices: [notice('1', null), notice('2', new Date())], score: null,
      grade: { grade: null, gradeLabel: '未评级', assessmentId: null, validFrom: null, validUntil: null }, subsidies: [], latestRequest: null, mayFileRequest: true,
    }, TODAY, 'tok');
    expect(v.notices).toEqual([{ href: '/notices/1', noticeNo: '常天民安整〔2026〕第0001号', issuedAt: '2026年12月1日 10:00', acknowledgeAction: '/notices/1/acknowledge' }]);
    expect(v.acknowledgedCount).toBe(1);
    expect(v.fileRequestHref).toBe('/institutions/i1/change-requests');
    expect(v.csrf).toBe('tok');
  });

  it('history pager: each list pages on its own and keeps the other list’s page', () => {
    const p = historyPager({ items: [], total: 25, page: 2, pageSize: 10 }, 'hp', { key: 'ip', page: 3 }, 'h-hazards');
    expect(p).toEqual({ summary: '共 25 条，第 2 / 3 页', prev: '/workspace/history?hp=1&ip=3#h-hazards', next: '/workspace/history?hp=3&ip=3#h-hazards' });
  });

  it('五到位 plan: the form for the institution with each field’s error; read-only once filed; none for a general hazard', () => {
    const major = { id: 'h', severity: 'major' as const, planDueDate: '2026-12-01', dueDate: '2027-03-02' };
    const refused = planView(major, null, { mayFile: true, today: TODAY, draft: { measures: '拆除堵塞物' }, errors: ['完成时限：不能为空', '整改资金：不能为空'] })!;
    expect(refused.late).toBe(true);
    const fields = Object.fromEntries(refused.form!.fields.map((f) => [f.name, f]));
    expect(fields.deadline.error).toBe('不能为空');
    expect(fields.funds.error).toBe('不能为空');
    expect(fields.measures).toMatchObject({ value: '拆除堵塞物', error: null, label: '整改措施' });
    expect(refused.form!.fields.map((f) => f.label)).toEqual(['整改措施', '整改资金', '完成时限', '责任人', '应急预案', '临时管控措施']);

    const filed = planView(major, {
      measures: 'm', funds: 'f', deadline: '2026-12-20', responsiblePerson: 'r', emergencyPlan: 'e', interimMeasures: 'i', submittedAt: '2026-12-02T01:00:00Z',
    }, { mayFile: true, today: TODAY })!;
    expect(filed.form).toBeNull();
    expect(filed.late).toBe(false);
    expect(filed.filed!.fields.find((f) => f.label === '完成时限')!.value).toBe('2026-12-20');
    expect(planView(major, null, { mayFile: false, today: TODAY })!.form).toBeNull();
    expect(planView({ ...major, severity: 'general' }, null, { mayFile: true, today: TODAY })).toBeNull();
  });
});

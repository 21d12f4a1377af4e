import type { AuthUser } from '../common/scope';
import { previousMonth, scheduleView, signedYuan, StoredLine, StoredSchedule, workingOf, yuan } from './subsidy-view';

const officer = { id: 'u1', role: 'bureau_officer' } as unknown as AuthUser;
const admin = { id: 'u2', role: 'bureau_admin' } as unknown as AuthUser;

const line = (over: Partial<StoredLine> = {}): StoredLine => ({
  institutionId: 'i1', institutionName: '甲颐养院', amount: 2550, grade: null, safetyScore: null, safetyScoreAsOf: null, occupiedBeds: 30, suspended: false,
  eligible: true, paidDays: 15, operatingDays: 15, period: { start: '2026-11-01', end: '2026-11-30', days: 30, months: '1 个月' },
  coefficients: { grade: 1, safety: 0.85, proRata: 0.5 }, safety: { score: null, asOf: null, cutoff: '2026-11-30' },
  segments: [
    { start: '2026-11-01', end: '2026-11-15', days: 15, notOperating: 'not_open', hazardSuspended: false, grade: null, occupiedBeds: 30, amountFen: 0 },
    { start: '2026-11-16', end: '2026-11-30', days: 15, notOperating: null, hazardSuspended: false, grade: null, occupiedBeds: 30, amountFen: 300000 },
  ],
  lines: [{ label: '未运营（开业前）', formula: '2026-11-01 至 2026-11-15，15 天不计补贴', amount: 0 }, { label: '床位运营补贴（实际入住床位）', formula: '30 床 × 200 元 × 15/30 个月', amount: 3000 },
    { label: '安全系数（截至 2026-11-30 尚无安全分）0.85', formula: '3,000.00 元 × (0.85 − 1)', amount: -450 }],
  divisionCode: '320402004', divisionName: '红梅街道', kind: 'nursing_home', ...over,
});

const schedule = (over: Partial<StoredSchedule> = {}): StoredSchedule => ({
  id: 's1', divisionCode: '320402', divisionName: '天宁区', divisionPath: '/320400/320402/', periodStart: '2026-11-01', periodEnd: '2026-11-30', versionNo: 1,
  status: 'draft', lines: [line(), line({ institutionId: 'i2', institutionName: '乙护理院', amount: 5100, kind: 'nursing_care', divisionName: '红梅街道' })],
  total: 7650, createdAt: '2026-12-01T02:00:00Z', approvedAt: null, approvedByName: null, policyCode: 'subsidy-320400-2026', policyVersionNo: 1, policyHash: 'abcdef0123456789', ...over,
});
const places = (s: StoredSchedule) => new Map(s.lines.map((l) => [l.institutionId, { divisionCode: l.divisionCode!, divisionName: l.divisionName!, kind: l.kind!, recorded: true }]));

describe('subsidy view model', () => {
  it('formats yuan fen-exact with separators and signs', () => {
    expect([yuan(1234567.5), yuan(-1132.26), yuan(0), signedYuan(2550), signedYuan(-0.1)]).toEqual(['1,234,567.50', '−1,132.26', '0.00', '+2,550.00', '−0.10']);
  });

  it('proposes the previous calendar month, across a year end', () => {
    expect(previousMonth('2026-12-01')).toEqual({ start: '2026-11-01', end: '2026-11-30' });
    expect(previousMonth('2027-01-15')).toEqual({ start: '2026-12-01', end: '2026-12-31' });
  });

  it('a draft: an officer may recompute, only the admin approves, the confirmation only on request', () => {
    const s = schedule();
    expect(scheduleView(officer, s, places(s), { csrf: 'x', confirming: true }).actions).toEqual({ recompute: true, approve: false, approveHint: expect.stringContaining('管理员') });
    expect(scheduleView(officer, s, places(s), { csrf: 'x', confirming: true }).confirming).toBeNull();
    const v = scheduleView(admin, s, places(s), { csrf: 'x', confirming: true });
    expect(v.actions).toMatchObject({ recompute: true, approve: true, approveHint: null });
    expect(v.confirming).toEqual({ total: '7,650.00', institutions: 2, ineligible: 0, token: '7650.00@original' });
    expect(v.banner).toBeNull();
  });

  it('approved: frozen, a banner, no controls for anyone', () => {
    const s = schedule({ status: 'approved', approvedAt: '2026-12-01T03:00:00Z', approvedByName: '王局' });
    const v = scheduleView(admin, s, places(s), { csrf: 'x', confirming: true });
    expect(v.frozen).toBe(true);
    expect(v.banner).toContain('王局 批准');
    expect(v.actions).toEqual({ recompute: false, approve: false, approveHint: null });
    expect(v.confirming).toBeNull();
  });

  it('totals by street and by kind add up to the schedule', () => {
    const s = schedule();
    const v = scheduleView(officer, s, places(s), { csrf: 'x' });
    expect(v.byStreet).toEqual([{ label: '红梅街道', count: 2, amount: '7,650.00' }]);
    expect(v.byKind.map((k) => [k.label, k.amount])).toEqual([['护理院（医养结合）', '5,100.00'], ['养老院', '2,550.00']].sort((a, b) => a[0].localeCompare(b[0], 'zh-CN')));
    expect(v.lines[0]).toMatchObject({ street: '红梅街道', kind: '养老院', days: '15/30', rate: '等级 ×1，安全 ×0.85', amount: '2,550.00' });
  });

  it('the working names the rule version, the days, each segment and the safety score used; a bedless segment gets no uplift', () => {
    const w = workingOf(line(), schedule());
    expect(w.facts).toEqual([
      '依据补贴政策 subsidy-320400-2026 第 1 版（内容指纹 abcdef012345）', '期间 2026-11-01 至 2026-11-30，共 30 天（1 个月）',
      '运营 15 天，计补 15 天（计补比例 15/30）', '安全系数：截至期末 2026-11-30 尚无已存储的安全分，按“未评分”系数 0.85',
    ]);
    expect(w.segments).toEqual(['2026-11-01 至 2026-11-15（15 天）：未运营（开业前），不计补贴', '2026-11-16 至 2026-11-30（15 天）：运营，在住 30 床，等级 未评级，本段 3,000.00 元']);
    const bedless = workingOf(line({ segments: [{ start: '2026-11-01', end: '2026-11-30', days: 30, notOperating: null, hazardSuspended: false, grade: null, occupiedBeds: 0, amountFen: 0 }] }), schedule());
    expect(bedless.segments[0]).toContain('在住床位为 0，不计护理等级加补');
    expect(bedless.notes[0]).toContain('不作为住养老人计发');
    const scored = workingOf(line({ safety: { score: 92, asOf: '2026-11-20', cutoff: '2026-11-30' }, coefficients: { grade: 1, safety: 1, proRata: 1 } }), schedule());
    expect(scored.facts[3]).toBe('安全系数：取截至期末 2026-11-30 最近一次安全分（2026-11-20 计算，92 分），系数 1');
  });

  it('the working says the credit standing applied, where the schedule applied one', () => {
    const reduced = workingOf(line({ credit: { levelLabelZh: 'D 级（重点关注）', points: 52, dishonest: false, eligible: true, reductionPercent: 30, rulesLabel: 'credit-rules 第 1 版' } }), schedule());
    expect(reduced.facts.at(-1)).toBe('信用：期末 D 级（重点关注），信用分 52，按信用评价规则 credit-rules 第 1 版减发 30%');
    const dishonest = workingOf(line({ credit: { levelLabelZh: 'B 级（基本守信）', points: 80, dishonest: true, eligible: false, reductionPercent: 100, rulesLabel: 'credit-rules 第 1 版' } }), schedule());
    expect(dishonest.facts.at(-1)).toBe('信用：期末 失信认定生效中（信用分 80，B 级（基本守信）），按信用评价规则 credit-rules 第 1 版不予补贴');
    expect(scheduleView(officer, { ...schedule(), creditRulesCode: 'credit-rules', creditRulesVersionNo: 1 }, places(schedule()), { csrf: 'x' }).facts).toContainEqual({ term: '信用评价规则', value: 'credit-rules 第 1 版（按期末信用等级与失信认定）' });
  });
});

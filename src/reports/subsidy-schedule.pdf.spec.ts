import { pdfPages, savePdf, squash } from '../../test/support/pdf';
import { formatYuan, renderSubsidySchedule, rmbUppercase, SubsidySchedulePdfData } from './subsidy-schedule.pdf';

// ---- data ------------------------------------------------------------------------------------

const GRADES = ['五级（★★★★★）', '四级', '三级', '二级', '一级', '未评定'];
const COEFFICIENTS = [1.5, 1.3, 1.2, 1.1, 1.0, 1.0];
const STREETS = ['红梅街道', '茶山街道', '兰陵街道', '雕庄街道', '青龙街道', '天宁街道', '郑陆镇'];

type Row = SubsidySchedulePdfData['rows'][number];

/** An institution with a bed subsidy, a grade bonus and, for low safety scores, a deduction. */
function institution(i: number): Row {
  const no = i + 1;
  const beds = 20 + ((i * 37) % 180);
  const grade = i % GRADES.length;
  const safetyScore = i % 9 === 4 ? null : 55 + ((i * 13) % 45) + (i % 2) * 0.5;
  const suspended = i === 7;
  const base = beds * 200;
  const bonus = Math.round(base * (COEFFICIENTS[grade] - 1) * 100) / 100;
  const lines: Row['lines'] = [
    { label: '床位运营补贴', formula: `入住床位 ${beds} 张 × 200.00 元/张·月 × 1 个月 = ${formatYuan(base)}`, amount: base },
  ];
  if (bonus > 0) {
    lines.push({
      label: '等级评定奖补',
      formula: `${formatYuan(base)} × （等级系数 ${COEFFICIENTS[grade].toFixed(1)} − 1）= ${formatYuan(bonus)}`,
      amount: bonus,
    });
  }
  let amount = base + bonus;
  if (safetyScore !== null && safetyScore < 60) {
    const deduction = -Math.round(amount * 0.2 * 100) / 100;
    lines.push({ label: '安全得分扣减', formula: `安全得分 ${safetyScore.toFixed(1)} < 60，按 20% 扣减：${formatYuan(amount)} × 20%`, amount: deduction });
    amount += deduction;
  }
  return {
    no,
    institutionName: `常州市天宁区${STREETS[i % STREETS.length]}第${no}号颐养院`,
    gradeLabel: GRADES[grade],
    safetyScore,
    occupiedBeds: beds,
    amount: suspended ? 0 : Math.round(amount * 100) / 100,
    suspended,
    lines,
  };
}

function scheduleData(overrides: Partial<SubsidySchedulePdfData> = {}, count = 30): SubsidySchedulePdfData {
  const rows = Array.from({ length: count }, (_, i) => institution(i));
  return {
    title: '天宁区养老机构运营补贴发放表（2026年11月）',
    bureauName: '常州市天宁区民政局',
    scheduleNo: 'SUB-320402-2026-11-v2',
    status: 'approved',
    approvedAt: new Date('2026-11-25T02:30:00Z'),
    approvedBy: '王建国',
    period: { start: '2026-11-01', end: '2026-11-30' },
    policy: { code: 'TNMZ-YLBT-2026', versionNo: 3, contentHash: 'sha256:9f2c41d7ab03e58816cc0f4e2b6a7d19c0de4b1a7e5f30d2b8a9c6e1f4d7a2b3' },
    rows,
    total: rows.reduce((sum, r) => sum + Math.round(r.amount * 100), 0) / 100,
    generatedAt: new Date('2026-11-25T02:35:00Z'),
    ...overrides,
  };
}

// ---- helpers ---------------------------------------------------------------------------------

/** Kept after the run so the samples can be looked at (`pdftoppm -png`). */


// ---- specs -----------------------------------------------------------------------------------

describe('formatYuan / rmbUppercase', () => {
  it('formats amounts with thousands separators and two decimals', () => {
    expect(formatYuan(1234567.8)).toBe('1,234,567.80');
    expect(formatYuan(0.005)).toBe('0.01');
    expect(formatYuan(-0.001)).toBe('0.00');
    expect(formatYuan(-1200)).toBe('-1,200.00');
  });

  it('writes amounts in 大写 as on payment documents', () => {
    expect(rmbUppercase(123456.7)).toBe('壹拾贰万叁仟肆佰伍拾陆元柒角整');
    expect(rmbUppercase(1000.05)).toBe('壹仟元零伍分');
    expect(rmbUppercase(1010)).toBe('壹仟零壹拾元整');
    expect(rmbUppercase(10005)).toBe('壹万零伍元整');
    expect(rmbUppercase(100000)).toBe('壹拾万元整');
    expect(rmbUppercase(100010000)).toBe('壹亿零壹万元整');
    expect(rmbUppercase(3056000.46)).toBe('叁佰零伍万陆仟元肆角陆分');
    expect(rmbUppercase(0.5)).toBe('伍角整');
    expect(rmbUppercase(0.05)).toBe('伍分');
    expect(rmbUppercase(0)).toBe('零元整');
  });
});

describe('renderSubsidySchedule', () => {
  const data = scheduleData();
  let file: string;
  let text: string[];

  beforeAll(async () => {
    file = savePdf('subsidy-schedule.pdf', await renderSubsidySchedule(data));
    text = pdfPages(file);
  });

  it('lists every institution and the formatted total', () => {
    const all = squash(text.join(''));
    for (const row of data.rows) expect(all).toContain(row.institutionName);
    expect(data.total).toBeGreaterThan(1000);
    expect(all).toContain(squash(`合计（30 家）`));
    // The 合计 row: beds total and the total with separators, right-aligned at the end of the line.
    const beds = data.rows.reduce((s, r) => s + r.occupiedBeds, 0);
    expect(text.join('')).toMatch(new RegExp(`合计（30 家）\\s+${beds}\\s+${formatYuan(data.total).replace(/\./g, '\\.')}\\s*\\n`));
    expect(all).toContain(squash(`人民币${rmbUppercase(data.total)}`));
  });

  it('repeats the summary header on page 2', () => {
    expect(text.length).toBeGreaterThanOrEqual(3);
    expect(text[0]).toMatch(/序号\s+机构\s+等级\s+安全得分\s+入住床位\s+补贴金额（元）/);
    expect(text[1]).toMatch(/序号\s+机构\s+等级\s+安全得分\s+入住床位\s+补贴金额（元）/);
    text.forEach((page, i) => expect(page).toContain(`第 ${i + 1} 页 / 共 ${text.length} 页`));
  });

  it('explains every amount in 计算明细', () => {
    const all = text.join('');
    expect(all).toContain('计算明细');
    expect(squash(all)).toContain(squash(data.rows[0].lines[0].formula));
    expect(all).toMatch(/序号\s+机构\s+项目\s+计算公式\s+金额（元）/);
    // Each formula printed, and the suspended institution explained.
    for (const row of data.rows) for (const line of row.lines) expect(squash(all)).toContain(squash(line.formula));
    expect(all).toContain('本期暂停发放');
    expect(all).toMatch(/小计\s+[\d,]+\.\d\d/);
  });

  it('shows status, approval, policy version and hash', () => {
    const first = squash(text[0]);
    expect(first).toContain('已审批（审批人：王建国，审批时间：2026年11月25日10:30）');
    expect(first).toContain('TNMZ-YLBT-2026（第3版）');
    expect(first).toContain(squash(data.policy.contentHash));
    expect(first).toContain('SUB-320402-2026-11-v2');
    expect(first).not.toContain('草稿');
  });

  it('marks a draft as 草稿 on every page', async () => {
    const draft = savePdf('subsidy-schedule-draft.pdf', await renderSubsidySchedule(scheduleData({ status: 'draft', approvedAt: null, approvedBy: null }, 8)));
    const draftPages = pdfPages(draft);
    expect(squash(draftPages[0])).toContain('草稿（未经审批，不得作为发放依据）');
    for (const page of draftPages) expect(page).toContain('SUB-320402-2026-11-v2（草稿）');
    // The watermark is drawn as outlines: it does not leak into the extracted text.
    expect(draftPages.join('').match(/草稿/g)?.length).toBe(1 + draftPages.length);
    expect(draftPages[0]).not.toMatch(/^\s*(草|稿)\s*$/m);
  });

  it('refuses figures that do not add up', async () => {
    const bad = scheduleData({}, 3);
    await expect(renderSubsidySchedule({ ...bad, total: bad.total + 0.01 })).rejects.toThrow(/金额不符/);
    const rows = bad.rows.map((r, i) => (i === 1 ? { ...r, amount: r.amount + 1 } : r));
    await expect(renderSubsidySchedule({ ...bad, rows, total: bad.total + 1 })).rejects.toThrow(/明细合计/);
  });

  it('renders 30 institutions well within interactive time', async () => {
    await renderSubsidySchedule(data);
    const started = performance.now();
    await renderSubsidySchedule(data);
    const ms = performance.now() - started;
    console.log(`subsidy schedule, 30 institutions, warm render: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(2000);
  });
});

describe('renderSubsidySchedule — day-weighted lines (issue 12)', () => {
  it('prints every segment line (dates, days, 0 lines of days not paid) and an ineligible institution', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { readFileSync } = require('fs') as typeof import('fs');
    const { parseRuleFile } = await import('../checklists/domain/rule-file.loader');
    const { subsidyContent } = await import('../checklists/domain/rule-content');
    const { computeSubsidy } = await import('../scoring/domain/subsidy');
    const policy = subsidyContent(parseRuleFile('p.yaml', readFileSync(`${__dirname}/../../checklists/subsidy-policy-changzhou-2026.yaml`, 'utf8')));
    const base: Omit<import('../scoring/domain/subsidy').SubsidyFacts, 'id' | 'name' | 'capacity'> = {
      ownership: 'private', profitStatus: null, kind: 'nursing_home', openedOn: '2020-01-01', interruptions: [], grades: [],
      safety: { score: null, asOf: null }, majorHazards: [],
    };
    const capacity = (beds: number, from = '2020-01-01') => ({ effectiveFrom: from, occupiedBeds: beds, residentsSelfCare: beds, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0 });
    const period = { start: '2026-04-01', end: '2026-04-30' };
    const results = [
      computeSubsidy({ ...base, id: 'a', name: '甲', openedOn: '2026-04-16', capacity: [capacity(38, '2026-04-16')] }, period, policy),
      computeSubsidy({ ...base, id: 'b', name: '乙', capacity: [capacity(38), capacity(45, '2026-04-16')], grades: [{ grade: 4, from: '2026-04-10', to: '2026-12-31' }], majorHazards: [{ from: '2026-04-25', to: null }] }, period, policy),
      computeSubsidy({ ...base, id: 'c', name: '丙', capacity: [capacity(40)] }, period, { ...policy, eligibility: { ...policy.eligibility!, profitStatus: ['non_profit'] } }),
    ];
    const rows = results.map((r, i) => ({ no: i + 1, institutionName: ['甲颐养院', '乙颐养院', '丙颐养院'][i], gradeLabel: '未评级', safetyScore: null, occupiedBeds: 40, amount: r.amount, suspended: false, lines: r.lines }));
    const data = scheduleData({ rows, total: results.reduce((s, r) => s + r.amountFen, 0) / 100, period });
    const text = pdfPages(savePdf('subsidy-schedule-segments.pdf', await renderSubsidySchedule(data))).join('');
    // a formula fits its column; a label may wrap inside its cell, so only its start is looked for
    for (const r of results) for (const line of r.lines) {
      expect(squash(text)).toContain(squash(line.formula));
      expect(squash(text)).toContain(squash(line.label).slice(0, 6));
    }
    expect(squash(text)).toContain(squash('38 床 × 200 元 × 15/30 个月（2026-04-16 至 2026-04-30，15 天）'));
    expect(squash(text)).toContain(squash('2026-04-25 至 2026-04-30，6 天不计补贴'));
    expect(squash(text)).toContain(squash('不符合本政策补贴条件'));
    expect(squash(text)).toContain(squash('期末（2026-04-30）在册值'));
  });
});

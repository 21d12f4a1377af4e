import { ageingChart, Dashboard, dashboardView, jsonForScript, ledgerHref, overdueByStreetChart, planProgressChart, repeatsChart, trendChart } from './dashboard-view';

function data(over: Partial<Dashboard> = {}): Dashboard {
  return {
    divisionCode: '320402', from: '2025-12-01', to: '2026-12-01', today: '2026-12-01',
    totals: { institutions: 2, openHazards: 3, overdue: 2, listed: 0 },
    grades: [{ label: '未评级', n: 1 }, { label: '三级', n: 1 }],
    bands: [{ band: '75–89.9', n: 2 }],
    hazards: [{ severity: 'general', category: 'ESC', n: 2 }, { severity: 'major', category: 'ESC', n: 1 }],
    ageing: [{ bucket: '1–7 天', n: 1 }, { bucket: '31–90 天', n: 1 }],
    topItems: [], listed: [], inspections: { planned: 2, done: 1 },
    trend: [{ month: '2026-11', opened: 2, closed: 0 }, { month: '2026-12', opened: 1, closed: 1 }],
    overdueByStreet: [{ code: '320402004', name: '红梅街道', n: 2 }, { code: null, name: null, n: 1 }],
    repeats: [{ category: 'ESC', repeats: 2, pairs: 1, hazards: 3 }],
    plans: [{ id: 'p1', name: '双随机', status: 'published', scheduledTo: null, assigned: 1, started: 0, submitted: 1, overdue: 1 }],
    categoryNames: { ESC: '疏散通道与安全出口' },
    ...over,
  } as Dashboard;
}

describe('dashboard view model', () => {
  it('links bars to the ledger with the contract’s parameters', () => {
    expect(ledgerHref({ divisionCode: '320402004', overdue: 'true', q: undefined })).toBe('/hazards?divisionCode=320402004&overdue=true');
    const trend = trendChart(data());
    expect(trend.series[0].hrefs).toEqual([
      '/hazards?divisionCode=320402&foundFrom=2026-11-01&foundTo=2026-11-30', '/hazards?divisionCode=320402&foundFrom=2026-12-01&foundTo=2026-12-31',
    ]);
    expect(trend.series[1].hrefs).toEqual([null, null]); // the ledger has no closed-date filter
    expect(trend.categories).toEqual(['2026年11月', '2026年12月']);
    expect(trend.axisLabels).toEqual(['2026年11月', '12月']);
  });

  it('turns overdue age buckets into due-date ranges', () => {
    const hrefs = ageingChart(data()).series[0].hrefs;
    expect(hrefs[0]).toBe('/hazards?divisionCode=320402&overdue=true&dueFrom=2026-11-24&dueTo=2026-11-30');
    expect(hrefs[2]).toBe('/hazards?divisionCode=320402&overdue=true&dueFrom=2026-09-02&dueTo=2026-10-31');
    expect(hrefs[3]).toBeNull(); // none that old: no link to an empty ledger
  });

  it('names streets, and does not link hazards registered above street level', () => {
    const c = overdueByStreetChart(data());
    expect(c.categories).toEqual(['红梅街道', '未落到街道的机构']);
    expect(c.series[0].hrefs).toEqual(['/hazards?divisionCode=320402004&overdue=true', null]);
    expect(c.summary).toBe('逾期未整改隐患 3 项，分布在 2 个街道；最多的是 红梅街道（2 项）。');
    expect(overdueByStreetChart(data({ overdueByStreet: [] })).empty).toBe('没有逾期未整改的隐患。');
  });

  it('gives each chart a table with the same numbers', () => {
    const r = repeatsChart(data());
    expect(r.table.rows).toEqual([[{ text: '疏散通道与安全出口' }, { text: '2', num: true }, { text: '1', num: true },
      { text: '3', href: '/hazards?divisionCode=320402&category=ESC&foundFrom=2025-12-01&foundTo=2026-12-01', num: true }]]);
    const p = planProgressChart(data());
    expect(p.table.rows[0].map((c) => c.text)).toEqual(['双随机', '1', '0', '1', '1', '2']);
    expect(p.summary).toContain('1 个检查计划共 2 次检查，已提交 1 次');
  });

  it('draws only charts with data', () => {
    const v = dashboardView(data({ repeats: [], plans: [] }), []);
    expect(v.charts.map((c) => c.id)).toEqual(['trend', 'overdue-street', 'ageing', 'open-category', 'repeats', 'plans', 'scores', 'grades']);
    expect(v.chartData.map((c) => c.id)).toEqual(['trend', 'overdue-street', 'ageing', 'open-category', 'scores', 'grades']);
  });

  it('writes JSON that cannot end its script element', () => {
    const text = jsonForScript({ name: '</script><script>alert(1)</script> & \u2028' });
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual({ name: '</script><script>alert(1)</script> & \u2028' });
  });
});

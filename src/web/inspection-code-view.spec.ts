import { ratingPendingText } from './inspection-view';
import type { RatingsPage, VisitView } from '../inspections/inspection-codes.service';
import { codeStateOf, ratingsPageView, teamCodeCard, visitCardView, visitPageView, visitStateText } from './inspection-code-view';

const visit = (over: Partial<VisitView> = {}): VisitView => ({
  inspectionId: 'i1', code: '7K2M-QX9D', kind: 'random', kindLabel: '双随机抽查', status: 'assigned', statusLabel: '待检查', scheduledDate: '2026-12-10',
  planName: '2026年第四季度双随机抽查', institution: { id: 'inst', name: '红梅颐养院' }, bureauName: '常州市天宁区民政局',
  team: [
    { name: '张建国', roleLabel: '组长', accountRoleLabel: '检查员', divisionName: '天宁区', warrantNo: '苏32040200017' },
    { name: '李明', roleLabel: '组员', accountRoleLabel: '检查员', divisionName: '天宁区', warrantNo: null },
  ],
  confirmation: null, verification: { state: 'pending', text: '被检查机构尚未核验检查码' }, startedAt: null, submittedAt: null, reportNo: null,
  rating: null, ratingState: 'pending', ratingWindowDays: 30, may: { confirm: true, rate: false }, ...over,
});

describe('检查码 view models', () => {
  it('shows the team with divisions and 执法证号, 未登记 flagged', () => {
    const card = visitCardView(visit());
    expect(card.team).toEqual([
      { name: '张建国', role: '组长 · 检查员', divisionName: '天宁区', warrantNo: '苏32040200017', warrantMissing: false },
      { name: '李明', role: '组员 · 检查员', divisionName: '天宁区', warrantNo: '未登记', warrantMissing: true },
    ]);
    expect(card.facts.map((f) => f.label)).toEqual(['检查单位', '检查类型', '计划检查日期', '状态']);
    expect(card.facts[1].value).toBe('双随机抽查（2026年第四季度双随机抽查）');
  });

  it('offers 确认 only on the look-up result of a confirmable visit, with the code typed', () => {
    expect(visitPageView(visit(), { csrf: 'c', heldCode: '7k2m qx9d' }).confirm).toEqual({ code: '7k2m qx9d' });
    expect(visitPageView(visit(), { csrf: 'c' }).confirm).toBeNull();
    expect(visitPageView(visit({ may: { confirm: false, rate: false } }), { csrf: 'c', heldCode: 'x' }).confirm).toBeNull();
    const cancelled = visitPageView(visit({ status: 'cancelled', may: { confirm: false, rate: false } }), { csrf: 'c', heldCode: 'x' });
    expect(cancelled.note).toContain('请勿接受检查');
    expect(cancelled.card.cancelled).toBe(true);
  });

  it('offers the rating form only when the service would take it, and keeps what was typed', () => {
    const open = visitPageView(visit({ status: 'submitted', submittedAt: new Date(), ratingState: 'open', may: { confirm: false, rate: true } }), { csrf: 'c', draft: { conduct: '4', comment: '好' } });
    expect(open.rating.form).toEqual({ action: '/inspection-codes/visits/i1/rating', draft: { conduct: '4', comment: '好' }, commentMax: 500 });
    expect(open.rating.text).toContain('只有主管部门可见');
    expect(open.recordHref).toBe('/inspections/i1');
    const rated = visitPageView(visit({
      status: 'submitted', ratingState: 'rated', may: { confirm: false, rate: false },
      rating: { conduct: 2, clarity: 5, comment: null, ratedAt: new Date('2026-12-01T02:00:00Z'), ratedByName: '王院长' },
    }), { csrf: 'c' });
    expect(rated.rating.form).toBeNull();
    expect(rated.rating.shown?.scores).toEqual([{ title: '检查人员执法规范', value: 2, word: '不满意' }, { title: '问题指出清楚', value: 5, word: '很满意' }]);
    expect(visitPageView(visit({ status: 'submitted', ratingState: 'closed', may: { confirm: false, rate: false } }), { csrf: 'c' }).rating.text).toContain('已超过评价期限');
  });

  it('names each visit’s state in the list', () => {
    expect(visitStateText(visit({ ratingState: 'open' }))).toEqual({ text: '待评价', tone: 'warn' });
    expect(visitStateText(visit({ ratingState: 'rated' }))).toEqual({ text: '已评价', tone: 'ok' });
    expect(visitStateText(visit({ confirmation: { at: new Date(), byName: 'x', byInstitution: null } })).text).toBe('已核验，检查进行中');
    expect(visitStateText(visit({ status: 'cancelled' })).text).toBe('检查已取消');
  });

  it('the team’s card: the code and its QR address until confirmed, then who confirmed it', () => {
    const c = { inspectionId: 'i1', code: '7K2MQX9D', display: '7K2M-QX9D', verifyUrl: 'http://x/inspection-codes?code=7K2M-QX9D', issuedAt: new Date(), confirmation: null, verification: { state: 'pending' as const, text: '' } };
    expect(teamCodeCard(c)).toMatchObject({ display: '7K2M-QX9D', confirmed: false, status: expect.stringContaining('尚未核验') });
    expect(teamCodeCard({ ...c, confirmation: { at: new Date('2026-12-01T02:10:00Z'), byName: '王院长', byInstitution: '红梅颐养院' } }))
      .toMatchObject({ confirmed: true, status: '已于 2026年12月1日 10:10 由 王院长（红梅颐养院） 核验' });
    expect(teamCodeCard({ ...c, code: null, display: null, verifyUrl: null })).toBeNull();
    expect(teamCodeCard(null)).toBeNull();
  });

  it('the bureau’s list: the code state of each rating, averages, export links with the same filter', () => {
    expect(codeStateOf({ hasCode: false, confirmedAt: null, startedAt: null })).toEqual({ text: '无检查码', warn: false });
    expect(codeStateOf({ hasCode: true, confirmedAt: null, startedAt: new Date() })).toEqual({ text: '未经机构核验', warn: true });
    expect(codeStateOf({ hasCode: true, confirmedAt: new Date('2026-12-01T03:00:00Z'), startedAt: new Date('2026-12-01T02:00:00Z') })).toEqual({ text: '开始检查后核验', warn: true });
    expect(codeStateOf({ hasCode: true, confirmedAt: new Date('2026-12-01T01:00:00Z'), startedAt: new Date('2026-12-01T02:00:00Z') })).toEqual({ text: '已核验', warn: false });
    const page: RatingsPage = {
      items: [], total: 0, page: 1, pageSize: 20,
      summary: { count: 3, avgConduct: 4.3, avgClarity: null, low: 1, commented: 0, submitted: 6, coverage: 50 },
      byInspector: [{ userId: 'u1', displayName: '张建国', divisionName: '天宁区', count: 3, avgConduct: 4.3, avgClarity: 4, low: 1 }],
    };
    const v = ratingsPageView(page, { maxScore: '2', divisionCode: '320402' }, [{ code: '320402', name: '天宁区', level: 'district' }]);
    expect(v.exports.csv).toBe('/api/exports/inspection-ratings.csv?maxScore=2&divisionCode=320402');
    expect(v.kpis.map((k) => `${k.label} ${k.value}`)).toEqual(['评价数 3', '执法规范平均分 4.3', '问题指出清楚平均分 —', '低分评价（≤2 分） 1', '评价率 50%', '附有意见 0']);
    expect(v.kpis[4].note).toBe('3 / 6 次已提交的检查');
    expect(v.byInspector[0]).toMatchObject({ href: '/inspection-ratings?maxScore=2&divisionCode=320402&inspectorId=u1', conduct: '4.3', clarity: '4.0' });
    expect(v.inspectorFilter).toBeNull();
    expect(v.divisions).toEqual([{ value: '320402', label: '　天宁区' }]);
    const one = ratingsPageView(page, { inspectorId: 'u1' }, []);
    expect(one.inspectorFilter).toEqual({ name: '张建国', clear: '/inspection-ratings' });
    expect(one.emptyText).toContain('没有符合条件');
  });
});

describe('ratingPendingText (the bureau, where no rating is)', () => {
  it('says the window of the pinned policy while it is open, and that it passed once closed', () => {
    expect(ratingPendingText({ days: 7, state: 'open' })).toBe('被检查机构尚未评价本次检查（检查记录提交后 7 天内可评价）。');
    expect(ratingPendingText({ days: 30, state: 'closed' })).toBe('被检查机构未在评价期限内评价本次检查（检查记录提交后 30 天内）。');
    expect(ratingPendingText(undefined)).toBe('被检查机构尚未评价本次检查。');
  });
});

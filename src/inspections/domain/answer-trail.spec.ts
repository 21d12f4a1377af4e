import type { Role } from '../../common/roles';
import type { AuthUser } from '../../common/scope';
import type { InspectionReview, ReviewItem } from '../inspection-report.service';
import { trailView } from '../../web/evidence-view';
import { inspectionReviewView } from '../../web/inspection-view';
import { markupEditable } from '../photo-markup.service';
import { centreOf, distanceMetres, durationText, normaliseTrail, summariseTrails, TrailStep } from './answer-trail';

const SITE = { lat: 31.78, lng: 119.95 };
/** A point `m` metres north of the site. */
const north = (m: number) => ({ lat: SITE.lat + m / 111_195, lng: SITE.lng });
const step = (at: string, where: { lat: number; lng: number } | null = SITE, f = 'result'): TrailStep => ({ at, f, ...(where ?? {}) });
const t = (hhmm: string) => `2026-12-01T${hhmm}:00+08:00`;

describe('answer trail (作答轨迹)', () => {
  it('measures metres on the ground', () => {
    expect(Math.round(distanceMetres(SITE, north(35)))).toBe(35);
    expect(centreOf([SITE, north(10), north(5000)])).toEqual(north(10));
  });

  it('summarises an on-site walk-through: time span, distances from the photos, nothing stands out', () => {
    const s = summariseTrails([
      { code: 'FS-001', trail: [step(t('10:42'), north(20))] },
      { code: 'FS-002', trail: [step(t('10:45'), north(35)), step(t('10:50'), north(30), 'note')] },
      { code: 'FS-003', trail: [step(t('10:58'), null)] },
      { code: 'FS-004', trail: [] },
    ], [SITE]);
    expect(s.site).toMatchObject({ from: 'photos' });
    expect(s.spanSeconds).toBe(16 * 60);
    expect(s.answered).toBe(3);
    expect(s.locatedItems).toBe(2);
    expect(s.maxDistanceM).toBe(35);
    expect(s.farItems).toEqual([]);
    expect(s.rapid).toBe(false);
    const v = trailView(s, 4);
    expect(v.summary).toBe('作答时间 10:42–10:58（16 分钟），共 3/4 项记录了轨迹；2 项有定位，与现场照片定位最远相距 35\u00a0m');
    expect(v.warnings).toEqual([]);
    expect(v.items['FS-002']).toEqual({ text: '作答 10:45–10:50 · 记录 2 次 · 距现场 35\u00a0m', far: false });
    expect(v.items['FS-003'].text).toBe('作答 10:58 · 未取得位置');
  });

  it('makes a desk-filled inspection stand out: answers far from the site, all within seconds', () => {
    const trails = Array.from({ length: 12 }, (_, i) => ({
      code: `FS-${String(i + 1).padStart(3, '0')}`, trail: [step(`2026-12-01T02:00:${String(i * 3).padStart(2, '0')}Z`, north(i < 2 ? 2400 : 10))],
    }));
    const s = summariseTrails(trails, [SITE]);
    expect(s.rapid).toBe(true);
    expect(s.farItems).toEqual(['FS-001', 'FS-002']);
    const v = trailView(s, 12);
    expect(v.warnings).toEqual(['2 项在距现场照片定位 2.4\u00a0km 以外作答：FS-001、FS-002', '全部 12 项在 33 秒内作答，请核实是否到现场逐项检查']);
    expect(v.items['FS-001'].far).toBe(true);
  });

  it('without photo positions measures from the middle of the answers; an old client shows no trail', () => {
    const s = summariseTrails([{ code: 'A', trail: [step(t('09:00'), north(0))] }, { code: 'B', trail: [step(t('09:05'), north(100))] }, { code: 'C', trail: [step(t('09:09'), north(50))] }]);
    expect(s.site).toMatchObject({ from: 'answers', ...north(50) });
    expect(s.maxDistanceM).toBe(50);
    expect(trailView(summariseTrails([{ code: 'A', trail: [] }]), 1)).toMatchObject({ empty: true, warnings: [] });
  });

  it('keeps a sent trail in time order, its first step and the latest ones', () => {
    const steps = Array.from({ length: 60 }, (_, i) => step(new Date(Date.UTC(2026, 11, 1, 2, 0, 59 - i)).toISOString()));
    const n = normaliseTrail(steps);
    expect(n).toHaveLength(50);
    expect(n[0].at).toBe('2026-12-01T02:00:00.000Z');
    expect(n[49].at).toBe('2026-12-01T02:00:59.000Z');
    expect(durationText(3 * 3600 + 300)).toBe('3 小时 5 分钟');
  });

  it('tells bulk answers from taps: an honest all-pass with 本节其余合格 is not flagged, bulk is reported on its own', () => {
    // 3 items tapped over 12 minutes, then 13 sections × 4 items answered with 本节其余合格 within 40 seconds.
    const tapped = ['FS-001', 'FS-002', 'FS-003'].map((code, i) => ({ code, trail: [step(t(`10:${String(10 + i * 6).padStart(2, '0')}`))] }));
    const bulk = Array.from({ length: 52 }, (_, i) => ({
      code: `BK-${String(i + 1).padStart(3, '0')}`, trail: [step(`2026-12-01T02:30:${String(Math.floor(i / 4) * 3).padStart(2, '0')}Z`, SITE, i < 48 ? 'bulkPass' : 'bulkNa')],
    }));
    const s = summariseTrails([...tapped, ...bulk], [SITE]);
    expect(s.rapid).toBe(false);
    expect(s.tappedItems).toBe(3);
    expect(s.bulkPass).toHaveLength(48);
    expect(s.bulkNa).toEqual(['BK-049', 'BK-050', 'BK-051', 'BK-052']);
    const v = trailView(s, 55);
    expect(v.warnings).toEqual([]);
    expect(v.summary).toContain('；52 项批量作答（本节其余合格 48 / 本节不适用 4）');
    expect(v.items['BK-049'].text).toContain('批量（本节不适用）');
    // An item tapped after its bulk answer counts as tapped; its result is no longer a bulk one.
    const retapped = summariseTrails([{ code: 'X', trail: [step(t('10:00'), SITE, 'bulkPass'), step(t('10:03'), SITE, 'result')] }]);
    expect(retapped).toMatchObject({ bulkPass: [], tappedItems: 1 });
  });

  it('still flags desk-filling done by tapping fast, measured on the taps alone', () => {
    const taps = Array.from({ length: 10 }, (_, i) => ({ code: `T-${i}`, trail: [step(`2026-12-01T02:00:${String(i * 4).padStart(2, '0')}Z`)] }));
    const bulk = [{ code: 'B-1', trail: [step('2026-12-01T03:00:00Z', SITE, 'bulkPass')] }];
    const s = summariseTrails([...taps, ...bulk], [SITE]);
    expect(s.rapid).toBe(true);
    expect(trailView(s, 11).warnings).toEqual(['逐项作答的 10 项在 36 秒内完成，请核实是否到现场逐项检查']);
  });
});

describe('the review page: who reads the trail, bulk 不适用 per section, markup changed after submission', () => {
  const user = (role: Role) => ({ id: `${role}-1`, role, displayName: role, divisionPath: '/320400/320402', institutionId: role === 'institution' ? 'n1' : null }) as unknown as AuthUser;
  const item = (code: string, result: ReviewItem['result'], f = 'result', markupUpdatedAt: Date | null = null): ReviewItem => ({
    code, title: code, check: '', basis: '', result, note: null, location: null, scope: null, severity: null, criterion: null,
    photos: markupUpdatedAt ? [{ id: `${code}-p`, takenAt: null, receivedAt: new Date(), gps: null, markup: null, markupUpdatedAt } as ReviewItem['photos'][number]] : [],
    trail: [step(t('10:00'), SITE, f)],
  });
  const review = (): InspectionReview => ({
    inspection: { id: 'i1', reportStatus: 'rendered', status: 'submitted', submittedAt: new Date(t('11:00')) } as InspectionReview['inspection'],
    institution: { id: 'n1', name: '院', address: '', creditCode: '', kindLabel: '' }, team: [],
    checklist: { title: '', code: 'c', versionNo: 1, contentHash: 'x' },
    categories: [
      { code: 'FIRE', title: '消防', items: [item('FIRE-001', 'na', 'bulkNa'), item('FIRE-002', 'na', 'bulkNa'), item('FIRE-003', 'na')] },
      { code: 'ESC', title: '疏散', items: [item('ESC-001', 'fail', 'result', new Date(t('15:20'))), item('ESC-002', 'pass', 'bulkPass', new Date(t('10:30')))] },
    ],
    notAnswered: 0, hazards: [], signatures: [],
  });
  const opts = { failedOnly: false, today: '2026-12-01', notice: null };

  it('gives the trail to the bureau only: the institution and the inspectors do not see the desk-filling warnings', () => {
    for (const role of ['bureau_officer', 'bureau_admin'] as Role[]) expect(inspectionReviewView(user(role), review(), opts).trail).not.toBeNull();
    for (const role of ['institution', 'inspector'] as Role[]) expect(inspectionReviewView(user(role), review(), opts).trail).toBeNull();
  });

  it('says per section how many items were marked 不适用 in bulk', () => {
    const v = inspectionReviewView(user('bureau_officer'), review(), opts);
    expect(v.trail!.sections).toEqual({ FIRE: '本节 2 项标为不适用（批量）' });
  });

  it('marks a photo whose markup changed after the submission', () => {
    const v = inspectionReviewView(user('institution'), review(), opts);
    expect(v.markupChanged).toEqual({ 'ESC-001-p': expect.stringMatching(/^标注于 .*15:20 修改/) });
  });

  it('lets a submitted inspection\'s markup change until a notice is issued or 24 h have passed', () => {
    const submittedAt = new Date('2026-12-01T03:00:00Z');
    const h = (n: number) => new Date(submittedAt.getTime() + n * 3600_000);
    expect(markupEditable({ status: 'in_progress', submittedAt: null }, null, h(100))).toBe('ok');
    expect(markupEditable({ status: 'submitted', submittedAt }, null, h(23.9))).toBe('ok');
    expect(markupEditable({ status: 'submitted', submittedAt }, null, h(24))).toBe('locked');
    expect(markupEditable({ status: 'submitted', submittedAt }, h(1), h(2))).toBe('locked');
    expect(markupEditable({ status: 'cancelled', submittedAt: null }, null, h(0))).toBe('not_open');
  });
});

import { accountDetailView, actionLabel, auditDiff, entityHref, lastSignInText, verificationView } from './account-view';
import type { AuthUser } from '../common/scope';
import type { User } from '../users/user.entity';

const admin: AuthUser = { id: 'a1', username: 'admin', displayName: '管理员', role: 'bureau_admin', divisionCode: '320402', divisionPath: '/320400/320402/', institutionId: null };
const account = (over: Partial<User> = {}): User => ({
  id: 'u1', username: 'insp', displayName: '检查员', role: 'inspector', divisionCode: '320402', divisionPath: '/320400/320402/', institutionId: null, warrantNo: null,
  passwordHash: '', status: 'active', version: 3, createdAt: new Date('2026-12-01T02:00:00Z'), updatedAt: new Date(), lastSignInAt: null, ...over,
});

describe('account and audit view models', () => {
  it('puts before and after side by side, changed fields only unless the event creates', () => {
    expect(auditDiff({ status: 'active', version: 1 }, { status: 'disabled', version: 1 })).toEqual([
      { field: 'status', before: 'active', after: 'disabled', changed: true },
    ]);
    expect(auditDiff(null, { name: '甲院', beds: 20 }, true)).toEqual([
      { field: 'name', before: '—', after: '甲院', changed: true },
      { field: 'beds', before: '—', after: '20', changed: true },
    ]);
    expect(auditDiff({ a: null }, { a: { x: 1 } })).toEqual([{ field: 'a', before: '（空）', after: '{"x":1}', changed: true }]);
  });

  it('offers disable only for another active account, enable for a disabled one', () => {
    expect(accountDetailView(admin, account(), '天宁区', 'c')).toMatchObject({ offerDisable: true, offerEnable: false, offerReset: true, disableNote: null });
    expect(accountDetailView(admin, account({ status: 'disabled' }), '天宁区', 'c')).toMatchObject({ offerDisable: false, offerEnable: true, offerReset: false });
    expect(accountDetailView(admin, account({ id: 'a1' }), '天宁区', 'c')).toMatchObject({ offerDisable: false, disableNote: expect.stringContaining('不能停用') });
  });

  it('names the first broken event, or a break outside the subtree without naming it', () => {
    const base = { id: '1', verifiedAt: new Date('2026-12-01T02:00:00Z'), scopePath: '/320400/320402/', verifiedBy: null, checked: 7, unverified: 0 };
    expect(verificationView({ ...base, ok: true, firstBrokenId: null, firstBrokenReason: null, brokenOutsideScope: false })!.summary).toContain('7 条事件全部核验通过');
    expect(verificationView({ ...base, ok: false, unverified: 3, firstBrokenId: '42', firstBrokenReason: 'hash_mismatch', brokenOutsideScope: false })!.summary).toContain('事件 #42');
    const outside = verificationView({ ...base, ok: false, unverified: 3, firstBrokenId: null, firstBrokenReason: null, brokenOutsideScope: true })!;
    expect(outside.summary).toContain('本辖区以外');
    expect(outside.brokenEventId).toBeNull();
    expect(verificationView(null)).toBeNull();
  });

  it('says a missing tail or checkpoint happened after the last intact event (not highlighted), and shows the warnings', () => {
    const base = { id: '1', verifiedAt: new Date('2026-12-01T02:00:00Z'), scopePath: '/320400/', verifiedBy: null, checked: 7, unverified: 0, ok: false, brokenOutsideScope: false };
    const tail = verificationView({ ...base, firstBrokenId: '40', firstBrokenReason: 'tail_truncated' })!;
    expect(tail.summary).toContain('最新的事件（#40 之后）已被删除');
    expect(tail.summary).not.toContain('第一处断点');
    expect(tail.brokenEventId).toBeNull();
    expect(verificationView({ ...base, firstBrokenId: '40', firstBrokenReason: 'checkpoint_missing' })).toMatchObject({ brokenEventId: null, summary: expect.stringContaining('#40 之后的检查点') });
    expect(verificationView({ ...base, firstBrokenId: '40', firstBrokenReason: 'checkpoint_mismatch' })).toMatchObject({ brokenEventId: null, summary: expect.stringContaining('检查点校验不符') });
    const key = verificationView({ ...base, firstBrokenId: null, firstBrokenReason: null, unverified: 7, warnings: [{ code: 'key_missing' }] })!;
    expect(key).toMatchObject({ verdict: '无法校验', brokenEventId: null });
    expect(key.warnings[0]).toMatch(/^审计密钥缺失.*audit-hmac\.key/);
    expect(verificationView({ ...base, ok: true, firstBrokenId: null, firstBrokenReason: null, warnings: [{ code: 'unsealed_stale', count: 3 }] })!.warnings)
      .toEqual([expect.stringContaining('有 3 条事件超过 5 分钟仍未封存')]);
  });

  it('labels actions, links entities that have a page, reads a missing sign-in', () => {
    expect(actionLabel('user.disable')).toBe('停用账号');
    expect(actionLabel('hazard.accept')).toBe('复核销号');
    expect(actionLabel('something.new')).toBe('something.new');
    expect(entityHref('user', '0bdba247-b3c3-40c6-aec6-4d5d791d8ed2')).toBe('/accounts/0bdba247-b3c3-40c6-aec6-4d5d791d8ed2');
    expect(entityHref('auth_session', '0bdba247-b3c3-40c6-aec6-4d5d791d8ed2')).toBeNull();
    expect(lastSignInText(null)).toBe('从未登录');
    expect(lastSignInText(new Date('2026-12-01T02:05:00Z'))).toBe('2026年12月1日 10:05');
  });
});

import { passwordIssues } from '../auth/password-policy';
import { generateOneTimePassword, PendingPasswords } from './one-time-password';

describe('one-time passwords', () => {
  it('are long, readable and pass the password policy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const p = generateOneTimePassword();
      expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{4}(-[A-HJ-NP-Za-km-z2-9]{4}){3}$/);
      expect(passwordIssues(p, { username: 'new.user', displayName: '新用户' })).toEqual([]);
      seen.add(p);
    }
    expect(seen.size).toBe(20);
  });

  it('are handed out once, to the admin who asked, until they expire', () => {
    let now = 1_000;
    const pending = new PendingPasswords();
    pending.ttlMs = 60_000;
    pending.now = () => now;
    pending.put('admin', 'u1', 'secret-1');
    expect(pending.take('other-admin', 'u1')).toBeNull();
    pending.put('admin', 'u1', 'secret-1');
    expect(pending.take('admin', 'u1')).toBe('secret-1');
    expect(pending.take('admin', 'u1')).toBeNull();
    pending.put('admin', 'u2', 'secret-2');
    now += 60_001;
    expect(pending.take('admin', 'u2')).toBeNull();
  });
});

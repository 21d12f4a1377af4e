import { randomBytes } from 'node:crypto';
import { fieldMessage } from '../common/messages';
import { passwordIssues } from './password-policy';

describe('password policy (length 10, zxcvbn score ≥ 3 with Chinese-context dictionaries)', () => {
  const account = { username: 'zhang.wei', displayName: '天宁区民政局 张伟', institutionName: '红梅颐养院' };

  it.each(['password12', 'Password123', 'qwerty1234', 'aaaaaaaaa1', 'changz2026', 'zhang.wei1'])('refuses %s as too easy to guess', (password) => {
    expect(passwordIssues(password, account)).toEqual([{ field: 'password', reason: 'passwordTooWeak' }]);
  });

  it.each([
    ['pinyin names', 'zhangwei1988'], ['cities', 'beijing2026'], ['cities with a capital and a symbol', 'Changzhou1!'], ['the own district', 'tianning88'],
    ['love-you numbers', 'woaini1314'], ['123456-style runs', '1234567890'], ['lucky numbers', '888888888a'], ['the product name', 'yian123456'],
  ])('knows the Chinese context: %s (%s)', (_what, password) => {
    expect(passwordIssues(password, account)).toEqual([{ field: 'password', reason: 'passwordTooWeak' }]);
  });

  it('refuses the username plus a digit for any username, and the username parts', () => {
    expect(passwordIssues('inspector7f3a1', { username: 'inspector7f3a' })).toHaveLength(1);
    expect(passwordIssues('Hongmei-yiyang1', { username: 'hongmei.yiyang' })).toHaveLength(1);
  });

  it('refuses fewer than 10 characters with its own reason', () => {
    expect(passwordIssues('k3#mQ9!zR', account)).toEqual([{ field: 'password', reason: 'passwordTooShort', args: [10] }]);
  });

  it.each(['Strong-pass-2026', 'correct horse battery', 'k3#mQ9!zR2pL', 'Laiyuan-7-Xq'])('accepts %s', (password) => {
    expect(passwordIssues(password, account)).toEqual([]);
  });

  it('accepts the random passwords the demo seeder and the test factories generate', () => {
    for (let i = 0; i < 200; i++) {
      expect(passwordIssues(`Yian-${randomBytes(9).toString('base64url')}1`, { username: 'institution', displayName: '红梅颐养院 院长' })).toEqual([]);
      expect(passwordIssues(`Pw-${randomBytes(8).toString('hex')}9`, { username: `inspector${i}ab12` })).toEqual([]);
    }
  });

  it('explains the refusal in Chinese, and in English on request', () => {
    expect(fieldMessage('passwordTooWeak', 'zh')).toMatch(/^密码太容易被猜到/);
    expect(fieldMessage('passwordTooWeak', 'en')).toMatch(/^is too easy to guess/);
    expect(fieldMessage('passwordTooShort', 'zh', [10])).toBe('密码至少 10 位');
  });
});

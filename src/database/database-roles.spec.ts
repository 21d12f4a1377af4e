import { quoteRole, roleOfUrl } from './database-roles.repository';

describe('database roles: names', () => {
  it('reads the role a URL logs in as, percent-decoded', () => {
    expect(roleOfUrl('postgres://yian_app:s3cret@127.0.0.1:5432/yian')).toBe('yian_app');
    expect(roleOfUrl('postgresql://my%5Fapp:x@db/yian')).toBe('my_app');
  });

  it('quotes a plain role name and refuses anything else (roles take no bind parameters)', () => {
    expect(quoteRole('yian_app')).toBe('"yian_app"');
    for (const bad of ['', 'a b', 'x"; DROP TABLE hazard; --', '1abc', 'a'.repeat(64)]) expect(() => quoteRole(bad)).toThrow(/role name/);
  });
});

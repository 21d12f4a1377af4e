import { ConfigError, loadConfig } from './env';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:p@localhost/db' });
    expect(c).toMatchObject({ PORT: 3000, PROCESS_ROLE: 'all', RUN_MIGRATIONS: true, SEED_DEMO: false, LOGIN_MAX_FAILURES: 5, PUBLIC_URL: 'http://localhost:3000' });
  });

  it('reads PORT and booleans', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://localhost/db', PORT: '3100', SEED_DEMO: 'true', REDIS_URL: 'redis://localhost:6379' });
    expect(c).toMatchObject({ PORT: 3100, SEED_DEMO: true, REDIS_URL: 'redis://localhost:6379', PUBLIC_URL: 'http://localhost:3100' });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', REDIS_URL: 'http://x', PROCESS_ROLE: 'both', SEED_DEMO: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as Error).message;
    for (const name of ['DATABASE_URL', 'PORT', 'REDIS_URL', 'PROCESS_ROLE', 'SEED_DEMO']) expect(text).toContain(`  ${name}=`);
    expect(text).toContain('配置无效');
  });

  it('reads DATABASE_OWNER_URL (optional: unset or empty = DATABASE_URL migrates) and refuses a non-postgres URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://yian_app:x@localhost/db' }).DATABASE_OWNER_URL).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://yian_app:x@localhost/db', DATABASE_OWNER_URL: '' }).DATABASE_OWNER_URL).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://yian_app:x@localhost/db', DATABASE_OWNER_URL: 'postgres://yian:y@localhost/db' }).DATABASE_OWNER_URL).toBe('postgres://yian:y@localhost/db');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/db', DATABASE_OWNER_URL: 'mysql://x' })).toThrow(/DATABASE_OWNER_URL=/);
  });

  it('requires DATABASE_URL', () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL=null/);
  });

  it('reads LOCAL_RULE_SET: unset = none, a code, and refuses what cannot be a code', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/db' }).LOCAL_RULE_SET).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/db', LOCAL_RULE_SET: '' }).LOCAL_RULE_SET).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/db', LOCAL_RULE_SET: 'changzhou' }).LOCAL_RULE_SET).toBe('changzhou');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/db', LOCAL_RULE_SET: '常州 市' })).toThrow(/LOCAL_RULE_SET=/);
  });
});

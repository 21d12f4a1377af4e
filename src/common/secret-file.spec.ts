import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readOrCreateSecret } from './secret-file';

describe('readOrCreateSecret', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-secret-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a 64-hex key (file 0600, folder 0700) once and returns the same key afterwards, leaving no temporary file', () => {
    const a = readOrCreateSecret(dir, path.join('secrets', 'k.key'));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(path.join(dir, 'secrets', 'k.key')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(readOrCreateSecret(dir, path.join('secrets', 'k.key'))).toBe(a);
    expect(fs.readdirSync(path.join(dir, 'secrets'))).toEqual(['k.key']);
  });

  it('refuses a truncated key file instead of using it', () => {
    fs.mkdirSync(path.join(dir, 'secrets'));
    fs.writeFileSync(path.join(dir, 'secrets', 'k.key'), 'abc\n');
    expect(() => readOrCreateSecret(dir, path.join('secrets', 'k.key'))).toThrow(/key file too short/);
  });
});

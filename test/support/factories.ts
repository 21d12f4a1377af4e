import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SYSTEM_SCOPE } from '../../src/common/scope';
import { DivisionsRepository } from '../../src/divisions/divisions.repository';
import { creditCodeCheckChar } from '../../src/common/credit-code';
import { CreateInstitutionDto } from '../../src/institutions/dto/institution.dto';
import { Role } from '../../src/users/user.entity';
import { UsersService } from '../../src/users/users.service';
import type { TestApp } from './test-app';

/** A small real tree: 常州市 with two districts and a street in each. */
export const DIVISIONS = [
  { code: '320400', name: '常州市', level: 'city' as const, parentCode: null },
  { code: '320402', name: '天宁区', level: 'district' as const, parentCode: '320400' },
  { code: '320402004', name: '红梅街道', level: 'street' as const, parentCode: '320402' },
  { code: '320404', name: '钟楼区', level: 'district' as const, parentCode: '320400' },
  { code: '320404001', name: '五星街道', level: 'street' as const, parentCode: '320404' },
];

export async function seedDivisions(db: DataSource): Promise<void> {
  const repo = new DivisionsRepository(db);
  await db.transaction(async (em) => {
    for (const d of DIVISIONS) await repo.insertIfMissing(em, d);
  });
}

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A fresh credit code of a 民办非企业单位 in `division`, with a correct check character. */
export function creditCode(division = '320402'): string {
  const body = Array.from(randomBytes(9), (b) => ALPHABET[b % 31]).join('');
  const first17 = `52${division.slice(0, 6)}${body}`;
  return first17 + creditCodeCheckChar(first17);
}

export function institutionInput(overrides: Partial<CreateInstitutionDto> = {}): CreateInstitutionDto {
  return {
    name: `测试颐养院${randomBytes(3).toString('hex')}`, kind: 'nursing_home', ownership: 'private',
    creditCode: creditCode((overrides.divisionCode ?? '320402004').slice(0, 6)), divisionCode: '320402004',
    address: '常州市天宁区红梅街道测试路 1 号', contactName: '李四', contactPhone: '0519-88881234',
    storeys: 4, lowestFloor: 1, totalAreaM2: 5000, approvedBeds: 200, occupiedBeds: 150,
    residentsSelfCare: 50, residentsMildlyDisabled: 40, residentsModeratelyDisabled: 30, residentsSeverelyDisabled: 20,
    highestFloorWithDisabled: 3, hasFireControlRoom: true, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'piped',
    hasCanteen: true, hasMedicalUnit: false, hasElevator: true, hasBoiler: false, hasOxygenPipeline: false,
    insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    ...overrides,
  };
}

export interface TestAccount {
  id: string;
  username: string;
  displayName: string;
  password: string;
  role: Role;
}

let counter = 0;
const ROLE_NAMES: Record<Role, string> = { bureau_admin: '管理员', bureau_officer: '监管员', inspector: '检查员', institution: '机构' };
export async function createAccount(t: TestApp, role: Role, where: { divisionCode?: string; institutionId?: string }): Promise<TestAccount> {
  const username = `${role.replace('_', '')}${++counter}${randomBytes(2).toString('hex')}`;
  const password = `Pw-${randomBytes(8).toString('hex')}9`;
  const displayName = `测试${ROLE_NAMES[role]}${counter}`;
  const user = await t.app.get(UsersService).createInScope(SYSTEM_SCOPE, { username, displayName, role, password, ...where });
  return { id: user.id, username, displayName, password, role };
}

export async function tokenFor(t: TestApp, account: TestAccount): Promise<string> {
  const res = await t.http().post('/api/auth/tokens').send({ username: account.username, password: account.password }).expect(201);
  return res.body.token;
}

export async function rowCount(db: DataSource, table: string): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM ${table}`);
  return row.n;
}

import ExcelJS from 'exceljs';
import { createAccount, institutionInput, seedDivisions, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { binary, parseCsv } from '../support/exports';
import { createTestApp, TestApp } from '../support/test-app';


const HAZARD_NOTE = '=HYPERLINK("http://x","y")';
/** Institution names that a spreadsheet would run as formulas, one per dangerous first character. */
const HOSTILE_NAMES = ['=1+2颐养院', '+86颐养院', '-3颐养院', '@SUM(A1)颐养院', '\t制表颐养院', '\r回车颐养院'];

describe('exports cannot attack the reader (CSV injection)', () => {
  let t: TestApp;
  let officer: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    const team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    const lead = await tokenFor(t, team[0]);
    const ids: string[] = [];
    for (const name of HOSTILE_NAMES) ids.push((await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`).send(institutionInput({ name })).expect(201)).body.id);
    const inspection = await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
      .send({ institutionId: ids[0], kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
    const items = await formItems(t, lead, inspection.body.id);
    const item = items.find((i) => i.severity === 'general')!;
    const photos = item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, lead, inspection.body.id, item.code)] : [];
    const body = submission(items, { [item.code]: photos }, team);
    body.responses = body.responses.map((r) => (r.itemCode === item.code ? { ...r, note: HAZARD_NOTE, location: '-1层@配电间' } : r)) as typeof body.responses;
    await t.http().post(`/api/inspections/${inspection.body.id}/submit`).set('Authorization', `Bearer ${lead}`).send(body).expect(201);
  });
  afterAll(() => t.close());

  const get = (url: string) => t.http().get(url).set('Authorization', `Bearer ${officer}`).buffer(true).parse(binary).expect(200);

  it('the hazard ledger CSV prefixes a formula-looking note with an apostrophe', async () => {
    const rows = parseCsv(((await get('/api/exports/hazards.csv')).body as Buffer).toString('utf8').slice(1)).filter((r) => r.length > 1);
    const header = rows[0];
    expect(rows).toHaveLength(2);
    expect(rows[1][header.indexOf('情况说明')]).toBe(`'${HAZARD_NOTE}`);
    expect(rows[1][header.indexOf('位置')]).toBe("'-1层@配电间");
    expect(rows[1][header.indexOf('机构名称')]).toBe(`'${HOSTILE_NAMES[0]}`);
    // Safe text is untouched, and no cell at all starts with a formula character.
    expect(rows[1][header.indexOf('等级')]).toBe('一般隐患');
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('the compliance CSV neutralises every dangerous first character: = + - @ TAB CR', async () => {
    const rows = parseCsv(((await get('/api/exports/compliance.csv')).body as Buffer).toString('utf8').slice(1)).filter((r) => r.length > 1);
    const names = rows.slice(1).map((r) => r[0]);
    expect(names.sort()).toEqual(HOSTILE_NAMES.map((n) => `'${n}`).sort());
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('the XLSX keeps the text as typed strings, never formulas', async () => {
    for (const [url, column, expected] of [['/api/exports/hazards.xlsx', '情况说明', HAZARD_NOTE], ['/api/exports/compliance.xlsx', '机构名称', HOSTILE_NAMES[0]]] as const) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await get(url)).body as never);
      const ws = wb.worksheets[0];
      const header = (ws.getRow(2).values as unknown[]).slice(1);
      const cells: ExcelJS.Cell[] = [];
      ws.eachRow((row, n) => { if (n > 2) row.eachCell((c) => cells.push(c)); });
      expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false);
      const col = header.indexOf(column) + 1;
      const values = cells.filter((c) => Number(c.col) === col).map((c) => c.text);
      expect(values.some((v) => v === expected || v === `'${expected}`)).toBe(true);
    }
  });
});

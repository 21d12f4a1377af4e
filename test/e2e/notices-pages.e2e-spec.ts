import { REPORTS_QUEUE } from '../../src/outbox/job-names';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { jpegWithGps } from '../support/jpeg-with-gps';
import { waitForJob } from '../support/jobs';
import { pdfText, savePdf, squash } from '../support/pdf';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 检查记录审阅 and 下达整改通知书 through the pages: the review of a submitted inspection (answers, photos,
 * signatures, the failed-items filter), the preview (the bureau only; it takes no number), the confirmation
 * (exactly one notice, also when submitted twice), the status the notice page polls (scoped), the print view.
 */
describe('reviewing an inspection and issuing its notice (pages)', () => {
  let t: TestApp;
  let officer: TestAccount;
  let farOfficer: TestAccount;
  let inspector: TestAccount;
  let institutionAccount: TestAccount;
  let officerToken: string;
  let team: TestAccount[];
  let institutionId: string;

  const sessions = new Map<string, string>();
  const session = async (account: TestAccount) => {
    if (!sessions.has(account.id)) {
      const res = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
      sessions.set(account.id, (res.headers['set-cookie'][0] as string).split(';')[0]);
    }
    return sessions.get(account.id)!;
  };
  const get = async (account: TestAccount, url: string, status = 200, accept = 'text/html') =>
    t.http().get(url).set('Cookie', await session(account)).set('Accept', accept).expect(status);
  const csrfIn = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1];
  const post = async (account: TestAccount, url: string, form: Record<string, string>, status?: number) => {
    const req = t.http().post(url).set('Cookie', await session(account)).type('form').send(form);
    return status === undefined ? req : req.expect(status);
  };
  const counter = async () => (await t.db.query(`SELECT coalesce(sum(last), 0)::int AS n FROM document_counter WHERE series LIKE '%:notice'`))[0].n as number;
  const noticesOf = async (inspectionId: string) => (await t.db.query('SELECT id, notice_no FROM rectification_notice WHERE inspection_id = $1', [inspectionId])) as { id: string; notice_no: string }[];

  /** A submitted inspection with two failed general items (one with a photo) and the rest passed. */
  async function submittedInspection(): Promise<{ id: string; failed: string[]; photoId: string }> {
    const id = (await t.http().post('/api/inspections').set('Authorization', `Bearer ${officerToken}`)
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const lead = await tokenFor(t, team[0]);
    const items = await formItems(t, lead, id);
    const general = items.filter((i) => i.severity === 'general').slice(0, 2);
    const photoId = await uploadPhoto(t, lead, id, general[0].code);
    // A camera photo with its position in EXIF (常州: 31°46'48" N, 119°57' E).
    const gpsPhoto = (await t.http().post('/api/evidence').set('Authorization', `Bearer ${lead}`)
      .field('inspectionId', id).field('itemCode', general[0].code).field('takenAt', new Date().toISOString())
      .attach('file', jpegWithGps(), { filename: 'camera.jpg', contentType: 'image/jpeg' }).expect(201)).body.id;
    const fails = { [general[0].code]: [photoId, gpsPhoto], [general[1].code]: general[1].evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, lead, id, general[1].code)] : [] };
    await t.http().post(`/api/inspections/${id}/submit`).set('Authorization', `Bearer ${lead}`).send(submission(items, fails, team)).expect(201);
    return { id, failed: general.map((g) => g.code), photoId };
  }

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_INTERVAL_MS: '200', PUBLIC_URL: 'https://yian.example.cn' });
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    farOfficer = await createAccount(t, 'bureau_officer', { divisionCode: '320404' });
    officerToken = await tokenFor(t, officer);
    team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    inspector = team[0];
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officerToken}`).send(institutionInput({ name: '审阅测试颐养院' })).expect(201)).body.id;
    institutionAccount = await createAccount(t, 'institution', { institutionId });
  });
  afterAll(() => t?.close());

  it('shows the review of a submitted inspection: every answer, the photos, the signatures, the version; the failed-only filter works on the server', async () => {
    const { id, failed, photoId } = await submittedInspection();
    const page = (await get(officer, `/inspections/${id}`)).text;
    expect(page).toContain('检查记录审阅');
    for (const code of failed) expect(page).toContain(`id="item-${code}"`);
    expect(page).toContain('2号楼3层东侧走廊');
    expect(page).toContain('现场发现问题');
    expect(page).toContain(`<a class="photo-frame" href="/api/evidence/${photoId}"`);
    expect(page).toContain(`<img src="/api/evidence/${photoId}"`);
    expect(page.match(new RegExp(`<img src="/api/evidence/`, 'g'))!.length).toBeGreaterThanOrEqual(3 + 3);
    expect(page).toContain('GPS 31.78000, 119.95000（照片 EXIF）');
    expect(page).toMatch(/检查地点 GPS<\/dt><dd>31\.78000, 119\.95000/);
    expect(page).toMatch(/检查人员签名|alt="检查人员签名/);
    expect(page).toContain('机构负责人签收');
    expect(page).toMatch(/第 \d+ 版/);
    expect(page).toContain(`href="/inspections/${id}/notice/preview"`);
    const passed = (page.match(/class="result result-pass"/g) ?? []).length;
    expect(passed).toBeGreaterThan(0);

    const onlyFailed = (await get(officer, `/inspections/${id}?failed=1`)).text;
    expect(onlyFailed.match(/<tr id="item-/g)).toHaveLength(2);
    expect(onlyFailed).not.toContain('class="result result-pass"');
    expect(onlyFailed).toMatch(/aria-current="page">只看不合格项/);
    // The photo is served to the reviewer.
    await t.http().get(`/api/evidence/${photoId}`).set('Cookie', await session(officer)).expect(200);
  });

  it('previews the notice for the bureau only, with the number it would get, and takes no number', async () => {
    const { id } = await submittedInspection();
    const before = await counter();
    const preview = await get(officer, `/inspections/${id}/notice/preview`);
    expect(preview.text).toMatch(/将编号为 <strong>常天民安整〔\d{4}〕第\d{4}号<\/strong>/);
    expect(preview.text).toContain('编号在确认下达时正式分配');
    expect(preview.text).toContain('不能撤回');
    expect(preview.text).toContain('我已核对');
    expect(preview.text).toContain('确认下达');
    expect(preview.text).toContain('审阅测试颐养院：');
    // Twice: still nothing taken, nothing written.
    await get(officer, `/inspections/${id}/notice/preview`);
    expect(await counter()).toBe(before);
    expect(await noticesOf(id)).toHaveLength(0);

    await get(inspector, `/inspections/${id}/notice/preview`, 403);
    await get(institutionAccount, `/inspections/${id}/notice/preview`, 403);
    await get(farOfficer, `/inspections/${id}/notice/preview`, 404);
  });

  it('issues exactly one notice on confirmation, with the previewed number; a second submit issues nothing more', async () => {
    const { id } = await submittedInspection();
    const preview = (await get(officer, `/inspections/${id}/notice/preview`)).text;
    const expected = /将编号为 <strong>([^<]+)<\/strong>/.exec(preview)![1];
    const csrf = csrfIn(preview);

    // Without the confirmation ticked: refused, the field named, nothing issued.
    const refused = await post(officer, `/inspections/${id}/notice`, { _csrf: csrf }, 400);
    expect(refused.text).toContain('请勾选“我已核对');
    expect(refused.text).toContain('aria-invalid="true"');
    expect(await noticesOf(id)).toHaveLength(0);
    // Another role cannot confirm.
    const inspectorPage = (await get(inspector, `/inspections/${id}`)).text;
    await post(inspector, `/inspections/${id}/notice`, { _csrf: csrfIn(inspectorPage), confirmed: 'yes' }, 403);

    const before = await counter();
    // The number shown is not the one the series would give (another notice took it): nothing issued, no number used.
    const taken = await post(officer, `/inspections/${id}/notice`, { _csrf: csrf, confirmed: 'yes', expectedNo: '常天民安整〔2026〕第9999号' }, 409);
    expect(taken.text).toContain('已被使用');
    expect(await noticesOf(id)).toHaveLength(0);
    expect(await counter()).toBe(before);
    const [first, second] = await Promise.all([
      post(officer, `/inspections/${id}/notice`, { _csrf: csrf, confirmed: 'yes', expectedNo: expected }),
      post(officer, `/inspections/${id}/notice`, { _csrf: csrf, confirmed: 'yes', expectedNo: expected }),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const notices = await noticesOf(id);
    expect(notices).toHaveLength(1);
    expect(notices[0].notice_no).toBe(expected);
    expect(await counter()).toBe(before + 1);
    const locations = [first.headers.location, second.headers.location].sort();
    expect(locations).toEqual([`/notices/${notices[0].id}?ok=already_issued`, `/notices/${notices[0].id}?ok=issued`]);
    // And later: the preview now leads to the notice.
    expect((await get(officer, `/inspections/${id}/notice/preview`, 303)).headers.location).toBe(`/notices/${notices[0].id}?ok=already_issued`);
    const review = (await get(officer, `/inspections/${id}`)).text;
    expect(review).toContain(`href="/notices/${notices[0].id}"`);
    expect(review).not.toContain('/notice/preview');
  });

  it('serves the PDF state the notice page polls, scoped like the notice; the PDF, the page and the print view carry the QR code of the public verification address', async () => {
    const { id } = await submittedInspection();
    const csrf = csrfIn((await get(officer, `/inspections/${id}/notice/preview`)).text);
    const location = (await post(officer, `/inspections/${id}/notice`, { _csrf: csrf, confirmed: 'yes' }, 303)).headers.location as string;
    const noticeId = /\/notices\/([0-9a-f-]{36})/.exec(location)![1];
    const [{ verify_token: token, notice_no: noticeNo }] = await t.db.query('SELECT verify_token, notice_no FROM rectification_notice WHERE id = $1', [noticeId]);
    const verifyUrl = `https://yian.example.cn/verify/notice/${token}`;

    const page = (await get(officer, location)).text;
    expect(page).toContain('整改通知书已下达');
    expect(page).toContain('id="notice-pdf" aria-live="polite"');
    expect(page).toContain('src="/static/notice-status.js"');
    expect(page).toMatch(/<svg class="qr" role="img" aria-label="核验二维码：https:\/\/yian\.example\.cn\/verify\/notice\/[0-9a-f]{32}"/);
    expect(page).toContain(`href="${verifyUrl}"`);

    await waitForJob(t.app, REPORTS_QUEUE, `notice-pdf-${noticeId}`);
    const status = await get(officer, `/notices/${noticeId}/status`, 200, 'application/json');
    expect(status.body).toEqual({ pdfStatus: 'rendered', pdfUrl: `/api/notices/${noticeId}/pdf` });
    expect((await get(institutionAccount, `/notices/${noticeId}/status`)).body.pdfStatus).toBe('rendered');
    await get(farOfficer, `/notices/${noticeId}/status`, 404);
    const otherInstitution = await createAccount(t, 'institution', {
      institutionId: (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officerToken}`).send(institutionInput()).expect(201)).body.id,
    });
    await get(otherInstitution, `/notices/${noticeId}/status`, 404);

    const rendered = await get(officer, `/notices/${noticeId}`);
    expect(rendered.text).toContain(`href="/api/notices/${noticeId}/pdf"`);
    expect(rendered.text).toContain('data-state="rendered"');

    // A failed render says so, on the page and to the poller.
    await t.db.query(`UPDATE rectification_notice SET pdf_status = 'failed', pdf_failed_at = now() WHERE id = $1`, [noticeId]);
    expect((await get(officer, `/notices/${noticeId}`)).text).toContain('通知书 PDF 生成失败');
    expect((await get(officer, `/notices/${noticeId}/status`, 200, 'application/json')).body).toEqual({ pdfStatus: 'failed', pdfUrl: null });
    await t.db.query(`UPDATE rectification_notice SET pdf_status = 'rendered', pdf_failed_at = NULL WHERE id = $1`, [noticeId]);

    const print = (await get(officer, `/notices/${noticeId}/print`)).text;
    expect(print).toContain('class="notice-doc"');
    expect(print).toContain('<svg class="qr"');
    expect(print).toContain(noticeNo);

    const pdf = await t.http().get(`/api/notices/${noticeId}/pdf`).set('Authorization', `Bearer ${officerToken}`).buffer(true)
      .parse((res, done) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => done(null, Buffer.concat(chunks))); }).expect(200);
    const text = squash(pdfText(savePdf('notice-pages-e2e.pdf', pdf.body as Buffer)));
    expect(text).toContain(squash(`核验：${verifyUrl}`));
    expect(text).toContain('扫码核验真伪');
    expect(text).toContain(squash(noticeNo));
  });

  it('shows the same content in the preview as the issued notice prints', async () => {
    const { id } = await submittedInspection();
    const preview = (await get(officer, `/inspections/${id}/notice/preview`)).text;
    const location = (await post(officer, `/inspections/${id}/notice`, { _csrf: csrfIn(preview), confirmed: 'yes' }, 303)).headers.location as string;
    const noticePage = (await get(officer, location)).text;
    const body = (s: string) => /<tbody>([\s\S]*?)<\/tbody>/.exec(s.slice(s.indexOf('class="notice-doc"')))![1];
    expect(body(noticePage)).toBe(body(preview));
    const opening = (s: string) => /<p class="notice-addressee">[\s\S]*?<p class="notice-para">([^<]+)<\/p>/.exec(s)![1];
    expect(opening(noticePage)).toBe(opening(preview));
  });
});

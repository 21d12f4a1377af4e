import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { exifGps } from '../../src/evidence/exif-gps';
import { InspectionReportService } from '../../src/inspections/inspection-report.service';
import { createAccount, institutionInput, rowCount, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { heicHeader, hugeDimensionsPng, tinyPng, truncatedAlphaPng } from '../support/images';
import { FormItem, formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { jpegWithGps } from '../support/jpeg-with-gps';
import { pdfText, savePdf, squash } from '../support/pdf';
import { REPORTS_QUEUE } from '../../src/outbox/job-names';
import { waitForJob } from '../support/jobs';
import { createTestApp, TestApp } from '../support/test-app';

/** Every file under a folder (the evidence store, with its folder for uploads still streaming in). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

const CRASHING_PNGS = [
  { name: 'a PNG whose header claims 100000 × 100000 pixels', bytes: hugeDimensionsPng, reason: 'imageTooManyPixels' },
  { name: 'a truncated PNG with transparency', bytes: truncatedAlphaPng, reason: 'imageUndecodable' },
];

describe('images that cannot crash anything', () => {
  let t: TestApp;
  let evidenceDir: string;
  let officer: string;
  const team: TestAccount[] = [];
  const teamTokens: string[] = [];
  let outsider: string;
  let institutionId: string;
  let institutionToken: string;
  let inspectionId: string;
  let items: FormItem[];
  let photoItem: FormItem;

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const upload = (token: string, file: Buffer, fields: Record<string, string> = { inspectionId, itemCode: photoItem.code }, filename = 'photo.png') => {
    let req = t.http().post('/api/evidence').set(as(token));
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', file, { filename });
  };
  const healthy = async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    // The data folder is a dot-folder (`<tmp>/…/.data`), as the default is: stored files must still be served.
    t = await createTestApp({ EVIDENCE_MAX_MB: '1', OUTBOX_INTERVAL_MS: '200' });
    expect(t.config.DATA_DIR).toMatch(/\/\.data$/);
    evidenceDir = path.join(t.config.DATA_DIR, 'evidence');
    await seedDivisions(t.db);
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    for (let i = 0; i < 2; i++) {
      team.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
      teamTokens.push(await tokenFor(t, team[i]));
    }
    outsider = await tokenFor(t, await createAccount(t, 'inspector', { divisionCode: '320402' }));
    institutionId = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '青枫颐养院' })).expect(201)).body.id;
    institutionToken = await tokenFor(t, await createAccount(t, 'institution', { institutionId }));
    inspectionId = (await t.http().post('/api/inspections').set(as(officer))
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    items = await formItems(t, teamTokens[0], inspectionId);
    photoItem = items.find((i) => i.evidence.photoRequiredWhenFailed && i.severity === 'general')!;
  });
  afterAll(() => t.close());

  describe('finding photos', () => {
    for (const png of CRASHING_PNGS) {
      it(`${png.name}: 400 naming the file, nothing stored, the server stays up`, async () => {
        const files = filesUnder(evidenceDir);
        const rows = await rowCount(t.db, 'evidence');
        const res = await upload(teamTokens[0], png.bytes()).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: 'validation.failed' });
        expect(res.body.details).toEqual([expect.objectContaining({ field: 'file', reason: png.reason })]);
        expect(res.body.details[0].message).toMatch(/^file: /);
        expect(filesUnder(evidenceDir)).toEqual(files);
        expect(await rowCount(t.db, 'evidence')).toBe(rows);
        await healthy();
      });
    }

    it('HEIC, which the image library cannot decode, is refused with a reason that says what to do', async () => {
      const res = await upload(teamTokens[0], heicHeader(), undefined, 'IMG_0001.HEIC').set('Accept-Language', 'en').expect(400);
      expect(res.body.details[0]).toMatchObject({ field: 'file', reason: 'imageHeicUnsupported', message: expect.stringContaining('JPEG') });
    });

    it('a file above EVIDENCE_MAX_MB is cut off while it streams in: 413 in the one shape, no partial file left', async () => {
      const files = filesUnder(evidenceDir);
      const big = Buffer.concat([jpegWithGps(), Buffer.alloc(1.5 * 1024 * 1024, 7)]);
      const res = await upload(teamTokens[0], big, undefined, 'big.jpg').expect(413);
      expect(res.body).toMatchObject({ statusCode: 413, code: 'request.too_large', details: [expect.objectContaining({ field: 'file', reason: 'fileTooLarge' })] });
      expect(filesUnder(evidenceDir)).toEqual(files);
      await healthy();
    });

    it('an inspector off the team is refused before the file is accepted, and nothing is written', async () => {
      const files = filesUnder(evidenceDir);
      const res = await upload(outsider, jpegWithGps()).expect(404);
      expect(res.body.code).toBe('inspection.not_found');
      const unknownItem = await upload(teamTokens[0], jpegWithGps(), { inspectionId, itemCode: 'ZZZ-999' }).expect(400);
      expect(unknownItem.body.details[0]).toMatchObject({ field: 'itemCode', reason: 'itemNotApplicable' });
      const badField = await upload(teamTokens[0], jpegWithGps(), { inspectionId, itemCode: photoItem.code, lat: 'north' }).expect(400);
      expect(badField.body.details[0]).toMatchObject({ field: 'lat' });
      const noFile = await t.http().post('/api/evidence').set(as(teamTokens[0])).field('inspectionId', inspectionId).field('itemCode', photoItem.code).expect(400);
      expect(noFile.body.details[0]).toMatchObject({ field: 'file', reason: 'fileRequired' });
      expect(filesUnder(evidenceDir)).toEqual(files);
    });

    it('a JPEG with Exif GPS is stored as a canonical JPEG: GPS kept in the row, stripped from the bytes, served from the dot-folder', async () => {
      const original = jpegWithGps();
      const res = await upload(teamTokens[0], original, undefined, 'IMG_0002.jpg').expect(201);
      expect(res.body).toMatchObject({ mime: 'image/jpeg', gps: { source: 'exif' } });
      expect(res.body.gps.lat).toBeCloseTo(31.78, 2);
      expect(res.body.gps.lng).toBeCloseTo(119.95, 2);
      const served = await t.http().get(`/api/evidence/${res.body.id}`).set(as(teamTokens[0])).buffer(true)
        .parse((r, done) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => done(null, Buffer.concat(chunks))); })
        .expect(200).expect('Content-Type', 'image/jpeg');
      const bytes = served.body as Buffer;
      expect(bytes.equals(original)).toBe(false);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(res.body.sha256);
      expect(res.body.sizeBytes).toBe(bytes.length);
      expect(exifGps(bytes)).toBeNull();
      const meta = await sharp(bytes).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 32, height: 24 });
      expect(meta.exif).toBeUndefined();
      const [row] = await t.db.query('SELECT sha256, mime, gps_lat, gps_source FROM evidence WHERE id = $1', [res.body.id]);
      expect(row).toMatchObject({ sha256: res.body.sha256, mime: 'image/jpeg', gps_source: 'exif' });
      expect(fs.readFileSync(path.join(evidenceDir, row.sha256.slice(0, 2), row.sha256.slice(2, 4), row.sha256)).equals(bytes)).toBe(true);
      // A PNG photo is stored as JPEG too: one canonical format.
      const png = await upload(teamTokens[0], tinyPng(20, 10)).expect(201);
      expect(png.body.mime).toBe('image/jpeg');
      expect(filesUnder(path.join(evidenceDir, 'incoming'))).toEqual([]);
    });
  });

  describe('signatures', () => {
    for (const png of CRASHING_PNGS) {
      it(`${png.name} as a signature: 400 naming the signature, nothing written, the server stays up`, async () => {
        const files = filesUnder(evidenceDir);
        const counts = { evidence: await rowCount(t.db, 'evidence'), signatures: await rowCount(t.db, 'inspection_signature') };
        const body = submission(items, {}, team);
        body.signatures[1].image = `data:image/png;base64,${png.bytes().toString('base64')}`;
        const res = await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(teamTokens[0])).send(body).expect(400);
        expect(res.body.details).toEqual([expect.objectContaining({ field: 'signatures.1.image', reason: png.reason })]);
        expect(filesUnder(evidenceDir)).toEqual(files);
        expect({ evidence: await rowCount(t.db, 'evidence'), signatures: await rowCount(t.db, 'inspection_signature') }).toEqual(counts);
        await healthy();
      });
    }

    it('a submission refused by the team or completeness checks writes no signature file', async () => {
      const files = filesUnder(evidenceDir);
      // Unique signature bytes, so a written file would be a new one.
      const fresh = () => `data:image/png;base64,${tinyPng(41, 17, [Math.floor(Math.random() * 255), 10, 10]).toString('base64')}`;
      const body = submission(items, {}, team);
      body.signatures.forEach((s) => { s.image = fresh(); });
      await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(outsider)).send(body).expect(404);
      const incomplete = { ...body, responses: body.responses.slice(1) };
      await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(teamTokens[0])).send(incomplete).expect(422);
      const tooShort = { ...body, signatures: body.signatures.map((s, i) => (i === 0 ? { ...s, image: 'data:image/png;base64,iVA=' } : s)) };
      const short = await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(teamTokens[0])).send(tooShort).expect(400);
      expect(short.body.details[0]).toMatchObject({ field: 'signatures.0.image', reason: 'signatureImageInvalid' });
      expect(filesUnder(evidenceDir)).toEqual(files);
    });
  });

  describe('images stored by an earlier release', () => {
    let hazardId: string;

    it('corrupt photos already in the store do not crash the report PDF: it renders with a placeholder', async () => {
      // As the previous release stored them: the raw bytes under their hash, with an evidence row.
      const [inspection] = await t.db.query('SELECT division_path FROM inspection WHERE id = $1', [inspectionId]);
      const oldRows: string[] = [];
      for (const png of CRASHING_PNGS) {
        const bytes = png.bytes();
        const sha = createHash('sha256').update(bytes).digest('hex');
        const file = path.join(evidenceDir, sha.slice(0, 2), sha.slice(2, 4), sha);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, bytes);
        const [row] = await t.db.query(
          `INSERT INTO evidence (sha256, mime, size_bytes, purpose, inspection_id, item_code, institution_id, division_path, uploaded_by)
           VALUES ($1, 'image/png', $2, 'finding', $3, $4, $5, $6, $7) RETURNING id`,
          [sha, bytes.length, inspectionId, photoItem.code, institutionId, inspection.division_path, team[0].id]);
        oldRows.push(row.id);
      }
      const good = await uploadPhoto(t, teamTokens[0], inspectionId, photoItem.code);
      const res = await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(teamTokens[0]))
        .send(submission(items, { [photoItem.code]: [...oldRows, good] }, team)).expect(201);
      hazardId = res.body.hazards[0].id;
      // Rendered on the queue, in this process: a crash would end the test run.
      await waitForJob(t.app, REPORTS_QUEUE, `inspection-report-${inspectionId}`);
      expect((await t.db.query('SELECT report_status FROM inspection WHERE id = $1', [inspectionId]))[0].report_status).toBe('rendered');
      await healthy();
      const pdf = await t.http().get(`/api/inspections/${inspectionId}/report.pdf`).set(as(officer)).buffer(true)
        .parse((r, done) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => done(null, Buffer.concat(chunks))); })
        .expect(200).expect('Content-Type', 'application/pdf');
      const text = squash(pdfText(savePdf('images-old-corrupt-photos.pdf', pdf.body as Buffer)));
      expect(text.split('图片无法显示').length - 1).toBe(2);
    });

    it('corrupt signature images do not crash it either: 签名图像无法显示 instead of the image', async () => {
      const [inspection] = await t.db.query('SELECT division_path FROM inspection WHERE id = $1', [inspectionId]);
      const signatures: { role: string; user_id: string | null }[] = await t.db.query(
        'SELECT role, user_id FROM inspection_signature WHERE inspection_id = $1 ORDER BY role, user_id', [inspectionId]);
      expect(signatures.length).toBe(3);
      for (const [i, png] of CRASHING_PNGS.entries()) {
        const bytes = png.bytes();
        const sha = createHash('sha256').update(bytes).digest('hex');
        const [row] = await t.db.query(
          `INSERT INTO evidence (sha256, mime, size_bytes, purpose, inspection_id, item_code, institution_id, division_path, uploaded_by)
           VALUES ($1, 'image/png', $2, 'signature', $3, NULL, $4, $5, $6) RETURNING id`,
          [sha, bytes.length, inspectionId, institutionId, inspection.division_path, team[0].id]);
        await t.db.query('UPDATE inspection_signature SET evidence_id = $1 WHERE inspection_id = $2 AND role = $3 AND user_id IS NOT DISTINCT FROM $4',
          [row.id, inspectionId, signatures[i].role, signatures[i].user_id]);
      }
      expect(await t.app.get(InspectionReportService).render(inspectionId)).toBe(true);
      await healthy();
      const pdf = await t.http().get(`/api/inspections/${inspectionId}/report.pdf`).set(as(officer)).buffer(true)
        .parse((r, done) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => done(null, Buffer.concat(chunks))); })
        .expect(200);
      const text = squash(pdfText(savePdf('images-old-corrupt-signatures.pdf', pdf.body as Buffer)));
      expect(text.split('签名图像无法显示').length - 1).toBe(2);
      expect(text).not.toContain('未签名');
    });

    it('the notice PDF is served from the dot-folder too', async () => {
      const notice = (await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officer)).expect(201)).body;
      await waitForJob(t.app, REPORTS_QUEUE, `notice-pdf-${notice.id}`);
      await t.http().get(`/api/notices/${notice.id}/pdf`).set(as(institutionToken)).expect(200).expect('Content-Type', 'application/pdf');
    });

    for (const png of CRASHING_PNGS) {
      it(`${png.name} as a rectification after-photo: 400 naming the file, nothing stored`, async () => {
        const files = filesUnder(evidenceDir);
        const res = await t.http().post(`/api/hazards/${hazardId}/photos`).set(as(institutionToken))
          .attach('file', png.bytes(), { filename: 'after.png', contentType: 'image/png' }).expect(400);
        expect(res.body.details).toEqual([expect.objectContaining({ field: 'file', reason: png.reason })]);
        expect(filesUnder(evidenceDir)).toEqual(files);
        await healthy();
      });
    }

    it('an after-photo is stored as a canonical JPEG; a hazard out of scope is refused before the file is written', async () => {
      const ok = await t.http().post(`/api/hazards/${hazardId}/photos`).set(as(institutionToken))
        .attach('file', tinyPng(24, 24, [40, 160, 40]), { filename: 'after.png', contentType: 'image/png' }).expect(201);
      expect(ok.body.mime).toBe('image/jpeg');
      await t.http().get(`/api/evidence/${ok.body.id}`).set(as(institutionToken)).expect(200).expect('Content-Type', 'image/jpeg');
      const files = filesUnder(evidenceDir);
      const otherInstitution = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '远山养老院' })).expect(201)).body.id;
      const stranger = await tokenFor(t, await createAccount(t, 'institution', { institutionId: otherInstitution }));
      await t.http().post(`/api/hazards/${hazardId}/photos`).set(as(stranger))
        .attach('file', tinyPng(24, 24, [10, 10, 200]), { filename: 'after.png', contentType: 'image/png' }).expect(404);
      expect(filesUnder(evidenceDir)).toEqual(files);
    });
  });
});

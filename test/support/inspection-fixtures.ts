import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app';
import type { TestAccount } from './factories';
import { signaturePng, tinyPng } from './images';

export interface FormItem {
  code: string;
  title: { zh: string };
  severity: 'general' | 'major';
  majorCriterion: string | null;
  evidence: { photoRequiredWhenFailed: boolean; minPhotos: number };
}

export async function formItems(t: TestApp, token: string, inspectionId: string): Promise<FormItem[]> {
  const form = await t.http().get(`/api/inspections/${inspectionId}/form`).set('Authorization', `Bearer ${token}`).expect(200);
  return form.body.categories.flatMap((c: { items: FormItem[] }) => c.items);
}

export async function uploadPhoto(t: TestApp, token: string, inspectionId: string, itemCode: string, png = tinyPng()): Promise<string> {
  const res = await t.http().post('/api/evidence').set('Authorization', `Bearer ${token}`)
    .field('inspectionId', inspectionId).field('itemCode', itemCode).field('takenAt', new Date().toISOString())
    .attach('file', png, { filename: 'photo.png', contentType: 'image/png' }).expect(201);
  return res.body.id;
}

/** A complete submission: every item passes except `fails`, which get a note, location, scope and their photos. */
export function submission(items: FormItem[], fails: Record<string, string[]>, signers: TestAccount[], submissionId = randomUUID()) {
  return {
    submissionId,
    responses: items.map((i) => fails[i.code]
      ? { itemCode: i.code, result: 'fail', note: `${i.title.zh}：现场发现问题`, location: '2号楼3层东侧走廊', severity: i.severity,
          majorCriterion: i.majorCriterion ?? undefined, scope: 'single', evidenceIds: fails[i.code] }
      : { itemCode: i.code, result: 'pass' }),
    signatures: [
      ...signers.map((s) => ({ role: 'inspector', userId: s.id, signerName: s.username, image: signaturePng() })),
      { role: 'institution_representative', signerName: '李院长', image: signaturePng() },
    ],
  };
}

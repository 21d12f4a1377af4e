import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import sharp from 'sharp';
import { signaturePng } from '../support/images';
import { dotDataDir, StartedProduct, startProduct } from '../support/start-script';

/**
 * What a new user gets from the README's `npm start`: the real start script (embedded PostgreSQL in a `.data`
 * folder, migrations, demo city, HTTP and queue worker in one process). A photo, the inspection record PDF and the
 * notice PDF must download, through the API and through the links the pages print.
 */
describe('the default install (npm start, data in a .data folder)', () => {
  let product: StartedProduct;
  let root: string;

  beforeAll(async () => {
    const dirs = dotDataDir();
    root = dirs.root;
    product = await startProduct({ dataDir: dirs.dataDir });
  }, 180_000);

  afterAll(async () => {
    if (product) {
      const exit = await product.stop();
      expect(exit.code === 0 || exit.signal !== null).toBe(true);
    }
    fs.rmSync(root, { recursive: true, force: true });
  }, 60_000);

  const api = async (path: string, init: RequestInit & { token?: string; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(`${product.url}${path}`, { ...init, headers, body });
  };
  const tokenOf = async (username: string) => {
    const account = product.accounts.find((a) => a.username === username)!;
    const res = await api('/api/auth/tokens', { method: 'POST', json: { username, password: account.password } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { token: string }).token;
  };
  const waitFor200 = async (path: string, token: string): Promise<Response> => {
    const until = Date.now() + 60_000;
    for (;;) {
      const res = await api(path, { token });
      if (res.status === 200 || Date.now() > until) return res;
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  it('serves the stored photo, the record PDF and the notice PDF to users in scope, through the API and the pages', async () => {
    expect(product.dataDir).toMatch(/\/\.data$/);
    expect(fs.existsSync(`${product.dataDir}/pg/PG_VERSION`)).toBe(true);
    const inspector = await tokenOf('inspector');
    const officer = await tokenOf('officer');
    const second = await tokenOf('inspector2');
    const me = async (token: string) => ((await (await api('/api/auth/me', { token })).json()) as { id: string });
    const [inspectorId, secondId] = [(await me(inspector)).id, (await me(second)).id];

    const list = (await (await api('/api/inspections?pageSize=100', { token: inspector })).json()) as { items: { id: string; status: string }[] };
    const open = list.items.find((i) => i.status !== 'submitted' && i.status !== 'cancelled');
    expect(open).toBeDefined();
    const id = open!.id;
    const form = (await (await api(`/api/inspections/${id}/form`, { token: inspector })).json()) as {
      categories: { items: { code: string; severity: string; majorCriterion: string | null; title: { zh: string } }[] }[];
    };
    const items = form.categories.flatMap((c) => c.items);
    const failing = items.find((i) => i.severity === 'general')!;

    const upload = new FormData();
    upload.set('inspectionId', id);
    upload.set('itemCode', failing.code);
    upload.set('takenAt', new Date().toISOString());
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 60, b: 40 } } }).jpeg().toBuffer();
    upload.set('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'photo.jpg');
    const uploaded = await api('/api/evidence', { method: 'POST', token: inspector, body: upload });
    expect(uploaded.status).toBe(201);
    const photo = (await uploaded.json()) as { id: string; url: string };

    const submitted = await api(`/api/inspections/${id}/submit`, {
      method: 'POST', token: inspector,
      json: {
        submissionId: randomUUID(),
        responses: items.map((i) => i.code === failing.code
          ? { itemCode: i.code, result: 'fail', note: `${i.title.zh}：现场发现问题`, location: '1号楼2层走廊', severity: 'general', scope: 'single', evidenceIds: [photo.id] }
          : { itemCode: i.code, result: 'pass' }),
        signatures: [
          { role: 'inspector', userId: inspectorId, signerName: '检查员', image: signaturePng() },
          { role: 'inspector', userId: secondId, signerName: '检查员 李强', image: signaturePng() },
          { role: 'institution_representative', signerName: '李院长', image: signaturePng() },
        ],
      },
    });
    expect(submitted.status).toBe(201);

    // The photo, to the inspector who took it and to the officer of the district.
    for (const token of [inspector, officer]) {
      const res = await api(photo.url, { token });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^image\/(jpeg|png)/);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }

    // The inspection record PDF, rendered on the queue.
    const report = await waitFor200(`/api/inspections/${id}/report.pdf`, officer);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^application\/pdf/);
    expect(Buffer.from(await report.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    // The numbered notice and its PDF.
    const issued = await api(`/api/inspections/${id}/notice`, { method: 'POST', token: officer });
    expect(issued.status).toBe(201);
    const notice = (await issued.json()) as { id: string };
    const noticePdf = await waitFor200(`/api/notices/${notice.id}/pdf`, officer);
    expect(noticePdf.status).toBe(200);
    expect(noticePdf.headers.get('content-type')).toMatch(/^application\/pdf/);
    expect(Buffer.from(await noticePdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    // The same files through the links the pages print, with the web session cookie.
    const account = product.accounts.find((a) => a.username === 'officer')!;
    const login = await api('/api/auth/login', { method: 'POST', json: { username: 'officer', password: account.password }, headers: { Origin: product.url } });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const page = async (path: string) => {
      const res = await fetch(`${product.url}${path}`, { headers: { Cookie: cookie } });
      expect(res.status).toBe(200);
      return res.text();
    };
    const links = [
      ...(await page(`/inspections/${id}`)).matchAll(/href="(\/api\/[^"]+)"/g),
      ...(await page(`/notices/${notice.id}`)).matchAll(/href="(\/api\/[^"]+)"/g),
    ].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(links).toEqual(expect.arrayContaining([`/api/inspections/${id}/report.pdf`, `/api/notices/${notice.id}/pdf`]));
    for (const link of links) {
      const res = await fetch(`${product.url}${link}`, { headers: { Cookie: cookie } });
      expect({ link, status: res.status }).toEqual({ link, status: 200 });
      expect(res.headers.get('content-type')).toMatch(/^(application\/pdf|image\/)/);
    }
  }, 180_000);
});

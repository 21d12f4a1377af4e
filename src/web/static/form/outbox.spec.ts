import { classifyReply, CONFLICT_REASON, isSendable, nextEntry, OUTBOX_LABELS, othersText, outboxStore, refusalText, SENT_KEPT_MS, visibleEntries } from './outbox.js';

const ID = 'b0c1d2e3-0000-4000-8000-000000000009';
const SUB = 'a1b2c3d4-0000-4000-8000-000000000001';
const t0 = new Date('2026-12-01T02:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);
const queue = { type: 'queue' as const, inspectionId: ID, institutionName: '青枫颐养院', submissionId: SUB };

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

describe('outbox (待发送) transitions', () => {
  it('queued → sending → sent on 201, and a replayed submissionId (200) counts as sent', () => {
    const q = nextEntry(null, queue, t0)!;
    expect(q).toMatchObject({ state: 'queued', submissionId: SUB, attempts: 0, institutionName: '青枫颐养院' });
    const s = nextEntry(q, { type: 'send' }, later(1000))!;
    expect(s).toMatchObject({ state: 'sending', attempts: 1 });
    expect(nextEntry(s, { type: 'reply', status: 201 }, later(2000))).toMatchObject({ state: 'sent', sentAt: later(2000).toISOString(), reason: '' });
    expect(nextEntry(s, { type: 'reply', status: 200 })!.state).toBe('sent');
  });

  it('no signal, 5xx, 408, 429: back to queued with the reason; it is sent again', () => {
    const s = nextEntry(nextEntry(null, queue, t0), { type: 'send' })!;
    for (const r of [{ status: 0, networkError: true }, { status: 503 }, { status: 408 }, { status: 429 }]) {
      const n = nextEntry(s, { type: 'reply', ...r })!;
      expect(n.state).toBe('queued');
      expect(n.reason).not.toBe('');
      expect(isSendable(n)).toBe(true);
    }
  });

  it('an expired session says 需要重新登录 and keeps the item, which is sendable after signing in', () => {
    const s = nextEntry(nextEntry(null, queue, t0), { type: 'send' })!;
    const a = nextEntry(s, { type: 'reply', status: 401 })!;
    expect(a.state).toBe('auth');
    expect(a.submissionId).toBe(SUB);
    expect(isSendable(a)).toBe(true);
    expect(nextEntry(s, { type: 'reply', status: 403, code: 'csrf.invalid' })!.state).toBe('auth');
    expect(nextEntry(a, { type: 'send' })!.state).toBe('sending');
  });

  it('a 4xx refusal keeps the reason and waits for the inspector; 确认提交 again queues it with the same submissionId', () => {
    const s = nextEntry(nextEntry(null, queue, t0), { type: 'send' })!;
    const r = nextEntry(s, { type: 'reply', status: 400, message: 'responses.0.location 不能超过 200 个字符' })!;
    expect(r).toMatchObject({ state: 'refused', reason: 'responses.0.location 不能超过 200 个字符' });
    expect(isSendable(r)).toBe(false);
    expect(nextEntry(r, { type: 'send' })).toBe(r); // never resent by itself
    expect(nextEntry(s, { type: 'reply', status: 403 })!.state).toBe('refused'); // a 403 that is not the CSRF token
    const again = nextEntry(r, queue, later(5000))!;
    expect(again).toMatchObject({ state: 'queued', reason: '', queuedAt: t0.toISOString(), submissionId: SUB });
  });

  it('a sent entry stays sent; replies to an entry that is not sending change nothing', () => {
    const sent = nextEntry(nextEntry(nextEntry(null, queue), { type: 'send' }), { type: 'reply', status: 201 })!;
    expect(nextEntry(sent, queue)).toBe(sent);
    expect(nextEntry(sent, { type: 'hold' })).toBe(sent);
    const q = nextEntry(null, queue)!;
    expect(nextEntry(q, { type: 'reply', status: 201 })).toBe(q);
    expect(nextEntry(null, { type: 'send' })).toBeNull();
  });

  it('hold: the draft changed after 确认提交', () => {
    const h = nextEntry(nextEntry(null, queue), { type: 'hold' })!;
    expect(h.state).toBe('held');
    expect(isSendable(h)).toBe(false);
  });

  it('classifies replies', () => {
    expect(classifyReply({ status: 422, message: '缺少照片' })).toEqual({ state: 'refused', reason: '缺少照片' });
    expect(classifyReply({ status: 409 }).state).toBe('refused');
  });
});

describe('outbox store and what is shown', () => {
  it('keeps entries per inspection; sent ones are shown for a while, then dropped', () => {
    const store = outboxStore(memoryStorage());
    store.apply(ID, queue, t0);
    store.apply('other', { ...queue, inspectionId: 'other' }, later(10));
    store.apply(ID, { type: 'send' }, later(20));
    store.apply(ID, { type: 'reply', status: 201 }, later(30));
    expect(visibleEntries(store.all(), later(40)).map((e) => [e.inspectionId, e.state])).toEqual([[ID, 'sent'], ['other', 'queued']]);
    expect(visibleEntries(store.all(), later(SENT_KEPT_MS + 100)).map((e) => e.inspectionId)).toEqual(['other']);
    store.apply('other', { type: 'send' }, later(SENT_KEPT_MS + 200));
    expect(store.get(ID)).toBeNull(); // pruned on the next write
    expect(store.get('other')!.state).toBe('sending');
  });

  it('a send cut off (page closed mid-request) shows as queued again after a minute', () => {
    const store = outboxStore(memoryStorage());
    store.apply(ID, queue, t0);
    store.apply(ID, { type: 'send' }, t0);
    expect(visibleEntries(store.all(), later(30_000))[0].state).toBe('sending');
    expect(visibleEntries(store.all(), later(61_000))[0].state).toBe('queued');
  });

  it('survives unreadable storage', () => {
    const broken = { getItem: () => '{nope', setItem: () => { throw new Error('full'); }, removeItem: () => {} };
    const store = outboxStore(broken);
    expect(store.all()).toEqual({});
    expect(store.apply(ID, queue, t0)!.state).toBe('queued');
  });
});

describe('refusal text', () => {
  it('names the fields the server refused', () => {
    const data = { code: 'request.invalid', message: '请求参数不正确', details: [{ field: 'signatures.2.signerName', reason: 'maxLength', message: 'signatures.2.signerName: 不能超过 64 个字符' }] };
    expect(refusalText(data, 'x')).toBe('请求参数不正确：签名人姓名: 不能超过 64 个字符');
    expect(refusalText({ message: 'm', details: [{ message: 'responses.0.location: 太长' }] }, 'x')).toBe('m：第 1 项的位置: 太长');
    expect(refusalText(null, '服务器错误（400）')).toBe('服务器错误（400）');
  });
});

describe('shared phone: entries belong to the inspector who confirmed them', () => {
  const A = 'user-a';
  const B = 'user-b';

  it('stamps the entry with its user; another user neither sees nor gets it, only a count', () => {
    const storage = memoryStorage();
    const a = outboxStore(storage, A);
    expect(a.apply(ID, queue, t0)).toMatchObject({ userId: A, state: 'queued' });
    const b = outboxStore(storage, B);
    expect(b.get(ID)).toBeNull();
    expect(visibleEntries(b.mine())).toEqual([]);
    expect(b.others()).toBe(1);
    expect(othersText(b.others())).toBe('另一账号有 1 项未发送，请该账号登录后发送');
    // B's own submission of the same inspection does not overwrite A's
    b.apply(ID, { ...queue, submissionId: 'b-sub' }, t0);
    expect(a.get(ID)!.submissionId).toBe(SUB);
    expect(b.get(ID)).toMatchObject({ userId: B, submissionId: 'b-sub' });
    expect(Object.keys(a.mine())).toEqual([ID]);
    expect(a.others()).toBe(1);
  });

  it('an entry of the previous release (no user) is taken over only for the inspections the claimer may take', () => {
    const storage = memoryStorage();
    outboxStore(storage).apply(ID, queue, t0); // unstamped, as the previous release wrote it
    outboxStore(storage).apply('other', { ...queue, inspectionId: 'other' }, t0);
    const b = outboxStore(storage, B);
    expect(b.others()).toBe(2); // not claimed yet: counted, never sent
    expect(b.claim((id) => id === ID)).toBe(1);
    expect(b.get(ID)).toMatchObject({ userId: B, submissionId: SUB });
    expect(b.get('other')).toBeNull();
    expect(b.others()).toBe(1);
    expect(outboxStore(storage, A).claim(() => true)).toBe(1); // 'other' only: ID is B's now
    expect(outboxStore(storage, A).get(ID)).toBeNull();
  });

  it('a team conflict (409 team.conflicts_open / team.answer_differs) is refused with the reason, and a note keeps the state', () => {
    const s = nextEntry(nextEntry(null, queue, t0), { type: 'send' })!;
    for (const code of ['team.conflicts_open', 'team.answer_differs']) {
      expect(nextEntry(s, { type: 'reply', status: 409, code, message: 'x' })).toMatchObject({ state: 'refused', reason: CONFLICT_REASON });
    }
    const sent = nextEntry(s, { type: 'reply', status: 201 })!;
    expect(nextEntry(sent, { type: 'note', reason: '标注未被接受' })).toMatchObject({ state: 'sent', reason: '标注未被接受' });
  });

  it('the refused state reads 未被接受 (not a bureau\'s 复核退回)', () => {
    expect(OUTBOX_LABELS.refused).toBe('未被接受');
  });
});

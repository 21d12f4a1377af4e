import { gradeExpiringText, NOTIFICATION_KINDS, notificationHref } from './notification-kinds';
import { DELIVERY_MAX_ATTEMPTS, normalizeOutcome, retryAt } from './delivery-policy';
import { LogDeliveryAdapter } from './log-delivery.adapter';
import { deliveryAdapterFor } from './notifications.module';
import { inboxView } from '../web/notification-view';
import { DeliveryService } from './delivery.service';
import type { DataSource } from 'typeorm';
import type { DeliveryAdapter, PendingDelivery } from './delivery-adapter';
import type { NotificationsRepository } from './notifications.repository';
import { VOCABULARY } from '../common/vocabulary';

describe('notifications (pure parts)', () => {
  it('links each notification to the page of its object, and nothing for an object without a page', () => {
    expect(notificationHref('notice', 'n1')).toBe('/notices/n1');
    expect(notificationHref('hazard', 'h1')).toBe('/hazards/h1');
    expect(notificationHref('inspection', 'i1')).toBe('/inspections/i1');
    expect(notificationHref('institution', 'x')).toBe('/institutions/x');
    expect(notificationHref('grade_assessment', 'g')).toBe('/grades/g');
    expect(notificationHref('subsidy', 's')).toBeNull();
    // 等级即将到期 goes to the institution's 安全评分 page (grade and validity), not the registry page.
    expect(notificationHref('institution', 'x', 'grade.expiring')).toBe('/workspace/score');
    expect(notificationHref('institution', 'x', 'hazard.overdue')).toBe('/institutions/x');
  });

  it('words 等级即将到期 with its end date (not a countdown frozen when written) and no unsourced consequence', () => {
    const { title, body } = gradeExpiringText('二级', '2027-01-09');
    expect(title).toBe('等级评定将于 2027年1月9日 到期');
    expect(body).toBe('现评定等级：二级，有效期至 2027年1月9日。请关注等级有效期，按当地规定办理重新评定。');
    expect(title + body).not.toMatch(/还有|天|不再具有|民政部门/);
  });

  it('records whatever an adapter answers: a failure without a reason gets one, a strange answer is a retryable failure', () => {
    expect(normalizeOutcome({ status: 'sent' })).toEqual({ status: 'sent' });
    expect(normalizeOutcome({ status: 'failed' })).toEqual({ status: 'failed', reason: '未说明原因', retryable: false });
    expect(normalizeOutcome({ status: 'failed', reason: '  ', retryable: true })).toEqual({ status: 'failed', reason: '未说明原因', retryable: true });
    expect(normalizeOutcome({ status: 'failed', reason: 'x'.repeat(600) })).toEqual({ status: 'failed', reason: 'x'.repeat(500), retryable: false });
    expect(normalizeOutcome(undefined)).toEqual({ status: 'failed', reason: 'adapter returned no outcome', retryable: true });
    expect(normalizeOutcome({ status: 'ok' })).toEqual({ status: 'failed', reason: 'adapter returned status ok', retryable: true });
  });

  it('labels every kind in Chinese and English', () => {
    const terms = VOCABULARY.notificationKind as Record<string, { zh: string; en: string }>;
    expect(NOTIFICATION_KINDS.filter((k) => !terms[k]?.zh || !terms[k]?.en)).toEqual([]);
  });

  it('retries a retryable failure after 1, 2, 4, 8 minutes and gives up on the last attempt; a final failure is never retried', () => {
    const at = new Date('2026-12-01T08:00:00Z');
    expect([0, 1, 2, 3].map((before) => (retryAt(before, at, true)!.getTime() - at.getTime()) / 60_000)).toEqual([1, 2, 4, 8]);
    expect(retryAt(DELIVERY_MAX_ATTEMPTS - 1, at, true)).toBeNull();
    expect(retryAt(0, at, false)).toBeNull();
  });

  it('drain: a slow gateway gets the rest of the batch given back before the lease ends; an unrecorded outcome spoils nothing else', async () => {
    const row = (id: string): PendingDelivery => ({ id, channel: 'sms', attempts: 0, createdAt: new Date(), notification: { id: 'n', audience: 'user', institutionId: null, userId: 'u', divisionPath: '/', kind: 'k', title: 't', body: 'b', entityType: 'inspection', entityId: 'i' } });
    let clock = 1_000_000;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
    const recorded: string[] = [];
    const released: string[][] = [];
    const repo = {
      expirePending: async () => 0,
      claimBatch: async () => ['1', '2', '3', '4'].map(row),
      recordOutcome: async (_em: unknown, id: string) => { if (id === '1') throw new Error('db hiccup'); recorded.push(id); },
      releaseClaimed: async (_em: unknown, ids: string[]) => { released.push(ids); },
    } as unknown as NotificationsRepository;
    const slow: DeliveryAdapter = { name: 'slow', send: async () => { clock += 2 * 60_000; return { status: 'sent' }; } }; // 2 minutes each
    try {
      const result = await new DeliveryService({ manager: {} } as DataSource, repo, slow).drain(new Date(), 50);
      // 1 sent but not recorded (left to its lease), 2 and 3 recorded; after 6 minutes the 5-minute lease is over: 4 goes back unsent.
      expect(recorded).toEqual(['2', '3']);
      expect(released).toEqual([['4']]);
      expect(result).toEqual({ sent: 2, failed: 0, retrying: 0, expired: 0 });
    } finally {
      now.mockRestore();
    }
  });

  it('selects the log adapter by default, which reports every delivery sent', async () => {
    const adapter = deliveryAdapterFor({ NOTIFY_ADAPTER: 'log' });
    expect(adapter).toBeInstanceOf(LogDeliveryAdapter);
    await expect(adapter.send({
      id: '1', channel: 'sms', attempts: 0, createdAt: new Date(),
      notification: { id: 'n', audience: 'user', institutionId: null, userId: 'u', divisionPath: '/', kind: 'inspection.assigned', title: 't', body: 'b', entityType: 'inspection', entityId: 'i' },
    })).resolves.toEqual({ status: 'sent' });
  });

  it('builds the inbox view: labels, unread marks, the 全部 / 未读 tabs and 全部标为已读 only when something is unread', () => {
    const item = (id: string, read: boolean) => ({
      id, kind: 'hazard.returned', title: '整改被退回：A1', body: '照片看不清', createdAt: new Date('2026-12-01T02:30:00Z'), entityType: 'hazard', entityId: 'h', read, href: '/hazards/h',
    });
    const v = inboxView({ items: [item('a', false), item('b', true)], total: 2, page: 1, pageSize: 20, unread: 1 }, false);
    expect(v.rows.map((r) => [r.id, r.kindLabel, r.read, r.href])).toEqual([['a', '整改退回', false, '/hazards/h'], ['b', '整改退回', true, '/hazards/h']]);
    expect(v.rows[0].at).toContain('2026年12月1日');
    expect(v.offerReadAll).toBe(true);
    expect(v.tabs).toEqual([{ href: '/notifications', label: '全部', active: true }, { href: '/notifications?unread=true', label: '未读（1）', active: false }]);
    const none = inboxView({ items: [], total: 0, page: 1, pageSize: 20, unread: 0 }, true);
    expect(none.offerReadAll).toBe(false);
    expect(none.emptyText).toBe('没有未读通知。');
  });
});

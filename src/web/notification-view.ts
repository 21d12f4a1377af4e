import { formatChineseDateTime } from '../common/calendar';
import { Page } from '../common/pagination';
import { label } from '../common/vocabulary';
import type { InboxItem } from '../notifications/notifications.service';

/** One inbox row as the page shows it (decided here, rendered by notification-pages.ts). */
export interface InboxRowView {
  id: string;
  kindLabel: string;
  title: string;
  body: string;
  at: string;
  atIso: string;
  href: string | null;
  read: boolean;
}

export interface InboxView {
  rows: InboxRowView[];
  total: number;
  unread: number;
  unreadOnly: boolean;
  /** 全部标为已读 is offered only when something is unread */
  offerReadAll: boolean;
  /** the tabs: 全部 / 未读 */
  tabs: { href: string; label: string; active: boolean }[];
  emptyText: string;
}

/** The inbox page's decisions: labels, dates, links, what to offer. */
export function inboxView(page: Page<InboxItem> & { unread: number }, unreadOnly: boolean): InboxView {
  return {
    rows: page.items.map((n) => {
      const at = new Date(n.createdAt);
      return { id: n.id, kindLabel: label('notificationKind', n.kind), title: n.title, body: n.body, at: formatChineseDateTime(at), atIso: at.toISOString(), href: n.href, read: n.read };
    }),
    total: page.total,
    unread: page.unread,
    unreadOnly,
    offerReadAll: page.unread > 0,
    tabs: [
      { href: '/notifications', label: '全部', active: !unreadOnly },
      { href: '/notifications?unread=true', label: `未读（${page.unread}）`, active: unreadOnly },
    ],
    emptyText: unreadOnly ? '没有未读通知。' : '暂无通知。下达整改通知书、整改期限临近、复核结果、检查任务等事项发生时，会在这里提醒。',
  };
}

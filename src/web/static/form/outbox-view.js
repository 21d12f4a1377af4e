// @ts-check
/* The visible outbox (待发送), on the form page and on the task list: one line per submission with its state. */
import { el, hhmm } from './dom.js';
import { OUTBOX_LABELS } from './outbox.js';

/** @typedef {import('./outbox.js').OutboxEntry} OutboxEntry */

/**
 * @param {HTMLElement} box the container (#outbox); hidden when there is nothing to show
 * @param {OutboxEntry[]} entries
 * @param {{ here?: string, others?: string }} [opts] here: the inspection of the form page (its line needs no link
 *   to itself); others: the line counting other accounts' unsent entries on this device (shown, never listed)
 */
export function renderOutbox(box, entries, opts) {
  const here = (opts && opts.here) || '';
  const others = (opts && opts.others) || '';
  box.hidden = entries.length === 0 && !others;
  box.textContent = '';
  const othersLine = others ? el('p', { class: 'outbox-others muted', id: 'outbox-others', text: others }) : null;
  if (!entries.length) { if (othersLine) box.appendChild(othersLine); return; }
  const unsent = entries.filter((e) => e.state !== 'sent').length;
  box.appendChild(el('h2', { class: 'outbox-title', text: unsent ? '待发送（' + unsent + '）' : '提交记录' }));
  const list = el('ul', { class: 'outbox-list' });
  entries.forEach((e) => {
    const link = e.inspectionId === here ? null
      : e.state === 'refused' || e.state === 'held' ? el('a', { class: 'outbox-act', href: '/inspections/' + e.inspectionId + '/fill', text: '修改后重新提交' })
        : e.state === 'sent' ? el('a', { class: 'outbox-act', href: '/inspections/' + e.inspectionId, text: '查看' })
          : null;
    const login = e.state === 'auth'
      ? el('a', { class: 'outbox-act', href: '/login?next=' + encodeURIComponent(location.pathname), text: '重新登录' }) : null;
    list.appendChild(el('li', { class: 'outbox-item', 'data-state': e.state, 'data-inspection-id': e.inspectionId }, [
      el('span', { class: 'outbox-name', text: e.institutionName || '检查' }),
      el('span', { class: 'outbox-state state-' + e.state, text: OUTBOX_LABELS[e.state] }),
      el('span', { class: 'outbox-when muted', text: (e.state === 'sent' ? '提交于 ' + hhmm(e.sentAt) : '确认于 ' + hhmm(e.queuedAt)) }),
      e.reason ? el('span', { class: 'outbox-reason', text: e.reason }) : null,
      link, login,
    ]));
  });
  box.appendChild(list);
  if (othersLine) box.appendChild(othersLine);
}

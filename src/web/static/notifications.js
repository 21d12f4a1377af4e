// @ts-check
/**
 * 站内通知: following an unread notification's link marks it read first — the row's own "标为已读" form is posted
 * with next=open, and the server sends the browser on to the notification's object (303). Without this script the
 * link simply opens the object and the row stays unread until marked.
 */
document.addEventListener('click', (event) => {
  const target = /** @type {Element | null} */ (event.target instanceof Element ? event.target : null);
  const link = /** @type {HTMLAnchorElement | null} */ (target?.closest('a[data-read-form]') ?? null);
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const form = /** @type {HTMLFormElement | null} */ (document.getElementById(link.dataset.readForm ?? ''));
  const next = /** @type {HTMLInputElement | null} */ (form?.querySelector('input[name="next"]') ?? null);
  if (!form || !next) return;
  event.preventDefault();
  next.value = 'open';
  form.submit();
});

// @ts-check
/**
 * The notice page's PDF line: while the PDF is being rendered, asks GET /notices/:id/status (every 1.5 s, then
 * slower) and puts the download link in place when it is ready — or says that rendering failed (and keeps asking
 * slowly: a failed render is queued again). The line is an
 * aria-live region, so a screen reader hears the change. Without JavaScript the page says to come back later.
 */
const box = /** @type {HTMLElement | null} */ (document.getElementById('notice-pdf'));

/** @param {HTMLElement} el @param {Node} node */
function replaceWith(el, node) {
  el.replaceChildren(node);
}

/** @param {string} text @param {string} cls */
function line(text, cls) {
  const p = document.createElement('p');
  p.className = cls;
  p.textContent = text;
  return p;
}

if (box && box.dataset.state !== 'rendered' && box.dataset.statusUrl) {
  const url = box.dataset.statusUrl;
  const started = Date.now();
  let delay = 1500;
  const tick = async () => {
    try {
      const res = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
      if (res.ok) {
        const status = /** @type {{ pdfStatus: string, pdfUrl: string | null }} */ (await res.json());
        if (status.pdfStatus === 'rendered' && status.pdfUrl) {
          const a = document.createElement('a');
          a.className = 'button';
          a.href = status.pdfUrl;
          a.textContent = '查看通知书（PDF）';
          const wrap = document.createElement('div');
          wrap.append(line('通知书 PDF 已生成。', 'ok'), a);
          box.dataset.state = 'rendered';
          replaceWith(box, wrap);
          return;
        }
        if (status.pdfStatus === 'failed' && box.dataset.state !== 'failed') {
          // Said once; the render is queued again by the system, so keep asking (slowly) for the link.
          box.dataset.state = 'failed';
          replaceWith(box, line('通知书 PDF 生成失败，系统将自动重试；如长时间未生成，请联系管理员。', 'error'));
          delay = 15_000;
        }
      }
    } catch {
      // offline for a moment: try again
    }
    if (Date.now() - started > 10 * 60_000) {
      if (box.dataset.state === 'pending') replaceWith(box, line('通知书 PDF 仍在生成，请稍后刷新页面查看。', 'muted'));
      return;
    }
    delay = box.dataset.state === 'failed' ? 15_000 : Math.min(delay * 1.3, 10_000);
    setTimeout(tick, delay);
  };
  setTimeout(tick, delay);
}

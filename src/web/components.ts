import { Html, html } from '../common/html';
import type { Page } from '../common/pagination';
import type { Flash } from './view-common';

/** Small pieces the page templates share. */

/** A labelled form field: label, control, an optional hint (linked by aria-describedby when the control has `aria-describedby="<id>-hint"`). */
export function field(id: string, label: string, input: Html, hint?: string): Html {
  return html`<div class="field"><label for="${id}">${label}</label>${input}${hint ? html`<p class="muted" id="${id}-hint">${hint}</p>` : ''}</div>`;
}

/** The messages after a form: a success line (status) or the refusals (alert). */
export function flashBlock(flash: Flash | undefined): Html | string {
  if (!flash) return '';
  return html`${flash.ok ? html`<p class="ok" role="status">${flash.ok}</p>` : ''}${flash.errors?.length
    ? html`<div class="error" role="alert"><ul>${flash.errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}`;
}

/** "共 N 条，第 p / P 页" and 上一页 / 下一页 links that keep the filters. */
export function pager<T>(page: Page<T>, base: string, filters: Record<string, string>, unit = '条'): { summary: Html; nav: Html | string } {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const link = (p: number) => `${base}?${new URLSearchParams({ ...filters, page: String(p) }).toString()}`;
  return {
    summary: html`<p class="muted" aria-live="polite">共 ${page.total} ${unit}${page.total ? html`，第 ${page.page} / ${pages} 页` : ''}</p>`,
    nav: pages > 1 ? html`<nav class="pager" aria-label="分页">
  ${page.page > 1 ? html`<a class="button" href="${link(page.page - 1)}">上一页</a>` : html`<span></span>`}
  ${page.page < pages ? html`<a class="button" href="${link(page.page + 1)}">下一页</a>` : html`<span></span>`}</nav>` : '',
  };
}

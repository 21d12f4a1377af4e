import { Html, html } from '../common/html';
import { pager } from './components';
import type { AuditLogPage, AuditRow, Choice, VerificationView } from './account-view';

/** 审计日志 page: the chain verification, the filters, the events with before/after side by side. Render only. */

function options(choices: Choice[], selected: string | undefined): Html {
  return html`<option value="">全部</option>${choices.map((c) => html`<option value="${c.value}"${c.value === selected ? html` selected` : ''}>${c.label}</option>`)}`;
}

export function verificationBlock(v: VerificationView | null, mayVerify: boolean, csrf: string, justVerified = false): Html {
  return html`<section class="card audit-verify" id="verification" aria-labelledby="verify-h">
  <h2 id="verify-h">审计链校验</h2>
  <p class="muted">每条审计事件提交后约一秒内被封存：按提交顺序编号，带有前一条的哈希和以库外密钥计算的校验码；链头定时记入检查点（数据库、数据目录中的锚定文件和公示数据）。任何删除、插入、改动、重排或删除最新事件都会被发现。校验会从第一条事件起重新计算整条链。</p>
  ${v
    ? html`<p class="${v.ok ? 'ok' : 'error'}" role="${justVerified ? (v.ok ? 'status' : 'alert') : 'note'}" data-verification="${v.ok ? 'ok' : 'broken'}">
      <b>${v.verdict}</b>　${v.summary}</p>
      ${v.warnings.length ? html`<ul class="warn audit-warnings" aria-label="注意">${v.warnings.map((w) => html`<li>注意：${w}</li>`)}</ul>` : ''}
      <p class="muted">${justVerified ? '刚刚校验' : '最近一次校验'}：${v.at}${v.by ? html`（${v.by}）` : ''}</p>`
    : html`<p class="muted">本辖区还没有校验过审计链。</p>`}
  ${mayVerify ? html`<form method="post" action="/audit/verify"><input type="hidden" name="_csrf" value="${csrf}"><button class="primary" type="submit">校验审计链</button></form>` : ''}
</section>`;
}

function diffTable(r: AuditRow): Html {
  if (!r.diff.length) return html`<p class="muted">此事件没有记录字段变化。</p>`;
  return html`<div class="table-wrap"><table class="data audit-diff"><caption class="muted">变更前后对照${r.diff.some((d) => !d.changed) ? '' : '（仅列出变化的字段）'}</caption>
<thead><tr><th scope="col">字段</th><th scope="col">变更前</th><th scope="col">变更后</th></tr></thead>
<tbody>${r.diff.map((d) => html`<tr${d.changed ? html` class="audit-changed"` : ''}><th scope="row"><code>${d.field}</code></th><td>${d.before}</td><td>${d.after}</td></tr>`)}</tbody></table></div>`;
}

export function auditLogPage(v: AuditLogPage): Html {
  const f = v.filters;
  const { summary, nav } = pager(v.list, '/audit', f, '条事件');
  return html`<link rel="stylesheet" href="/static/accounts.css">
<h1>审计日志</h1>
<p class="muted">本辖区最近一条事件：${v.lastEventAt ?? '暂无'}</p>
${verificationBlock(v.verification, v.mayVerify, v.csrf, v.justVerified)}
<form class="card filters audit-filters" method="get" action="/audit" role="search">
  <div><label for="f-type">对象类型</label><select id="f-type" name="entityType">${options(v.entityTypes, f.entityType)}</select></div>
  <div><label for="f-eid">对象编号</label><input id="f-eid" type="search" name="entityId" value="${f.entityId ?? ''}" placeholder="如账号或机构的编号"></div>
  <div><label for="f-actor">操作人（用户名）</label><input id="f-actor" type="search" name="actor" value="${f.actor ?? ''}" autocapitalize="off" spellcheck="false"></div>
  <div><label for="f-action">操作</label><select id="f-action" name="action">${options(v.actions, f.action)}</select></div>
  <div><label for="f-from">自</label><input id="f-from" type="date" name="from" value="${f.from ?? ''}"></div>
  <div><label for="f-to">至</label><input id="f-to" type="date" name="to" value="${f.to ?? ''}"></div>
  <div><button class="primary" type="submit">筛选</button></div>
</form>
<section id="events" aria-labelledby="events-h"><h2 id="events-h">事件</h2>
${summary}
${v.list.items.length === 0
    ? html`<div class="empty">${Object.keys(f).length ? html`没有符合条件的事件。请调整筛选条件，或<a href="/audit">清除筛选</a>。` : '本辖区还没有审计事件。创建账号、登记机构、提交检查等操作都会记录在这里。'}</div>`
    : html`<ol class="audit-events">${v.list.items.map((r) => html`<li class="card audit-event" data-event="${r.id}">
  <div class="audit-line"><span class="audit-id">#${r.id}</span><span class="audit-at">${r.at}</span>
    <span class="audit-actor">${r.actor}<span class="muted">（${r.actorRole}）</span></span>
    <b class="audit-action" title="${r.actionCode}">${r.action}</b>
    <span class="audit-entity">${r.entityType}：${r.entityHref ? html`<a href="${r.entityHref}">${r.entityId}</a>` : r.entityId}</span></div>
  <details><summary>变更前后（${r.diff.length} 个字段）</summary>${diffTable(r)}${r.requestId ? html`<p class="muted">请求编号：<code>${r.requestId}</code></p>` : ''}</details>
</li>`)}</ol>`}
${nav}</section>`;
}

import { Html, html } from '../common/html';
import { KIND_LABELS, ROLE_LABELS, STATUS_LABELS } from '../common/labels';
import type { Institution } from '../institutions/institution.entity';
import type { Hazard } from '../hazards/hazard.entity';
import { hazardRows, inspectionRows } from './inspection-pages';
import type { HomePage } from './view-models';
import type { AdminHome } from './home-view';
import type { AccountSummary } from '../users/users.service';
import type { AuditStatus } from '../audit/audit.service';
import { verificationBlock } from './audit-pages';

export function loginPage(opts: { csrf: string; next: string; username?: string; error?: string }): Html {
  return html`
<h1>登录</h1>
<form class="card" method="post" action="/login" novalidate>
  ${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}
  <input type="hidden" name="_csrf" value="${opts.csrf}">
  <input type="hidden" name="next" value="${opts.next}">
  <label for="username">用户名</label>
  <input id="username" name="username" type="text" autocomplete="username" autocapitalize="off" required value="${opts.username ?? ''}">
  <label for="password">密码</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button class="primary wide" type="submit">登录</button>
</form>
<p class="muted">演示账号在首次运行 <code>npm start</code> 时打印在终端，并保存在 <code>.data/demo-accounts.json</code>。</p>`;
}

export interface BureauHomeData {
  total: number;
  byKind: { kind: string; count: number }[];
  suspended: number;
}

export interface HomeData {
  bureau?: BureauHomeData;
  /** a bureau admin's home: its accounts and the audit log's state */
  admin?: { accounts: AccountSummary; audit: AuditStatus };
  institution?: Institution | null;
  hazards?: Hazard[];
  tasks?: Parameters<typeof inspectionRows>[0];
}

export function homePage(v: HomePage): Html {
  const { viewer, data } = v;
  const greeting = html`<h1>您好，${viewer.displayName}</h1><p class="muted">${ROLE_LABELS[viewer.role]}</p>`;
  const buttons = html`<p>${v.links.map((l, n) => html`${n ? ' ' : ''}<a class="button" href="${l.href}">${l.label}</a>`)}</p>`;
  if (data.bureau) {
    const b = data.bureau;
    return html`${greeting}
<section aria-labelledby="s-inst"><h2 id="s-inst">辖区养老机构</h2>
<div class="grid">
  <a class="stat" href="/institutions"><b>${b.total}</b>机构总数</a>
  ${b.byKind.map((k) => html`<a class="stat" href="/institutions?kind=${k.kind}"><b>${k.count}</b>${KIND_LABELS[k.kind]}</a>`)}
  <a class="stat" href="/institutions?status=suspended"><b>${b.suspended}</b>停业整顿</a>
</div></section>
${v.admin ? adminSections(v.admin) : ''}
${buttons}
<section class="card"><h2>接口与导出</h2><p class="muted">全部功能均提供 API（<a href="/api/docs">OpenAPI 文档</a>），便于对接其他系统。</p></section>`;
  }
  if (data.tasks) {
    return html`${greeting}
<section aria-labelledby="s-tasks"><h2 id="s-tasks">我的检查任务</h2>
${inspectionRows(data.tasks, html`暂无分配给您的检查任务。<br>监管人员制定检查计划（含“双随机”抽取）后，任务会出现在这里。`)}</section>
${buttons}`;
  }
  const inst = data.institution;
  return html`${greeting}
${inst ? html`<section class="card"><h2>${inst.name}</h2><p class="muted">${KIND_LABELS[inst.kind]} · ${STATUS_LABELS[inst.status]}</p>
<p><a class="button" href="/institutions/${inst.id}">查看本机构档案</a></p></section>` : ''}
${buttons}
<section aria-labelledby="s-hazards"><h2 id="s-hazards">待整改隐患（${(data.hazards ?? []).length}）</h2>
${(data.hazards ?? []).length ? hazardRows(data.hazards!, v.today)
    : html`<div class="empty">目前没有待整改的隐患。检查发现隐患后，会在这里显示整改期限。</div>`}</section>`;
}

/** The admin's part of the home page: accounts by role, the disabled ones, the newest; the audit log's state. */
function adminSections(a: AdminHome): Html {
  return html`<link rel="stylesheet" href="/static/accounts.css">
<div class="home-admin">
<section aria-labelledby="s-acc"><h2 id="s-acc">账号</h2>
<div class="grid">
  <a class="stat" href="/accounts"><b>${a.total}</b>账号总数</a>
  ${a.byRole.map((r) => html`<a class="stat" href="/accounts?role=${r.role}"><b>${r.count}</b>${r.label}</a>`)}
  <a class="stat" href="/accounts?status=disabled"><b>${a.disabled}</b>已停用</a>
</div>
${a.recent.length
    ? html`<div class="table-wrap"><table class="data"><caption class="muted">最近创建的账号</caption>
<thead><tr><th scope="col">用户名</th><th scope="col">姓名</th><th scope="col">角色</th><th scope="col">创建时间</th><th scope="col">最近登录</th></tr></thead>
<tbody>${a.recent.map((u) => html`<tr><td><a href="/accounts/${u.id}">${u.username}</a></td><td>${u.displayName}</td><td>${u.roleLabel}</td><td>${u.createdAt}</td><td>${u.lastSignIn}</td></tr>`)}</tbody></table></div>`
    : html`<div class="empty">辖区内还没有其他账号。<a href="/accounts/new">新建账号</a>。</div>`}
<p><a class="button" href="/accounts/new">新建账号</a> <a class="button secondary" href="/accounts">全部账号</a></p>
</section>
<section aria-labelledby="s-audit"><h2 id="s-audit">审计日志</h2>
<p class="muted">本辖区最近一条事件：${a.lastEventAt ?? '暂无'}　<a href="/audit">查看审计日志</a></p>
${verificationBlock(a.verification, a.mayVerify, a.csrf)}
</section>
</div>`;
}

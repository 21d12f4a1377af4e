import { Html, html } from '../common/html';
import { field, flashBlock, pager } from './components';
import type { AccountConfirmPage, AccountDetailPage, AccountFormPage, AccountListPage, Choice, IssuedPasswordPage } from './account-view';

/** 账号 pages: the list, the creation form, one account, the confirmations and the one-time password. Render only. */

const STYLES = html`<link rel="stylesheet" href="/static/accounts.css">`;
const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

function options(choices: Choice[], selected: string | undefined, empty?: string): Html {
  return html`${empty !== undefined ? html`<option value="">${empty}</option>` : ''}${choices.map((c) => html`<option value="${c.value}"${c.value === selected ? html` selected` : ''}>${c.label}</option>`)}`;
}

export function accountListPage(v: AccountListPage): Html {
  const f = v.filters;
  const { summary, nav } = pager(v.list, '/accounts', f, '个账号');
  const filtered = Object.keys(f).length > 0;
  return html`${STYLES}
<div class="acc-head"><h1>账号</h1>${v.mayCreate ? html`<a class="button" href="/accounts/new">新建账号</a>` : ''}</div>
${flashBlock(v.flash)}
<form class="card filters" method="get" action="/accounts" role="search">
  <div><label for="f-q">用户名或姓名</label><input id="f-q" type="search" name="q" value="${f.q ?? ''}" placeholder="输入关键字"></div>
  <div><label for="f-role">角色</label><select id="f-role" name="role">${options(v.roles, f.role, '全部')}</select></div>
  <div><label for="f-status">状态</label><select id="f-status" name="status">${options(v.statuses, f.status, '全部')}</select></div>
  <div><label for="f-div">行政区划</label><select id="f-div" name="divisionCode">${options(v.divisions, f.divisionCode, '全部')}</select></div>
  <div><button class="primary" type="submit">筛选</button></div>
</form>
${summary}
${v.list.items.length === 0
    ? html`<div class="empty">${filtered ? html`没有符合条件的账号。请调整筛选条件，或<a href="/accounts">清除筛选</a>。` : html`辖区内还没有账号。<a href="/accounts/new">新建账号</a>，为监管人员、检查员或机构开通登录。`}</div>`
    : html`<div class="table-wrap"><table class="data acc-table"><caption class="muted">账号列表（按用户名排序）</caption>
<thead><tr><th scope="col">用户名</th><th scope="col">姓名</th><th scope="col">角色</th><th scope="col">所属区划 / 机构</th><th scope="col">状态</th><th scope="col">最近登录</th><th scope="col">创建时间</th></tr></thead>
<tbody>${v.list.items.map((a) => html`<tr${a.disabled ? html` class="acc-disabled"` : ''}>
  <td><a href="/accounts/${a.id}">${a.username}</a></td><td>${a.displayName}</td><td>${a.roleLabel}</td><td>${a.place}</td>
  <td>${a.disabled ? html`<span class="tag warn">${a.statusLabel}</span>` : html`<span class="tag">${a.statusLabel}</span>`}</td>
  <td>${a.lastSignIn}</td><td>${a.createdAt}</td></tr>`)}</tbody></table></div>`}
${nav}`;
}

export function accountFormPage(v: AccountFormPage): Html {
  const d = v.draft;
  return html`${STYLES}
<h1>新建账号</h1>
${flashBlock(v.flash)}
<form class="card acc-form" method="post" action="/accounts" novalidate>
  ${csrfField(v.csrf)}
  ${field('username', '用户名', html`<input id="username" name="username" type="text" autocomplete="off" autocapitalize="off" spellcheck="false" required maxlength="64" value="${d.username ?? ''}" aria-describedby="username-hint">`, '字母、数字和 . _ -，3–64 位；登录时使用，创建后不能修改。')}
  ${field('displayName', '姓名', html`<input id="displayName" name="displayName" type="text" required maxlength="64" value="${d.displayName ?? ''}">`)}
  ${field('role', '角色', html`<select id="role" name="role" required>${options(v.roles, d.role || 'bureau_officer')}</select>`)}
  <fieldset class="acc-where"><legend>所属</legend>
  ${field('divisionCode', '行政区划（监管人员、检查员、管理员）', html`<select id="divisionCode" name="divisionCode" aria-describedby="divisionCode-hint">${options(v.divisions, d.divisionCode, '请选择')}</select>`, '账号只能看到并处理该区划及其下级的数据。只列出您的辖区。')}
  ${field('warrantNo', '执法证号（监管人员、检查员；选填）', html`<input id="warrantNo" name="warrantNo" type="text" maxlength="32" autocomplete="off" spellcheck="false" value="${d.warrantNo ?? ''}" aria-describedby="warrantNo-hint">`, '行政执法证号。被检查机构核验检查码时会看到检查人员的姓名和执法证号；未填写时显示“未登记”。')}
  ${field('institutionId', '机构（机构用户）', html`<select id="institutionId" name="institutionId" aria-describedby="institutionId-hint">${options(v.institutions, d.institutionId, v.institutions.length ? '请选择' : '辖区内暂无机构')}</select>`, '机构用户只能看到本机构的检查、隐患和通知书。只列出您辖区内的机构。')}
  </fieldset>
  <p class="muted">不需要填写密码：创建后系统生成一次性密码，只在下一页显示一次，请当场复制并交给本人。</p>
  <p><button class="primary" type="submit">创建账号</button> <a class="button secondary" href="/accounts">取消</a></p>
</form>
<script type="module" src="/static/accounts.js"></script>`;
}

export function accountDetailPage(v: AccountDetailPage): Html {
  const a = v.account;
  return html`${STYLES}
<h1>${a.displayName} <span class="muted acc-username">${a.username}</span></h1>
${flashBlock(v.flash)}
<section class="card"><h2>账号信息</h2><dl class="profile">
  <dt>用户名</dt><dd>${a.username}</dd>
  <dt>姓名</dt><dd>${a.displayName}</dd>
  <dt>角色</dt><dd>${a.roleLabel}</dd>
  <dt>所属</dt><dd>${a.place}</dd>
  ${v.offerWarrant ? html`<dt>执法证号</dt><dd data-role="warrant-no">${a.warrantNo ?? html`<span class="tag warn">未登记</span>`}</dd>` : ''}
  <dt>状态</dt><dd>${a.disabled ? html`<span class="tag warn">${a.statusLabel}</span>` : a.statusLabel}</dd>
  <dt>最近登录</dt><dd>${a.lastSignIn}</dd>
  <dt>创建时间</dt><dd>${a.createdAt}</dd>
</dl></section>
<section class="card"><h2>操作</h2>
  ${v.disableNote ? html`<p class="muted">${v.disableNote}</p>` : ''}
  <div class="acc-actions">
  ${v.offerReset ? html`<a class="button secondary" href="/accounts/${a.id}/reset-password">重置密码…</a>` : ''}
  ${v.offerDisable ? html`<a class="button secondary" href="/accounts/${a.id}/disable">停用账号…</a>` : ''}
  ${v.offerEnable ? html`<form method="post" action="/accounts/${a.id}/enable" class="inline">${csrfField(v.csrf)}<input type="hidden" name="version" value="${a.version}"><button class="primary" type="submit">重新启用</button></form>` : ''}
  </div>
  ${v.offerEnable ? html`<p class="muted">重新启用后，该账号可以用原密码登录；如果密码已遗失，请在启用后重置密码。</p>` : ''}
</section>
${v.offerWarrant ? html`<section class="card"><h2>执法证号</h2>
<form method="post" action="/accounts/${a.id}/warrant" class="acc-warrant" novalidate>${csrfField(v.csrf)}<input type="hidden" name="version" value="${a.version}">
  ${field('warrant-no', '执法证号', html`<input id="warrant-no" name="warrantNo" type="text" maxlength="32" autocomplete="off" spellcheck="false" value="${a.warrantNo ?? ''}" aria-describedby="warrant-no-hint">`, '被检查机构核验检查码时看到。留空保存即清除。')}
  <button class="primary" type="submit">保存执法证号</button></form></section>` : ''}
<section class="card"><h2>审计记录</h2><p>${v.links.map((l, n) => html`${n ? '　' : ''}<a href="${l.href}">${l.label}</a>`)}</p></section>
<p><a href="/accounts">← 返回账号列表</a></p>`;
}

export function accountConfirmPage(v: AccountConfirmPage): Html {
  const a = v.account;
  const action = v.kind === 'disable' ? 'disable' : 'reset-password';
  return html`${STYLES}
<h1>${v.title}</h1>
${flashBlock(v.flash)}
<form class="card acc-confirm" method="post" action="/accounts/${a.id}/${action}">
  ${csrfField(v.csrf)}<input type="hidden" name="version" value="${a.version}">
  <h2>确认后：</h2>
  <ul>${v.consequences.map((c) => html`<li>${c}</li>`)}</ul>
  <label class="check" for="confirm"><input id="confirm" name="confirm" type="checkbox" value="on" required> ${v.checkboxLabel}</label>
  <p><button class="primary" type="submit">${v.button}</button> <a class="button secondary" href="/accounts/${a.id}">取消</a></p>
</form>`;
}

export function issuedPasswordPage(v: IssuedPasswordPage): Html {
  const a = v.account;
  const heading = v.reason === 'created' ? '账号已创建' : '密码已重置';
  return html`${STYLES}
<h1>${heading}：${a.displayName}</h1>
<section class="card"><dl class="profile">
  <dt>用户名</dt><dd><code>${a.username}</code></dd>
  <dt>角色</dt><dd>${a.roleLabel}</dd>
</dl></section>
${v.password
    ? html`<section class="card acc-secret" aria-labelledby="otp-h">
  <h2 id="otp-h">一次性密码</h2>
  <p class="acc-warning" role="alert"><b>此密码只显示这一次。</b>离开或刷新本页后将无法再次查看；系统不保存密码明文。</p>
  <p class="acc-password"><label for="otp">密码</label><input id="otp" class="acc-otp" type="text" readonly value="${v.password}" autocomplete="off" spellcheck="false">
  <button class="primary" type="button" id="otp-copy" data-copy="otp">复制</button></p>
  <p class="muted" id="otp-status" role="status">请点“复制”（或选中后按 Ctrl+C），通过当面或其他安全渠道交给 ${a.displayName} 本人。本系统暂不支持首次登录强制改密，请提醒本人妥善保管。</p>
</section>
<script type="module" src="/static/accounts.js"></script>`
    : html`<section class="card"><p class="acc-warning" role="status">一次性密码只显示一次，已经显示过（或已超过 10 分钟），不会再次显示。</p>
  <p>如果密码没有记下，请<a href="/accounts/${a.id}/reset-password">重置密码</a>生成新的一次性密码。</p></section>`}
<p><a class="button" href="/accounts/${a.id}">查看账号</a> <a class="button secondary" href="/accounts">返回账号列表</a></p>`;
}

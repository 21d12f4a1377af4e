/** 人员与设备台账 page: renders the view model of register-view.ts only. */
import { formatChineseDate } from '../common/calendar';
import { Html, html } from '../common/html';
import type { Chip, RegisterPageView } from './register-view';

const hidden = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;
const field = (id: string, labelText: string, input: Html, hint?: string) =>
  html`<div class="field"><label for="${id}">${labelText}</label>${input}${hint ? html`<p class="muted" id="${id}-hint">${hint}</p>` : ''}</div>`;
const chip = (c: Chip) => html`<span class="tag${c.warn ? ' warn' : ''}">${c.text}</span>`;
const date = (d: string | null) => (d ? formatChineseDate(d) : '—');
const select = (id: string, name: string, options: [string, string][], chosen = '', required = true) =>
  html`<select id="${id}" name="${name}"${required ? html` required` : ''}>${options.map(([v, l]) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${l}</option>`)}</select>`;

function flashBlock(v: RegisterPageView): Html {
  const f = v.flash;
  return html`${f.ok ? html`<p class="ok" role="status">${f.ok}</p>` : ''}
${f.errors?.length ? html`<div class="error" role="alert" tabindex="-1" id="error-summary"><p>请检查以下内容：</p><ul>${f.errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}`;
}

function pager(p: { prev: string | null; next: string | null }, name: string): Html {
  if (!p.prev && !p.next) return html``;
  return html`<nav class="pager" aria-label="${name}分页">${p.prev ? html`<a class="button" href="${p.prev}">上一页</a>` : html`<span></span>`}${p.next ? html`<a class="button" href="${p.next}">下一页</a>` : html`<span></span>`}</nav>`;
}

/** An irreversible step: a checkbox to confirm inside a disclosure, then the button. */
function retireForm(action: string, csrf: string, version: number, what: string): Html {
  const id = `confirm-${action.replace(/[^a-z0-9]/gi, '')}`;
  return html`<details><summary>停用</summary><form method="post" action="${action}">${hidden(csrf)}<input type="hidden" name="version" value="${version}">
  <p class="muted">停用后${what}不再出现在台账、到期提醒和公示牌中，记录保留备查，不能恢复。</p>
  <div class="field"><label><input type="checkbox" name="confirm" value="yes" required id="${id}"> 我确认停用${what}</label></div>
  <button class="primary secondary" type="submit">确认停用</button></form></details>`;
}

function staffSection(v: RegisterPageView): Html {
  const base = `/institutions/${v.institution.id}/registers/staff`;
  return html`<section class="card" aria-labelledby="staff-h"><h2 id="staff-h">在岗人员与岗位</h2>
<p class="muted">安全责任人、安全管理人、安全员和消控室值班人员（须持消防设施操作员证书，24 小时双人值班）。安全责任人和安全员印在公示牌上，须填写联系电话。</p>
${v.staff.items.length === 0 ? html`<div class="empty">尚未登记人员。请先登记安全责任人和安全员${v.can.manage ? '（见下方表单）' : ''}。</div>`
    : html`<ul class="list">${v.staff.items.map((s) => html`<li><span class="name">${s.name}</span> <span class="muted">${s.roleLabels}${s.post ? ` · ${s.post}` : ''}${s.phone ? ` · ${s.phone}` : ''}</span>
  ${v.can.manage ? html`<details><summary>修改</summary><form method="post" action="${base}/${s.id}">${hidden(v.csrf)}<input type="hidden" name="version" value="${s.version}">
    ${staffFields(v, `s-${s.id}`, { name: s.name, post: s.post ?? '', phone: s.phone ?? '', roles: s.roles })}
    <button class="primary" type="submit">保存</button></form></details>${retireForm(`${base}/${s.id}/retire`, v.csrf, s.version, `“${s.name}”及其证书`)}` : ''}</li>`)}</ul>`}
${pager(v.pager.staff, '人员')}
${v.can.manage ? html`<details${v.draft.form === 'staff' ? html` open` : ''}><summary>登记人员</summary><form method="post" action="${base}">${hidden(v.csrf)}
  ${staffFields(v, 'new-staff', { name: v.draft.name ?? '', post: v.draft.post ?? '', phone: v.draft.phone ?? '', roles: (v.draft.roles ?? '').split(',').filter(Boolean) })}
  <button class="primary wide" type="submit">登记</button></form></details>` : ''}
</section>`;
}

function staffFields(v: RegisterPageView, id: string, s: { name: string; post: string; phone: string; roles: readonly string[] }): Html {
  return html`${field(`${id}-name`, '姓名', html`<input type="text" id="${id}-name" name="name" value="${s.name}" required maxlength="50" autocomplete="name">`)}
<fieldset><legend>岗位（可多选）</legend>${v.options.roles.map(([r, l]) => html`<label class="check"><input type="checkbox" name="roles" value="${r}"${s.roles.includes(r) ? html` checked` : ''}> ${l}</label> `)}</fieldset>
${field(`${id}-post`, '职务（可选）', html`<input type="text" id="${id}-post" name="post" value="${s.post}" maxlength="50">`)}
${field(`${id}-phone`, '联系电话', html`<input type="tel" id="${id}-phone" name="phone" value="${s.phone}" inputmode="tel" autocomplete="tel">`, '手机号或固定电话，如 13812345678、0519-88881234')}`;
}

function certificateSection(v: RegisterPageView): Html {
  const base = `/institutions/${v.institution.id}/registers/certificates`;
  return html`<section class="card" aria-labelledby="cert-h"><h2 id="cert-h">证书</h2>
<p class="muted">到期前 30 天、7 天在站内通知中提醒；已过期的证书在下次检查时作为相关检查项的待确认问题。续期时填写新的有效期。</p>
${v.certificates.items.length === 0 ? html`<div class="empty">尚未登记证书。</div>`
    : html`<div class="table-wrap cards-wrap"><table class="data cards"><caption class="muted">按到期日排序</caption>
<thead><tr><th scope="col">持证人</th><th scope="col">证书</th><th scope="col">编号</th><th scope="col">有效期至</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead>
<tbody>${v.certificates.items.map((c) => html`<tr><th scope="row" data-label="持证人">${c.staffName}</th><td data-label="证书">${c.typeLabel}</td><td data-label="编号">${c.certNo}</td>
<td data-label="有效期至">${c.expiresOn ? date(c.expiresOn) : '长期'}</td><td data-label="状态">${chip(c.chip)}</td>
<td data-label="操作">${c.photoHref ? html`<a href="${c.photoHref}">证书照片</a> ` : ''}${v.can.manage ? html`<details><summary>续期或更正</summary>
  <form method="post" action="${base}/${c.id}">${hidden(v.csrf)}<input type="hidden" name="version" value="${c.version}">
  ${field(`c-${c.id}-no`, '证书编号', html`<input type="text" id="c-${c.id}-no" name="certNo" value="${c.certNo}" required maxlength="60">`)}
  ${field(`c-${c.id}-issued`, '发证日期', html`<input type="date" id="c-${c.id}-issued" name="issuedOn" value="${c.issuedOn}" required>`)}
  ${field(`c-${c.id}-expires`, '有效期至', html`<input type="date" id="c-${c.id}-expires" name="expiresOn" value="${c.expiresOn ?? ''}">`, '长期有效则留空')}
  <button class="primary" type="submit">保存</button></form></details>${retireForm(`${base}/${c.id}/retire`, v.csrf, c.version, '该证书')}` : ''}</td></tr>`)}</tbody></table></div>`}
${pager(v.pager.certificates, '证书')}
${v.can.manage ? v.holders.length === 0 ? html`<p class="muted">登记证书前请先登记持证人员。</p>`
    : html`<details${v.draft.form === 'certificate' ? html` open` : ''}><summary>登记证书</summary>
<form method="post" action="${base}?_csrf=${encodeURIComponent(v.csrf)}" enctype="multipart/form-data">
  ${field('new-cert-staff', '持证人', select('new-cert-staff', 'staffId', v.holders.map((h): [string, string] => [h.id, h.name]), v.draft.staffId))}
  ${field('new-cert-type', '证书类型', select('new-cert-type', 'certType', v.options.certTypes, v.draft.certType))}
  ${field('new-cert-no', '证书编号', html`<input type="text" id="new-cert-no" name="certNo" value="${v.draft.certNo ?? ''}" required maxlength="60">`)}
  ${field('new-cert-issued', '发证日期', html`<input type="date" id="new-cert-issued" name="issuedOn" value="${v.draft.issuedOn ?? ''}" required>`)}
  ${field('new-cert-expires', '有效期至', html`<input type="date" id="new-cert-expires" name="expiresOn" value="${v.draft.expiresOn ?? ''}">`, '长期有效则留空')}
  ${field('new-cert-photo', '证书照片（可选）', html`<input type="file" id="new-cert-photo" name="photo" accept="image/*">`, 'JPEG、PNG 或 WebP 图片')}
  <button class="primary wide" type="submit">登记证书</button></form></details>` : ''}
</section>`;
}

function equipmentSection(v: RegisterPageView): Html {
  const base = `/institutions/${v.institution.id}/registers/equipment`;
  return html`<section class="card" aria-labelledby="equip-h"><h2 id="equip-h">设备与法定检验</h2>
<p class="muted">电梯、锅炉、压力容器和氧气管道的定期检验，建筑消防设施的年度检测和维保合同，灭火器的维修保养。</p>
${v.equipment.items.length === 0 ? html`<div class="empty">尚未登记设备。</div>` : html`<ul class="list">${v.equipment.items.map((e) => html`<li>
  <span class="name">${e.name}</span> <span class="muted">${e.kindLabel}${e.location ? ` · ${e.location}` : ''}${e.registrationNo ? ` · 登记证 ${e.registrationNo}` : ''}</span>
  ${e.tests.length === 0 ? html`<p class="muted">尚未登记检验日期。</p>` : html`<ul>${e.tests.map((t) => html`<li>${t.kindLabel}：有效期至 ${date(t.expiresOn)} ${chip(t.chip)}${t.reportNo ? html` <span class="muted">报告 ${t.reportNo}</span>` : ''}</li>`)}</ul>`}
  ${v.can.manage ? html`<details><summary>登记或更新检验日期</summary><form method="post" action="${base}/${e.id}/tests">${hidden(v.csrf)}
    ${field(`t-${e.id}-kind`, '检验类别', select(`t-${e.id}-kind`, 'testKind', e.testOptions))}
    ${field(`t-${e.id}-done`, '检验（检测、签订）日期', html`<input type="date" id="t-${e.id}-done" name="lastDoneOn">`)}
    ${field(`t-${e.id}-expires`, '有效期至', html`<input type="date" id="t-${e.id}-expires" name="expiresOn" required>`, '下次检验日期或合同到期日')}
    ${field(`t-${e.id}-report`, '报告（合同）编号', html`<input type="text" id="t-${e.id}-report" name="reportNo" maxlength="60">`)}
    <button class="primary" type="submit">保存</button></form></details>
  <details><summary>修改设备信息</summary><form method="post" action="${base}/${e.id}">${hidden(v.csrf)}<input type="hidden" name="version" value="${e.version}">
    ${field(`e-${e.id}-name`, '名称', html`<input type="text" id="e-${e.id}-name" name="name" value="${e.name}" required maxlength="100">`)}
    ${field(`e-${e.id}-loc`, '位置', html`<input type="text" id="e-${e.id}-loc" name="location" value="${e.location ?? ''}" maxlength="100">`)}
    ${field(`e-${e.id}-reg`, '使用登记证编号', html`<input type="text" id="e-${e.id}-reg" name="registrationNo" value="${e.registrationNo ?? ''}" maxlength="60">`)}
    <button class="primary" type="submit">保存</button></form></details>
  ${retireForm(`${base}/${e.id}/retire`, v.csrf, e.version, '该设备')}` : ''}</li>`)}</ul>`}
${pager(v.pager.equipment, '设备')}
${v.can.manage ? html`<details${v.draft.form === 'equipment' ? html` open` : ''}><summary>登记设备</summary><form method="post" action="${base}">${hidden(v.csrf)}
  ${field('new-eq-kind', '设备类别', select('new-eq-kind', 'kind', v.options.equipmentKinds, v.draft.kind))}
  ${field('new-eq-name', '名称', html`<input type="text" id="new-eq-name" name="name" value="${v.draft.name ?? ''}" required maxlength="100">`, '如：1号楼客梯、锅炉房燃气锅炉')}
  ${field('new-eq-loc', '位置（可选）', html`<input type="text" id="new-eq-loc" name="location" maxlength="100">`)}
  ${field('new-eq-reg', '使用登记证编号（可选）', html`<input type="text" id="new-eq-reg" name="registrationNo" maxlength="60">`)}
  <button class="primary wide" type="submit">登记设备</button></form></details>` : ''}
</section>`;
}

function boardSection(v: RegisterPageView): Html {
  const c = v.board.contact;
  return html`<section class="card" aria-labelledby="board-h"><h2 id="board-h">安全责任公示牌</h2>
<p class="muted">A4 公示牌：机构安全责任人、安全员、属地监管责任人及电话，监督举报电话和投诉二维码。每次下载均按当前台账生成，人员或电话变更后请重新打印张贴。</p>
${v.board.missing.length ? html`<p class="error" role="note">公示牌尚缺：${v.board.missing.join('、')}（打印时显示为“未登记”）。</p>` : html`<p class="ok">公示牌信息齐全。</p>`}
${c ? html`<dl class="profile"><dt>属地监管责任人</dt><dd>${c.supervisorName}（${c.supervisorPhone}）</dd><dt>监督举报电话</dt><dd>${c.hotline}</dd></dl>` : ''}
${v.can.print ? html`<p><a class="button primary" href="${v.board.pdfHref}">下载公示牌（PDF）</a></p>` : ''}
${v.can.setContact ? html`<details${v.draft.form === 'contact' ? html` open` : ''}><summary>${c ? '修改' : '填写'}属地监管责任人和监督电话</summary>
<form method="post" action="/institutions/${v.institution.id}/registers/board-contact">${hidden(v.csrf)}${c ? html`<input type="hidden" name="version" value="${c.version}">` : ''}
  ${field('bc-name', '属地监管责任人', html`<input type="text" id="bc-name" name="supervisorName" value="${v.draft.supervisorName ?? c?.supervisorName ?? ''}" required maxlength="50">`)}
  ${field('bc-phone', '责任人电话', html`<input type="tel" id="bc-phone" name="supervisorPhone" value="${v.draft.supervisorPhone ?? c?.supervisorPhone ?? ''}" required inputmode="tel">`)}
  ${field('bc-hotline', '监督举报电话', html`<input type="tel" id="bc-hotline" name="hotline" value="${v.draft.hotline ?? c?.hotline ?? ''}" required inputmode="tel">`, '主管部门的监督电话，如 0519-12345')}
  <button class="primary wide" type="submit">保存</button></form></details>` : ''}
</section>`;
}

export function registerPage(v: RegisterPageView): Html {
  return html`<p><a href="${v.back.href}">← ${v.back.label}</a></p>
<h1>人员与设备台账 · ${v.institution.name}</h1>
${flashBlock(v)}
${staffSection(v)}
${certificateSection(v)}
${equipmentSection(v)}
${boardSection(v)}`;
}

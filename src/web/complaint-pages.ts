import { Html, html } from '../common/html';
import type { ComplaintAction } from '../complaints/domain/complaint';
import { pager } from './components';
import type { ComplaintDetailView, ComplaintListView, ErrorLine, FiledView, PublicFormView, TrackView } from './complaint-view';

/** 投诉举报 pages: the public form, the one-time code, the tracking page, the bureau's list and triage. Render only. */

function errorSummary(errors: ErrorLine[]): Html | string {
  if (!errors.length) return '';
  return html`<div class="error" role="alert" id="error-summary" tabindex="-1"><p><b>请修改以下内容：</b></p><ul>${errors.map((e) =>
    e.field ? html`<li><a href="#c-${e.field}" data-field="${e.field}">${e.text}</a></li>` : html`<li>${e.text}</li>`)}</ul></div>`;
}

const invalid = (errors: ErrorLine[], f: string) => (errors.some((e) => e.field === f) ? html` aria-invalid="true"` : '');
const csrfInput = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

export function publicComplaintFormPage(v: PublicFormView): Html {
  const d = v.draft;
  const e = v.errors;
  return html`<h1>投诉举报</h1>
<p>向民政部门反映养老机构的安全隐患、服务质量或侵害老年人权益的问题。无需注册账号，可以匿名投诉。</p>
${errorSummary(e)}
<form class="card" method="post" action="${v.action}" enctype="multipart/form-data" novalidate>
  ${v.preselected
    ? html`<div class="field"><p id="c-institutionId">被投诉机构：<b>${v.preselected.name}</b></p><input type="hidden" name="institutionId" value="${v.preselected.id}">
      <p class="muted"><a href="/public/complaints/new">不是这家机构？选择其他机构</a></p></div>`
    : html`<div class="field"><label for="c-institutionId">被投诉机构</label>
      <select id="c-institutionId" name="institutionId" required${invalid(e, 'institutionId')}><option value="">请选择机构</option>${v.institutions.map((i) =>
        html`<option value="${i.id}"${d.institutionId === i.id ? html` selected` : ''}>${i.name}</option>`)}</select></div>`}
  <fieldset class="field" id="c-category"${invalid(e, 'category')}><legend>问题类别</legend>
    ${v.categories.map(([value, text]) => html`<label class="check" for="c-category-${value}"><input type="radio" id="c-category-${value}" name="category" value="${value}"${d.category === value ? html` checked` : ''} required> ${text}</label>`)}
  </fieldset>
  <div class="field"><label for="c-description">问题描述</label>
    <textarea id="c-description" name="description" rows="6" maxlength="${v.limits.maxDescriptionChars}" required aria-describedby="c-description-hint"${invalid(e, 'description')}>${d.description ?? ''}</textarea>
    <p class="muted" id="c-description-hint">请写明发生的时间、地点和具体情况，不超过 ${v.limits.maxDescriptionChars} 字。</p></div>
  <div class="field"><label for="c-photos">照片（可选）</label>
    <input type="file" id="c-photos" name="photos" accept="image/jpeg,image/png,image/webp" multiple aria-describedby="c-photos-hint"${invalid(e, 'photos')}>
    <p class="muted" id="c-photos-hint">最多 ${v.limits.maxPhotos} 张，每张不超过 ${v.limits.maxPhotoMb} MB。照片会重新处理，去除拍摄位置等信息。</p></div>
  <div class="field"><label for="c-contact">联系方式（可选）</label>
    <input type="text" id="c-contact" name="contact" maxlength="100" autocomplete="tel" value="${d.contact ?? ''}" aria-describedby="c-contact-hint"${invalid(e, 'contact')}>
    <p class="muted" id="c-contact-hint">不填即为匿名投诉。填写的电话或邮箱只有受理投诉的主管部门可以看到，不会公开。</p></div>
  <button class="primary wide" type="submit">提交投诉</button>
</form>
<p><a href="/public/complaints/track">已经投诉过？凭查询码查看处理结果</a> · <a href="/public">结果公示</a></p>`;
}

export function complaintFiledPage(v: FiledView): Html {
  return html`<h1>投诉已提交</h1>
<section class="card" aria-labelledby="code-h"><h2 id="code-h" class="first">请保存您的查询码</h2>
<p role="status">查询码只显示这一次，我们不保存它的原文，遗失后无法找回。请抄写或截图保存，凭它查看处理结果。</p>
<p class="tracking-code"><strong id="tracking-code">${v.trackingCode}</strong></p>
<dl class="profile"><dt>被投诉机构</dt><dd>${v.institutionName}</dd><dt>收到时间</dt><dd>${v.receivedAt}</dd>
<dt>受理期限</dt><dd>${v.triageDue} 前</dd><dt>答复期限</dt><dd>${v.replyDue} 前</dd></dl>
<p><a class="button" href="/public/complaints/track">查看处理结果</a></p></section>`;
}

export function complaintTrackPage(v: TrackView, csrf: string): Html {
  const r = v.result;
  return html`<h1>投诉处理结果查询</h1>
${errorSummary(v.errors)}
<form class="card" method="post" action="/public/complaints/track">${csrf ? csrfInput(csrf) : ''}
  <div class="field"><label for="c-code">查询码</label>
  <input type="text" id="c-code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" required aria-describedby="c-code-hint"${invalid(v.errors, 'code')}>
  <p class="muted" id="c-code-hint">提交投诉时显示的 20 位查询码，如 7K2M-QX9D-…</p></div>
  <button class="primary wide" type="submit">查询</button>
</form>
${r ? html`<section class="card" aria-labelledby="result-h"><h2 id="result-h" class="first">处理情况：${r.status}</h2>
<dl class="profile"><dt>被投诉机构</dt><dd>${r.institutionName}</dd><dt>问题类别</dt><dd>${r.category}</dd><dt>收到时间</dt><dd>${r.receivedAt}</dd></dl>
${r.lines.map((l) => html`<p>${l}</p>`)}
${r.reply ? html`<h3>主管部门答复（${r.reply.at}）</h3><div class="reply">${paragraphs(r.reply.text)}</div>` : ''}</section>` : ''}
<p><a href="/public/complaints/new">我要投诉</a></p>`;
}

function paragraphs(text: string): Html {
  return html`${text.split(/\r?\n/).filter((l) => l.trim()).map((l) => html`<p>${l}</p>`)}`;
}

// ---------------------------------------------------------------- the bureau

export function complaintListPage(v: ComplaintListView): Html {
  const f = v.filters;
  const { summary, nav } = pager(v.page, '/complaints', f, '件');
  return html`<h1>投诉举报</h1>
<p class="muted">公众通过公示页和机构安全公示牌二维码提交的投诉。逾期：超过受理或答复期限（按工作日计算）仍未办结。</p>
<form class="card filters" method="get" action="/complaints">
  <div class="field"><label for="f-status">状态</label><select id="f-status" name="status"><option value="">全部</option>${v.statuses.map(([k, t]) => html`<option value="${k}"${f.status === k ? html` selected` : ''}>${t}</option>`)}</select></div>
  <div class="field"><label for="f-age">收到时间</label><select id="f-age" name="olderThanDays"><option value="">不限</option>${v.ages.map(([k, t]) => html`<option value="${k}"${f.olderThanDays === k ? html` selected` : ''}>${t}</option>`)}</select></div>
  <div class="field"><label for="f-institution">机构</label><select id="f-institution" name="institutionId"><option value="">全部机构</option>${v.institutions.map((i) => html`<option value="${i.id}"${f.institutionId === i.id ? html` selected` : ''}>${i.name}</option>`)}</select></div>
  <label class="check" for="f-overdue"><input type="checkbox" id="f-overdue" name="overdue" value="true"${f.overdue === 'true' ? html` checked` : ''}> 只看逾期</label>
  <button class="primary" type="submit">筛选</button>
</form>
${summary}
${v.page.items.length === 0 ? html`<div class="empty">${Object.keys(f).length ? '没有符合条件的投诉。可以放宽筛选条件。' : '辖区内还没有收到投诉。'}</div>`
    : html`<ul class="list">${v.page.items.map((c) => html`<li><a href="/complaints/${c.id}">
  <span class="name">${c.institutionName}</span> <span class="tag">${c.status}</span>${c.overdue ? html` <span class="tag warn">${c.overdue}</span>` : ''}<br>
  <span class="muted">${c.category} · 收到 ${c.receivedAt}${c.due ? ` · ${c.due}` : ''}</span></a></li>`)}</ul>`}
${nav}`;
}

function confirmBox(action: ComplaintAction, text: string): Html {
  return html`<label class="check" for="c-confirm-${action}"><input type="checkbox" id="c-confirm-${action}" name="confirm" value="on" required> ${text}</label>`;
}

function actionForm(v: ComplaintDetailView, action: ComplaintAction, title: string, body: Html, button: string, confirmText: string): Html {
  const path = action === 'open_inspection' ? 'inspection' : action;
  return html`<details class="card"${v.errorsFor === action ? html` open` : ''}><summary>${title}</summary>
<form method="post" action="/complaints/${v.id}/${path}">${csrfInput(v.csrf)}<input type="hidden" name="version" value="${v.version}">
${body}${confirmBox(action, confirmText)}
<button class="primary wide" type="submit">${button}</button></form></details>`;
}

export function complaintDetailPage(v: ComplaintDetailView): Html {
  const f = v.facts;
  const d = v.draft;
  const text = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  const team = Array.isArray(d.teamUserIds) ? d.teamUserIds : typeof d.teamUserIds === 'string' ? [d.teamUserIds] : [];
  return html`<h1>投诉 · ${v.institution.name}</h1>
${v.ok ? html`<p class="ok" role="status">${v.ok}</p>` : ''}
${errorSummary(v.errors)}
<section class="card" aria-labelledby="facts-h"><h2 id="facts-h" class="first">投诉内容</h2>
<dl class="profile">
  <dt>机构</dt><dd><a href="/institutions/${v.institution.id}">${v.institution.name}</a></dd>
  <dt>问题类别</dt><dd>${f.category}</dd>
  <dt>状态</dt><dd><span class="tag">${f.status}</span>${f.overdue ? html` <span class="tag warn">${f.overdue}</span>` : ''}</dd>
  <dt>收到时间</dt><dd>${f.receivedAt}</dd>
  <dt>受理期限</dt><dd>${f.triageDue}</dd>
  <dt>答复期限</dt><dd>${f.replyDue}</dd>
</dl>
<h3>问题描述</h3>${paragraphs(v.description)}
<h3>照片</h3>${v.photos.length ? html`<ul class="photos">${v.photos.map((p) => html`<li><a href="${p.href}"><img src="${p.href}" alt="${p.label}" loading="lazy" width="160"></a></li>`)}</ul>` : html`<p class="muted">未附照片。</p>`}
<h3>投诉人联系方式</h3>${v.contact ? html`<p id="complainant-contact">${v.contact}</p><p class="muted">个人信息，仅本部门办理时使用，不得公开或转给被投诉机构。</p>` : html`<p class="muted">匿名投诉，未留联系方式。</p>`}
</section>
${v.outcome.length || v.inspectionId || v.mergedInto || v.mergedFrom.length || v.reply ? html`<section class="card" aria-labelledby="outcome-h"><h2 id="outcome-h" class="first">办理情况</h2>
${v.outcome.map((l) => html`<p>${l}</p>`)}
${v.mergedInto ? html`<p>已合并到 <a href="/complaints/${v.mergedInto}">另一件投诉</a>，投诉人可看到那件投诉的答复。</p>` : ''}
${v.mergedFrom.length ? html`<p>合并到本件的重复投诉：${v.mergedFrom.map((m) => html`<a href="/complaints/${m.id}">${m.receivedAt}</a> `)}</p>` : ''}
${v.inspectionId ? html`<p>投诉核查：<a href="/inspections/${v.inspectionId}">查看核查任务</a></p>` : ''}
${v.reply ? html`<h3>答复（${v.reply.by}，${v.reply.at}）</h3>${paragraphs(v.reply.text)}` : ''}</section>` : ''}
${Object.values(v.can).some(Boolean) ? html`<section aria-labelledby="act-h"><h2 id="act-h">办理</h2>
${v.can.accept ? actionForm(v, 'accept', '受理', html`<p class="muted">受理后须在答复期限前答复投诉人。</p>`, '受理', '我已核对投诉内容，确认受理') : ''}
${v.inspectionForm ? actionForm(v, 'open_inspection', '发起投诉核查', html`<fieldset class="field" id="c-teamUserIds"><legend>核查组（至少 ${v.inspectionForm.minTeam} 人，第一位为组长）</legend>
  ${v.inspectionForm.inspectors.length ? v.inspectionForm.inspectors.map((u) => html`<label class="check" for="c-team-${u.id}"><input type="checkbox" id="c-team-${u.id}" name="teamUserIds" value="${u.id}"${team.includes(u.id) ? html` checked` : ''}> ${u.name}</label>`) : html`<p class="muted">本辖区暂无可选的检查员。请先在“账号”中添加检查员。</p>`}</fieldset>
  <div class="field"><label for="c-scheduledDate">计划检查日期（可选）</label><input type="date" id="c-scheduledDate" name="scheduledDate" value="${text('scheduledDate')}"></div>`,
    '发起核查', '确认发起投诉核查（将通知核查组，不能撤销）') : ''}
${v.can.merge ? actionForm(v, 'merge', '合并重复投诉', v.mergeCandidates.length ? html`<div class="field"><label for="c-intoId">合并到（同一机构的另一件投诉）</label>
  <select id="c-intoId" name="intoId" required><option value="">请选择</option>${v.mergeCandidates.map((m) => html`<option value="${m.id}"${text('intoId') === m.id ? html` selected` : ''}>${m.label}</option>`)}</select></div>`
    : html`<p class="muted">该机构没有其他可合并的投诉。</p>`, '合并', '确认合并（本件不再单独办理，不能撤销）') : ''}
${v.can.refer ? actionForm(v, 'refer', '转办其他部门', html`<div class="field"><label for="c-agency">转办部门</label><input type="text" id="c-agency" name="agency" maxlength="100" required value="${text('agency')}"><p class="muted">如：区市场监督管理局、区消防救援大队。投诉人可看到转办部门名称。</p></div>`,
    '转办', '确认转办（本件办结，不能撤销）') : ''}
${v.can.reject ? actionForm(v, 'reject', '不予受理', html`<div class="field"><label for="c-reason">不予受理的理由</label><textarea id="c-reason" name="reason" rows="3" maxlength="1000" required>${text('reason')}</textarea><p class="muted">投诉人凭查询码可看到此理由。</p></div>`,
    '不予受理', '确认不予受理（本件办结，不能撤销）') : ''}
${v.can.reply ? actionForm(v, 'reply', '答复投诉人', html`<div class="field"><label for="c-reply">答复内容</label><textarea id="c-reply" name="reply" rows="5" maxlength="4000" required>${text('reply')}</textarea><p class="muted">投诉人凭查询码可看到答复（不显示办理人姓名）。答复后本件办结。</p></div>`,
    '提交答复', '确认答复（本件办结，不能修改）') : ''}
</section>` : ''}
<p><a href="/complaints">← 投诉举报</a></p>`;
}

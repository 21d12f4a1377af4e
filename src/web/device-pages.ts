/** 消防物联网 / 云值班 page templates: render only (the decisions are in device-view.ts). */
import { Html, html } from '../common/html';
import { field, flashBlock, pager } from './components';
import { medianText, type AlarmLine, type AlarmsPageView, type DevicesPageView } from './device-view';

const CSS = html`<link rel="stylesheet" href="/static/devices.css">`;
const tag = (text: string, tone: string) => html`<span class="tag ${tone}">${text}</span>`;

/** 停用凭据 in two steps (no script): the form opens under its summary with what it means. */
function revokeForm(id: string, csrf: string, back: string): Html {
  return html`<details class="confirm-step"><summary>停用凭据</summary><form method="post" action="/device-credentials/${id}/revoke" class="inline">
  <input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="back" value="${back}">
  <p>停用后，使用该凭据签名的请求一律拒收，不能恢复（需重新签发并配置网关）。</p><button type="submit" class="secondary">确认停用</button></form></details>`;
}

function confirmForm(a: AlarmLine, v: { csrf: string; outcomes: { value: string; label: string }[] }): Html {
  return html`<form method="post" action="/alarms/${a.id}/confirm" class="confirm" novalidate>
  <input type="hidden" name="_csrf" value="${v.csrf}">
  <fieldset><legend>现场核实结果（提交后不能修改）</legend>
  ${v.outcomes.map((o) => html`<label class="outcome"><input type="radio" name="outcome" value="${o.value}" required> ${o.label}</label>`)}</fieldset>
  ${field(`note-${a.id}`, '处置情况（选填）', html`<input type="text" id="note-${a.id}" name="note" maxlength="500">`)}
  <button class="primary wide" type="submit">提交确认</button></form>`;
}

function alarmItem(a: AlarmLine, v: AlarmsPageView): Html {
  return html`<li class="alarm ${a.open ? 'open' : ''}" id="alarm-${a.id}">
  <a class="name" href="/alarms/${a.id}">${a.title}</a> ${tag(a.stateLabel, a.tone)}<br>
  <span>${v.institutionView ? '' : html`<a href="/institutions/${a.institution.id}/devices">${a.institution.name}</a>：`}${a.where}</span><br>
  <span class="muted">报警时间 ${a.raisedText}${a.open ? html`；<b>须于 ${a.dueText} 前确认</b>` : ''}</span>
  ${a.outcomeText ? html`<br><span>确认结果：${a.outcomeText}</span> <span class="muted">${a.responseText ?? ''}</span>` : ''}
  ${a.open && v.mayConfirm ? confirmForm(a, v) : ''}</li>`;
}

function overviewCard(v: AlarmsPageView): Html | string {
  const o = v.overview;
  if (!o) return '';
  const t = o.totals;
  const warn = (n: number, text: string) => (n > 0 ? html`<b class="warn-text">${text}</b>` : html`${text}`);
  return html`<section class="card" aria-labelledby="duty-h"><h2 id="duty-h" class="first">近 ${o.windowDays} 天值班概况（${t.institutions} 家机构接入）</h2>
<dl class="profile">
<dt>报警</dt><dd>${t.alarms} 次：${o.confirmMinutes} 分钟内确认 ${t.confirmedInTime} 次，${warn(t.unconfirmed, `未确认 ${t.unconfirmed} 次`)}，${warn(t.escalated, `超时上报 ${t.escalated} 次`)}，误报 ${t.falseAlarms} 次${t.medianMinutes !== null ? html`；确认用时中位数 ${medianText(t.medianMinutes)}` : ''}</dd>
<dt>设备</dt><dd>登记 ${t.devices} 台，离线或故障 ${t.offline} 台，${warn(t.impaired, `超过 ${o.impairmentHours} 小时 ${t.impaired} 台`)}</dd>
</dl>
${o.rows.length ? html`<div class="table-wrap"><table class="data cards"><caption>各机构（未确认、超时与离线多的在前）</caption>
<thead><tr><th scope="col">机构</th><th scope="col">设备</th><th scope="col">离线超时</th><th scope="col">报警</th><th scope="col">按时确认</th><th scope="col">未确认</th><th scope="col">确认用时中位数</th></tr></thead>
<tbody>${o.rows.map((r) => html`<tr${r.unconfirmed || r.impaired ? html` class="attention"` : ''}><th scope="row"><a href="/institutions/${r.institutionId}/devices">${r.institutionName}</a></th>
<td data-label="设备">${r.devices}</td><td data-label="离线超时">${r.impaired}</td><td data-label="报警">${r.alarms}</td><td data-label="按时确认">${r.confirmedInTime}</td>
<td data-label="未确认">${r.unconfirmed ? html`<b class="warn-text">${r.unconfirmed}</b>` : '0'}</td><td data-label="确认用时中位数">${medianText(r.medianMinutes)}</td></tr>`)}</tbody></table></div>` : html`<div class="empty">辖区内还没有机构接入消防物联网设备。</div>`}
<p><a class="button secondary" href="/alarms/duty.csv">导出值班概况 CSV</a>${v.mayManagePlatforms ? html` <a class="button secondary" href="/device-credentials">厂商平台接入凭据</a>` : ''}</p></section>`;
}

export function alarmsPage(v: AlarmsPageView): Html {
  const { summary, nav } = pager(v.page, '/alarms', v.filters, '次报警');
  return html`${CSS}<h1>${v.institutionView ? '报警确认' : '物联网值班'}</h1>
<p class="muted">${v.institutionView
    ? html`消防物联网设备的报警（含燃气切断阀关闭）须由值班人员到场核实并确认；超时未确认的报警将上报主管部门。${v.devicesHref ? html` <a href="${v.devicesHref}">设备与接入</a>` : ''}`
    : '辖区机构的消防物联网报警：超时未确认的报警已推送到这里和站内通知（值班收件箱）。'}</p>
${flashBlock(v.flash)}
${overviewCard(v)}
<nav class="tabs" aria-label="报警筛选">${v.tabs.map((t) => html`<a href="${t.href}"${t.active ? html` aria-current="page"` : ''}>${t.label}</a>`)}</nav>
${summary}
${v.page.items.length ? html`<ul class="list">${v.page.items.map((a) => alarmItem(a, v))}</ul>` : html`<div class="empty">${v.filters.state === 'unconfirmed' || v.filters.state === undefined ? '没有待确认的报警。' : '没有符合条件的报警。'}</div>`}
${nav}`;
}

export function alarmPage(v: AlarmsPageView & { alarm: AlarmLine }): Html {
  return html`${CSS}<h1>${v.alarm.title}</h1>${flashBlock(v.flash)}<ul class="list">${alarmItem(v.alarm, v)}</ul>
<p><a href="/alarms">返回报警列表</a></p>`;
}

function dutyCard(v: DevicesPageView): Html {
  return html`<section class="card" aria-labelledby="duty-h"><h2 id="duty-h" class="first">云值班记录（近 ${v.duty.windowDays} 天）</h2><p>${v.duty.text}</p>
<p class="muted">检查人员在检查表“物联网‘云技术’辅助值班”等项下看到同样的记录；设备离线或故障超过 ${v.impairmentHours} 小时即作为检查发现候选。</p></section>`;
}

function deviceList(v: DevicesPageView): Html {
  return html`<section aria-labelledby="dev-h"><h2 id="dev-h">设备（${v.devices.length}）</h2>
${v.devices.length ? html`<ul class="list">${v.devices.map((d) => html`<li id="device-${d.id}"><span class="name">${d.typeLabel} · ${d.location}</span> ${tag(d.statusLabel, d.tone)}${d.impaired ? tag(`已超过 ${v.impairmentHours} 小时`, 'danger') : ''}${d.maintenanceFlaggedAt ? tag('频繁误报，需维保', 'warn') : ''}<br>
  <span class="muted">编号 ${d.vendorDeviceId} · ${d.credentialName} · ${d.status === 'online' ? '在线' : `${d.statusLabel}自 ${d.sinceText}`} · 最近上报 ${d.lastText}</span>
  ${v.mayManage ? html`<br>${d.maintenanceFlaggedAt ? html`<form method="post" action="/devices/${d.id}/maintenance-clear" class="inline"><input type="hidden" name="_csrf" value="${v.csrf}"><button type="submit" class="secondary">维保完成</button></form>` : ''}
  <details class="confirm-step"><summary>停用设备</summary><form method="post" action="/devices/${d.id}/retire" class="inline"><input type="hidden" name="_csrf" value="${v.csrf}">
  <p>停用后不再接收该设备的事件，不能恢复（需重新登记）。</p><button type="submit" class="secondary">确认停用</button></form></details>` : ''}</li>`)}</ul>`
    : html`<div class="empty">还没有登记设备。${v.mayManage ? '先签发接入凭据，再登记设备（设备编号为网关或厂商平台中的编号）。' : ''}</div>`}
${v.mayManage ? html`${flashBlock(v.flash.device)}
<form method="post" action="/institutions/${v.institution.id}/devices" novalidate class="card">
  <h3 class="first">登记设备</h3>
  <input type="hidden" name="_csrf" value="${v.csrf}">
  ${field('dev-cred', '接入凭据', v.usableCredentials.length
    ? html`<select id="dev-cred" name="credentialId" required>${v.usableCredentials.map((c) => html`<option value="${c.id}"${c.id === v.draft.credentialId ? html` selected` : ''}>${c.label}</option>`)}</select>`
    : html`<select id="dev-cred" name="credentialId" required disabled><option value="">请先签发接入凭据</option></select>`)}
  ${field('dev-type', '设备类型', html`<select id="dev-type" name="type" required>${v.types.map((t) => html`<option value="${t.value}"${t.value === v.draft.type ? html` selected` : ''}>${t.label}</option>`)}</select>`)}
  ${field('dev-id', '设备编号', html`<input type="text" id="dev-id" name="vendorDeviceId" maxlength="64" required value="${v.draft.vendorDeviceId ?? ''}" aria-describedby="dev-id-hint" autocapitalize="off">`, '网关或厂商平台中的设备编号：字母、数字或 . _ : -')}
  ${field('dev-loc', '安装位置', html`<input type="text" id="dev-loc" name="location" maxlength="100" required value="${v.draft.location ?? ''}" aria-describedby="dev-loc-hint">`, '如：三楼东侧走廊、厨房燃气表旁')}
  <button class="primary wide" type="submit"${v.usableCredentials.length ? '' : html` disabled`}>登记设备</button>
</form>` : ''}</section>`;
}

function credentials(v: DevicesPageView): Html | string {
  if (!v.mayManage) return '';
  return html`<section aria-labelledby="cred-h"><h2 id="cred-h">接入凭据（机构网关）</h2>
${v.issued ? html`<div class="card issued" role="status"><h3 class="first">凭据已签发：${v.issued.name}</h3>
<p><b>密钥只显示这一次</b>，请立即配置到网关（刷新或离开本页后无法再查看；遗失请停用后重新签发）。</p>
<dl class="profile"><dt>接入地址</dt><dd><code>${v.ingestUrl}</code></dd><dt>X-Yian-Key</dt><dd><code>${v.issued.keyId}</code></dd><dt>签名密钥</dt><dd><code class="secret">${v.issued.secret}</code></dd></dl>
<p class="muted">签名：X-Yian-Signature = sha256=HMAC-SHA256(密钥, X-Yian-Timestamp + 换行 + 请求体)，详见 docs/devices.md。</p></div>` : ''}
${v.credentials.length ? html`<ul class="list">${v.credentials.map((c) => html`<li><span class="name">${c.name}</span> ${c.revokedAt ? tag('已停用', 'plain') : tag('在用', 'okay')}<br>
  <span class="muted"><code>${c.keyId}</code> · ${c.devices} 台设备</span>
  ${c.revokedAt ? '' : revokeForm(c.id, v.csrf, `/institutions/${v.institution.id}/devices`)}</li>`)}</ul>`
    : html`<div class="empty">还没有机构网关凭据。设备若经厂商平台接入，由主管部门签发平台凭据，这里无须签发。</div>`}
${flashBlock(v.flash.credential)}
<form method="post" action="/institutions/${v.institution.id}/device-credentials" novalidate>
  <input type="hidden" name="_csrf" value="${v.csrf}">
  ${field('cred-name', '凭据名称', html`<input type="text" id="cred-name" name="name" maxlength="60" required value="${v.draft.name ?? ''}" aria-describedby="cred-name-hint">`, '如：一号楼报警主机网关')}
  <button class="primary wide" type="submit">签发接入凭据</button>
</form></section>`;
}

function events(v: DevicesPageView): Html {
  return html`<section aria-labelledby="ev-h"><h2 id="ev-h">最近事件</h2>
${v.events.length ? html`<ul class="list">${v.events.map((e) => html`<li><span class="name">${e.kindLabel}</span> ${e.where}<br><span class="muted">${e.at}${e.detail ? `：${e.detail}` : ''}</span></li>`)}</ul>` : html`<div class="empty">还没有收到设备事件。</div>`}
<p><a href="/alarms">查看报警与确认情况</a></p></section>`;
}

export function devicesPage(v: DevicesPageView): Html {
  return html`${CSS}<h1>消防物联网 · ${v.institution.name}</h1>
${flashBlock(v.flash.page)}
${dutyCard(v)}
${deviceList(v)}
${credentials(v)}
${events(v)}`;
}

export interface PlatformCredentialsView {
  csrf: string;
  flash: Flash;
  draft: Record<string, string>;
  issued: (DevicesPageView['issued']);
  ingestUrl: string;
  credentials: DevicesPageView['credentials'];
  divisions: { code: string; name: string }[];
}
type Flash = DevicesPageView['flash']['page'];

export function platformCredentialsPage(v: PlatformCredentialsView): Html {
  return html`${CSS}<h1>厂商平台接入凭据</h1>
<p class="muted">厂商的智慧消防平台用一把平台凭据上报所覆盖区划内各机构的设备事件；机构登记设备时可选用覆盖本机构的平台凭据。</p>
${v.issued ? html`<div class="card issued" role="status"><h3 class="first">凭据已签发：${v.issued.name}</h3>
<p><b>密钥只显示这一次</b>，请通过安全渠道交给平台厂商。</p>
<dl class="profile"><dt>接入地址</dt><dd><code>${v.ingestUrl}</code></dd><dt>X-Yian-Key</dt><dd><code>${v.issued.keyId}</code></dd><dt>签名密钥</dt><dd><code class="secret">${v.issued.secret}</code></dd></dl></div>` : ''}
${v.credentials.length ? html`<ul class="list">${v.credentials.map((c) => html`<li><span class="name">${c.name}</span> ${c.revokedAt ? tag('已停用', 'plain') : tag('在用', 'okay')}<br>
  <span class="muted"><code>${c.keyId}</code> · ${c.devices} 台设备</span>
  ${c.revokedAt ? '' : revokeForm(c.id, v.csrf, '/device-credentials')}</li>`)}</ul>`
    : html`<div class="empty">还没有平台凭据。</div>`}
${flashBlock(v.flash)}
<form method="post" action="/device-credentials" novalidate class="card">
  <input type="hidden" name="_csrf" value="${v.csrf}">
  ${field('pc-name', '凭据名称', html`<input type="text" id="pc-name" name="name" maxlength="60" required value="${v.draft.name ?? ''}" aria-describedby="pc-name-hint">`, '如：某某智慧消防平台')}
  ${field('pc-div', '覆盖区划', html`<select id="pc-div" name="divisionCode" required>${v.divisions.map((d) => html`<option value="${d.code}"${d.code === v.draft.divisionCode ? html` selected` : ''}>${d.name}（${d.code}）</option>`)}</select>`)}
  <button class="primary wide" type="submit">签发平台凭据</button>
</form>`;
}

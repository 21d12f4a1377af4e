import { Html, html } from '../common/html';
import { GAS_LABELS, KIND_LABELS, labelMap, OWNERSHIP_LABELS, STATUS_LABELS } from '../common/labels';
import { Page } from '../common/pagination';
import type { Division } from '../divisions/division.entity';
import type { Institution } from '../institutions/institution.entity';
import type { InstitutionPage } from './institution-view';

/** 机构名录 pages: the registry list, one institution's profile, its applicable checklist items. */
export function institutionListPage(page: Page<Institution>, filters: Record<string, string>, divisions: Division[]): Html {
  const divisionName = new Map(divisions.map((d) => [d.code, d.name]));
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const link = (p: number) => `/institutions?${new URLSearchParams({ ...filters, page: String(p) }).toString()}`;
  return html`
<h1>养老机构名录</h1>
<form class="card filters" method="get" action="/institutions" role="search">
  <div><label for="f-name">名称</label><input id="f-name" type="search" name="name" value="${filters.name ?? ''}" placeholder="输入机构名称关键字"></div>
  <div><label for="f-div">行政区划</label><select id="f-div" name="divisionCode"><option value="">全部</option>
    ${divisions.map((d) => html`<option value="${d.code}" ${filters.divisionCode === d.code ? html`selected` : ''}>${d.level === 'street' ? '　' : ''}${d.name}</option>`)}</select></div>
  <div><label for="f-kind">类型</label><select id="f-kind" name="kind"><option value="">全部</option>
    ${Object.entries(KIND_LABELS).map(([k, v]) => html`<option value="${k}" ${filters.kind === k ? html`selected` : ''}>${v}</option>`)}</select></div>
  <div><label for="f-status">状态</label><select id="f-status" name="status"><option value="">全部</option>
    ${Object.entries(STATUS_LABELS).map(([k, v]) => html`<option value="${k}" ${filters.status === k ? html`selected` : ''}>${v}</option>`)}</select></div>
  <div><button class="primary" type="submit">筛选</button></div>
</form>
<p class="muted" aria-live="polite">共 ${page.total} 家机构${page.total ? html`，第 ${page.page} / ${pages} 页` : ''}</p>
${page.items.length === 0
    ? html`<div class="empty">没有符合条件的机构。<br>请调整筛选条件，或<a href="/institutions">清除筛选</a>。</div>`
    : html`<ul class="list">${page.items.map((i) => html`<li><a href="/institutions/${i.id}">
      <span class="name">${i.name}</span><br>
      <span class="tag">${KIND_LABELS[i.kind]}</span><span class="tag">${OWNERSHIP_LABELS[i.ownership]}</span>
      ${i.status !== 'active' ? html`<span class="tag warn">${STATUS_LABELS[i.status]}</span>` : ''}
      <span class="muted">${divisionName.get(i.divisionCode) ?? i.divisionCode} · ${i.storeys} 层 · ${i.approvedBeds} 床</span></a></li>`)}</ul>`}
${pages > 1 ? html`<nav class="pager" aria-label="分页">
  ${page.page > 1 ? html`<a class="button" href="${link(page.page - 1)}">上一页</a>` : html`<span></span>`}
  ${page.page < pages ? html`<a class="button" href="${link(page.page + 1)}">下一页</a>` : html`<span></span>`}</nav>` : ''}`;
}

const yes = (b: boolean) => (b ? '有' : '无');

/** 第 3–5 层; an unrecorded bound is 待核实 (applicability applies the stricter item until it is filled). */
function facilityFloors(i: Institution): string {
  const low = i.facilityLowestFloor;
  const high = i.facilityHighestFloor;
  if (low == null && high == null) return '待核实（未填写）';
  if (low != null && high != null) return low === high ? `第 ${low} 层` : `第 ${low}–${high} 层`;
  return `自第 ${low ?? '?'} 层至第 ${high ?? '?'} 层（待核实）`;
}

export function institutionDetailPage(v: InstitutionPage): Html {
  const { institution: i, divisionName } = v;
  const residents = i.residentsSelfCare + i.residentsMildlyDisabled + i.residentsModeratelyDisabled + i.residentsSeverelyDisabled;
  return html`
<p><a href="${v.back.href}">← ${v.back.label}</a></p>
<h1>${i.name}</h1>
<section class="card"><h2>基本信息</h2><dl class="profile">
  <dt>类型</dt><dd>${KIND_LABELS[i.kind]}（${OWNERSHIP_LABELS[i.ownership]}${i.profitStatus ? `，${labelMap('profitStatus')[i.profitStatus]}` : ''}）</dd>
  <dt>状态</dt><dd>${STATUS_LABELS[i.status]}</dd>
  <dt>统一社会信用代码</dt><dd>${i.creditCode}</dd>
  <dt>所在区划</dt><dd>${divisionName}</dd>
  <dt>地址</dt><dd>${i.address}</dd>
  <dt>联系人</dt><dd>${i.contactName}（${i.contactPhone}）</dd>
</dl></section>
<section class="card"><h2>建筑与设施概况</h2><dl class="profile">
  <dt>地上层数</dt><dd>${i.storeys} 层${i.insideOtherBuilding ? html`（设在其他建筑内${i.hostBuildingUse ? `，所在建筑为${labelMap('hostBuildingUse')[i.hostBuildingUse]}用途` : ''}）` : ''}</dd>
  <dt>机构所在楼层</dt><dd>${facilityFloors(i)}</dd>
  <dt>建筑高度</dt><dd>${i.buildingHeightM != null ? `${i.buildingHeightM} m` : '未填写'}</dd>
  <dt>总建筑面积</dt><dd>${i.totalAreaM2.toLocaleString('zh-CN')} m²</dd>
  <dt>床位</dt><dd>核定 ${i.approvedBeds}，入住 ${i.occupiedBeds}${i.capacityPlaces != null ? `；额定服务人数 ${i.capacityPlaces}` : ''}</dd>
  <dt>在住老人</dt><dd>${residents} 人（自理 ${i.residentsSelfCare}，轻度 ${i.residentsMildlyDisabled}，中度 ${i.residentsModeratelyDisabled}，重度 ${i.residentsSeverelyDisabled}）</dd>
  <dt>失能老人最高楼层</dt><dd>${i.highestFloorWithDisabled ?? '—'}</dd>
  <dt>消防控制室</dt><dd>${yes(i.hasFireControlRoom)}</dd>
  <dt>火灾自动报警</dt><dd>${yes(i.hasAutoFireAlarm)}</dd>
  <dt>自动喷水灭火</dt><dd>${yes(i.hasSprinklers)}</dd>
  <dt>燃气</dt><dd>${GAS_LABELS[i.gasSupply]}</dd>
  <dt>食堂 / 医疗 / 电梯</dt><dd>${yes(i.hasCanteen)} / ${yes(i.hasMedicalUnit)} / ${yes(i.hasElevator)}</dd>
  <dt>锅炉 / 氧气管道</dt><dd>${yes(i.hasBoiler)} / ${yes(i.hasOxygenPipeline)}</dd>
  <dt>耐火等级</dt><dd>${i.fireResistanceGrade ? `${i.fireResistanceGrade} 级` : '未登记'}</dd>
  <dt>防盗窗/铁栅栏</dt><dd>${i.hasWindowBars ? html`<span class="tag warn">有</span>` : '无'}</dd>
</dl><p class="muted">档案版本 ${i.version} · 更新于 ${i.updatedAt.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}</p></section>
<p><a class="button" href="/institutions/${i.id}/checklist">查看适用检查项</a>${v.can.changeRequests ? html` <a class="button" href="/institutions/${i.id}/change-requests">档案变更申请</a>` : ''}</p>`;
}

interface ApplicabilityView {
  institution: { id: string; name: string };
  checklist: { code: string; versionNo: number; title: { zh: string } };
  categories: { code: string; title: { zh: string }; applicable: number; excluded: number }[];
  applicable: { code: string; category: string; title: { zh: string }; severity: string; deadlineDays: number; requiredBy?: { code: string; document: string } | null }[];
  excluded: { code: string; category: string; title: { zh: string }; reason: string }[];
  /** items applied because a fact they depend on is not filled in (the stricter reading), with the reason */
  unverified?: { code: string; reason: string }[];
  localRuleSet?: { code: string; title: { zh: string } } | null;
}

function unverifiedNote(v: ApplicabilityView, code: string): Html | string {
  const u = v.unverified?.find((x) => x.code === code);
  return u ? html`<br><span class="tag warn">待核实</span> <span class="muted">${u.reason}</span>` : '';
}

export function applicabilityPage(v: ApplicabilityView): Html {
  return html`
<p><a href="/institutions/${v.institution.id}">← ${v.institution.name}</a></p>
<h1>适用检查项</h1>
<p class="muted">${v.checklist.title.zh}（第 ${v.checklist.versionNo} 版）${v.localRuleSet ? html`，并执行地方规则：${v.localRuleSet.title.zh}` : ''} · 适用 ${v.applicable.length} 项，不适用 ${v.excluded.length} 项。不适用项由机构建筑档案按规则自动排除，原因见下；档案未填写的事实按从严适用，标“待核实”。</p>
${v.categories.map((c) => html`<section class="card" aria-labelledby="cat-${c.code}">
  <h2 id="cat-${c.code}">${c.title.zh} <span class="muted">${c.applicable} 项适用${c.excluded ? html`，${c.excluded} 项不适用` : ''}</span></h2>
  ${c.applicable ? html`<ul>${v.applicable.filter((i) => i.category === c.code).map((i) => html`<li><b>${i.code}</b> ${i.title.zh}
    ${i.severity === 'major' ? html`<span class="tag warn">重大隐患项</span>` : ''}${i.requiredBy ? html` <span class="tag" title="${i.requiredBy.document}">地方规则：${i.requiredBy.document}</span>` : ''}<span class="muted">（整改期限 ${i.deadlineDays === 0 ? '立即' : `${i.deadlineDays} 天`}）</span>${unverifiedNote(v, i.code)}</li>`)}</ul>` : ''}
  ${c.excluded ? html`<details><summary>不适用的 ${c.excluded} 项及原因</summary><ul>${v.excluded.filter((e) => e.category === c.code).map((e) => html`<li><b>${e.code}</b> ${e.title.zh}<br><span class="muted">排除规则：${e.reason}</span></li>`)}</ul></details>` : ''}
</section>`)}`;
}

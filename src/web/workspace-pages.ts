import { Html, html } from '../common/html';
import type { GradeSummary, PagerView, ScoreSummary, SubsidyRow, WorkspaceHistory, WorkspaceHome, WorkspaceScore } from './workspace-view';

/** 机构工作台 templates: render only (decisions in workspace-view.ts). Phone first; the styles are in /static/workspace.css. */

const CSS = html`<link rel="stylesheet" href="/static/workspace.css">`;

function gradeBlock(g: GradeSummary): Html {
  return html`<div class="ws-grade"><p class="ws-big">${g.label}</p>
${g.validity ? html`<p>有效期：${g.validity}${g.expiringSoon ? html` <span class="tag warn">即将到期</span>` : ''}</p>` : html`<p class="muted">尚未评定等级，或等级已不在有效期内。</p>`}</div>`;
}

function deductionList(s: ScoreSummary, limit?: number): Html {
  const lines = limit === undefined ? s.deductions : s.deductions.slice(0, limit);
  return html`<ol class="ws-ledger">${lines.map((l) => html`<li class="${l.deduction ? 'ws-minus' : 'ws-plus'}"><span class="ws-points">${l.points}</span>
  <span class="ws-why">${l.href ? html`<a href="${l.href}">${l.explanation}</a>` : l.explanation}</span></li>`)}</ol>`;
}

function scoreBlock(s: ScoreSummary | null, opts: { full: boolean }): Html {
  if (!s) return html`<p class="muted">尚无安全评分。首次检查提交后自动计算。</p>`;
  return html`<p class="ws-big">${s.value}<small> / 100 分</small></p>
<p class="muted">截至 ${s.asOf} · 共扣 ${s.lost} 分${s.capApplied ? '（已按上限封顶）' : ''}</p>
${s.deductions.length === 0 ? html`<p>没有扣分项。</p>` : opts.full
    ? html`<h3 id="why-h">为什么扣分（${s.deductions.length} 项）</h3>${deductionList(s)}`
    : html`<details class="ws-why-details"><summary>为什么扣分（${s.deductions.length} 项）</summary>${deductionList(s)}</details>`}
${opts.full && s.notes.length ? html`<h3>计分说明</h3><ul class="ws-notes">${s.notes.map((n) => html`<li>${n.explanation}</li>`)}</ul>` : ''}
${opts.full ? html`<p class="muted">按 ${s.ruleSet} 计算，${s.computedAt} 更新。每一项扣分都可点开查看对应隐患。</p>` : ''}`;
}

function subsidyBlock(rows: readonly SubsidyRow[], full: boolean): Html {
  if (!rows.length) return html`<p class="muted">暂无已批准的运营补贴。补贴表经主管部门批准后，本机构的金额会显示在这里。</p>`;
  return html`<ul class="ws-cards">${rows.map((r) => html`<li class="ws-subsidy"><p><strong>${r.period}</strong></p>
  <p class="ws-amount">${r.amount}${!r.eligible ? html` <span class="tag warn">不符合补贴条件</span>` : ''}${r.suspended ? html` <span class="tag warn">部分期间因重大隐患暂停</span>` : ''}</p>
  <p class="muted">${r.paidDays ? html`计补 ${r.paidDays} · ` : ''}${r.approvedAt} 批准</p>
  ${full && r.lines.length ? html`<details><summary>计算明细（${r.lines.length} 行）</summary><ul class="ws-notes">${r.lines.map((x) => html`<li>${x.label}：${x.formula} = ${x.amount}</li>`)}</ul></details>` : ''}
</li>`)}</ul>`;
}

function pagerNav(p: PagerView, label: string): Html {
  return html`<p class="muted" aria-live="polite">${p.summary}</p>
${p.prev || p.next ? html`<nav class="pager" aria-label="${label}分页">${p.prev ? html`<a class="button" href="${p.prev}">上一页</a>` : html`<span></span>`}${p.next ? html`<a class="button" href="${p.next}">下一页</a>` : html`<span></span>`}</nav>` : ''}`;
}

/** The institution's home: what to do now (hazards, notices), then where it stands (score, grade, subsidy, profile). */
/** 待确认的报警 at the top of the institution's home: the duty clock runs (null or 0: nothing shown). */
function alarmBanner(a: { open: number; first: string | null } | null): Html | string {
  if (!a || !a.open) return '';
  return html`<section class="card ws-alarm" role="alert" aria-labelledby="ws-alarm-h"><h2 id="ws-alarm-h">待确认的报警（${a.open}）</h2>
<p>${a.first ?? ''}须由值班人员到场核实并确认，超时将上报主管部门。</p><p><a class="button" href="/alarms">立即确认</a></p></section>`;
}

export function workspaceHomePage(v: WorkspaceHome, alarms: { open: number; first: string | null } | null = null): Html {
  return html`${CSS}<div class="ws">
<header class="ws-head"><h1 class="ws-name">${v.name}</h1><p class="muted">${v.kindLabel} · ${v.statusLabel} · 今天是 ${v.today}</p></header>
${alarmBanner(alarms)}

<section class="card" id="s-hazards" aria-labelledby="ws-hazards-h"><h2 id="ws-hazards-h">待整改隐患（${v.hazards.length}）${v.overdue ? html` <span class="tag warn">${v.overdue} 项已逾期</span>` : ''}</h2>
${v.hazards.length ? html`<ul class="list ws-cards ws-hazards">${v.hazards.map((h) => html`<li><a class="ws-row" href="${h.href}">
  <span class="ws-title">${h.code} ${h.title}</span>
  <span class="ws-meta">${h.major ? html`<span class="tag warn">${h.severityLabel}</span>` : html`<span class="tag">${h.severityLabel}</span>`}
  ${h.countdown ? html`<span class="tag${h.countdown.warn ? ' warn' : ''}">${h.countdown.text}</span>` : html`<span class="tag">${h.statusLabel}</span>`}</span>
  <span class="muted">整改期限 ${h.dueDate}${h.waitingForBureau ? '，已提交整改情况，等待复核' : ''}${h.planDue ? `；五到位方案 ${h.planDue} 前提交` : ''}</span></a></li>`)}</ul>`
    : html`<p class="empty">目前没有待整改的隐患。</p>`}
<p><a href="/hazards">查看全部隐患（含已销号）</a></p></section>

<section class="card" aria-labelledby="ws-notices-h"><h2 id="ws-notices-h">待签收的整改通知书（${v.notices.length}）</h2>
${v.notices.length ? html`<ul class="ws-cards">${v.notices.map((n) => html`<li class="ws-notice"><p><a href="${n.href}">${n.noticeNo}</a></p><p class="muted">${n.issuedAt} 下达</p>
  <form method="post" action="${n.acknowledgeAction}"><input type="hidden" name="_csrf" value="${v.csrf}">
  <button class="primary" type="submit" aria-label="签收 ${n.noticeNo}">签收</button></form></li>`)}</ul>
<p class="muted">签收即确认已收到该通知书，签收后不可撤回；请先点开通知书阅读。</p>`
    : html`<p class="muted">没有待签收的通知书。${v.acknowledgedCount ? `已签收 ${v.acknowledgedCount} 份。` : ''}</p>`}
<p><a href="/notices">全部整改通知书</a></p></section>

<section class="card" id="score" aria-labelledby="ws-score-h"><h2 id="ws-score-h">安全评分</h2>
${scoreBlock(v.score, { full: false })}
<p><a class="button" href="/workspace/score">评分明细、等级与补贴</a></p></section>

<section class="card" aria-labelledby="ws-grade-h"><h2 id="ws-grade-h">等级评定</h2>${gradeBlock(v.grade)}</section>

<section class="card" aria-labelledby="ws-subsidy-h"><h2 id="ws-subsidy-h">运营补贴</h2>${subsidyBlock(v.subsidies, false)}</section>

<section class="card" aria-labelledby="ws-profile-h"><h2 id="ws-profile-h">机构档案</h2>
${v.changeRequest ? html`<p>最近一次档案变更申请：<span class="tag${v.changeRequest.pending ? ' warn' : ''}">${v.changeRequest.statusLabel}</span><br><span class="muted">${v.changeRequest.requestedAt} 提交</span></p>
<p><a href="${v.changeRequest.href}">查看档案变更申请</a></p>` : html`<p class="muted">床位、建筑等档案信息如有变化，须提交档案变更申请，经主管部门审核后生效。</p>`}
<p><a class="button secondary" href="${v.profileHref}">查看本机构档案</a>${v.fileRequestHref ? html` <a class="button secondary" href="${v.fileRequestHref}">申请变更档案</a>` : ''}</p></section>

<nav class="ws-links" aria-label="工作台">${v.links.map((l) => html`<a class="button secondary" href="${l.href}">${l.label}</a>`)}</nav>
</div>`;
}

/** 安全评分: the score with every line of its ledger, the grade in force and the approved subsidy lines. */
export function workspaceScorePage(v: WorkspaceScore): Html {
  return html`${CSS}<div class="ws">
<h1 class="ws-name">安全评分</h1><p class="muted ws-sub">${v.name}</p>
<section class="card" aria-labelledby="ws-score-h"><h2 id="ws-score-h">当前得分</h2>${scoreBlock(v.score, { full: true })}</section>
<section class="card" aria-labelledby="ws-grade-h"><h2 id="ws-grade-h">现行等级</h2>${gradeBlock(v.grade)}</section>
<section class="card" aria-labelledby="ws-subsidy-h"><h2 id="ws-subsidy-h">运营补贴（已批准）</h2>${subsidyBlock(v.subsidies, true)}</section>
<p><a href="/">← 返回首页</a></p>
</div>`;
}

/** 历史: the submitted inspections (with the record PDF) and every hazard, each list a page at a time. */
export function workspaceHistoryPage(v: WorkspaceHistory): Html {
  return html`${CSS}<div class="ws">
<h1 class="ws-name">检查与隐患历史</h1><p class="muted ws-sub">${v.name}</p>
<section class="card" id="h-inspections" aria-labelledby="ws-insp-h"><h2 id="ws-insp-h">检查记录</h2>
${v.inspections.length ? html`<ul class="ws-cards">${v.inspections.map((i) => html`<li><p><strong>${i.kindLabel}</strong> · ${i.submittedOn} 提交</p>
  <p>${i.pdfHref ? html`<a href="${i.pdfHref}">检查记录 ${i.reportNo}（PDF）</a>` : html`<span class="muted">检查记录生成中</span>`} · <a href="${i.hazardsHref}">本次发现的隐患</a></p></li>`)}</ul>`
    : html`<p class="empty">还没有已提交的检查。</p>`}
${pagerNav(v.inspectionPager, '检查记录')}</section>
<section class="card" id="h-hazards" aria-labelledby="ws-haz-h"><h2 id="ws-haz-h">隐患（全部状态）</h2>
${v.hazards.length ? html`<ul class="list ws-cards ws-hazards">${v.hazards.map((h) => html`<li><a class="ws-row" href="${h.href}"><span class="ws-title">${h.code} ${h.title}</span>
  <span class="ws-meta">${h.major ? html`<span class="tag warn">${h.severityLabel}</span>` : html`<span class="tag">${h.severityLabel}</span>`} <span class="tag${h.closed ? '' : ' warn'}">${h.statusLabel}</span></span>
  <span class="muted">${h.foundOn ? `发现 ${h.foundOn} · ` : ''}期限 ${h.dueDate}</span></a></li>`)}</ul>`
    : html`<p class="empty">还没有隐患记录。</p>`}
${pagerNav(v.hazardPager, '隐患')}</section>
<p><a href="/">← 返回首页</a></p>
</div>`;
}

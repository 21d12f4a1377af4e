import { Html, html } from '../common/html';

/**
 * 现场检查填报页（检查人员手机端）的服务器端外壳。
 * The checklist itself is loaded by the ES modules under /static/form/ (entry: main.js) from GET /api/inspections/:id/form,
 * whose `requirements` say what a submission must contain;
 * the draft lives on the device (localStorage `yian.draft.<id>` + IndexedDB `yian`/`photos`) and is synced to the server.
 * Test hooks (#inspection-form, #sync-status, #progress, #submit-panel, #missing-list, #submit-result) are stable.
 */
export function inspectionFormPage(opts: { inspectionId: string; institutionName: string; csrfToken: string; userId?: string }): Html {
  return html`
<link rel="stylesheet" href="/static/inspection-form.css">
<div id="inspection-form" class="insp" data-inspection-id="${opts.inspectionId}" data-csrf="${opts.csrfToken}" data-user-id="${opts.userId ?? ''}">
  <p class="insp-back"><a href="/inspections/${opts.inspectionId}">← 检查详情</a></p>
  <h1 class="insp-title">现场检查<span class="insp-inst">${opts.institutionName}</span></h1>
  <p class="muted insp-meta" id="insp-meta"></p>

  <div class="insp-sticky">
    <div id="sync-status" class="sync-status" role="status" aria-live="polite" data-state="loading">正在加载检查表…</div>
    <div class="insp-progress-row">
      <span id="progress" class="insp-progress">已作答 0 / 0</span>
      <span class="insp-bar" aria-hidden="true"><span class="insp-bar-fill" id="progress-bar"></span></span>
    </div>
    <p id="sync-action" class="sync-action" hidden></p>
  </div>

  <noscript><p class="error">此页面需要启用 JavaScript 才能填写检查表。</p></noscript>
  <div id="form-error" class="error" role="alert" hidden></div>
  <p id="foreign-draft" class="notice" role="status" hidden></p>
  <section id="outbox" class="outbox" aria-live="polite" hidden></section>
  <section id="team-conflicts" class="team-conflicts" aria-live="polite" aria-label="检查组分工与答案冲突" hidden></section>
  <nav id="category-nav" class="cat-nav" aria-label="检查类别" hidden></nav>
  <div id="form-items" class="insp-items" aria-busy="true"><p class="muted">正在加载检查表…</p></div>

  <section id="submit-panel" class="card submit-panel" aria-labelledby="submit-panel-title" hidden>
    <h2 id="submit-panel-title" tabindex="-1">提交检查结果</h2>
    <div id="missing-summary" class="missing-summary"></div>
    <ul id="missing-list" class="missing-list"></ul>
    <div id="conflict-summary" class="conflict-summary" hidden></div>
    <p id="photo-pending-note" class="muted" hidden></p>

    <h3>检查人员签名</h3>
    <p class="muted" id="team-signature-rule">至少两名检查人员分别选择本人姓名并签名。</p>
    <div id="team-signatures"></div>
    <button type="button" id="add-signer" class="secondary">添加检查人员签名</button>

    <h3>签收确认</h3>
    <p class="muted">请被检查机构负责人或其授权代表填写姓名并签名。</p>
    <div id="rep-signature"></div>

    <div id="submit-errors" class="error" role="alert" hidden></div>
    <button type="button" id="confirm-submit" class="primary wide">确认提交</button>
    <p id="submit-state" class="muted" aria-live="polite"></p>
  </section>

  <section id="submit-result" class="card submit-result" tabindex="-1" hidden></section>

  <div class="action-bar" id="action-bar" hidden>
    <button type="button" id="next-unanswered" class="secondary">下一未答项</button>
    <button type="button" id="open-submit" class="primary" aria-controls="submit-panel" aria-expanded="false">提交检查结果</button>
  </div>
</div>
<script type="module" src="/static/form/main.js"></script>`;
}

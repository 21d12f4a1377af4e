// @ts-check
/**
 * 监管看板: draws the charts of the page's `#dash-data` JSON with Apache ECharts (SVG renderer). The page already
 * holds every number in tables; this script only adds the pictures: it shows each chart container (hidden without
 * JavaScript), folds its table into "数据表", and makes a bar a link to the filtered ledger (or the plan).
 * Nothing here writes markup from strings: tooltips are drawn inside the SVG (`renderMode: 'richText'`), so the
 * page's Content-Security-Policy (no inline style) holds.
 */
import * as echarts from '/static/vendor/echarts.esm.min.js';

/**
 * @typedef {'primary' | 'good' | 'info' | 'muted' | 'warn'} Tone
 * @typedef {{ name: string, tone: Tone, stack?: string, values: number[], hrefs: (string | null)[], warn?: boolean[] }} Series
 * @typedef {{ id: string, orientation: 'vertical' | 'horizontal', categories: string[], axisLabels?: string[], series: Series[] }} Chart
 */

/** The colours of app.css (--brand, --ok, --warn) and two quieter ones; every bar also has its number written on it. */
const TONES = { primary: '#0b5cab', good: '#1e7a3c', info: '#5b9bd5', muted: '#9aa9b8', warn: '#b3261e' };
const TEXT = '#1d2733';
const FONT = 'system-ui, "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif';

/**
 * @param {Chart} c
 * @returns {Record<string, unknown>} the ECharts option
 */
export function chartOption(c) {
  const horizontal = c.orientation === 'horizontal';
  const category = { type: 'category', data: horizontal ? c.categories : (c.axisLabels ?? c.categories), axisTick: { alignWithLabel: true }, inverse: horizontal,
    axisLabel: { color: TEXT, fontSize: 12, hideOverlap: true, ...(horizontal ? { width: 150, overflow: 'truncate' } : {}) } };
  const value = { type: 'value', minInterval: 1, axisLabel: { color: TEXT, fontSize: 12 } };
  const legend = c.series.length > 1;
  return {
    // No animation: figures for supervision appear as they are (and a resize redraws at once, no bars in motion).
    animation: false,
    textStyle: { fontFamily: FONT },
    grid: { left: 8, right: horizontal ? 36 : 12, top: legend ? 36 : 16, bottom: 8, containLabel: true },
    legend: legend ? { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { color: TEXT, fontSize: 12 } } : undefined,
    tooltip: {
      trigger: 'axis', renderMode: 'richText', axisPointer: { type: 'shadow' },
      formatter: (/** @type {any} */ params) => {
        const list = Array.isArray(params) ? params : [params];
        const i = list[0]?.dataIndex ?? 0;
        return [c.categories[i], ...list.map((p) => `${p.seriesName}：${p.value}`)].join('\n');
      },
    },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series: c.series.map((s) => ({
      type: 'bar', name: s.name, stack: s.stack, barMaxWidth: 28,
      cursor: s.hrefs.some(Boolean) ? 'pointer' : 'default',
      itemStyle: { color: TONES[s.tone] },
      label: { show: true, position: s.stack ? 'inside' : (horizontal ? 'right' : 'top'), color: s.stack ? '#fff' : TEXT, fontSize: 12,
        formatter: (/** @type {any} */ p) => (p.value ? String(p.value) : '') },
      data: s.values.map((v, i) => (s.warn?.[i] ? { value: v, itemStyle: { color: TONES.warn } } : v)),
    })),
  };
}

/** Bars of a horizontal chart get room for their names; columns a fixed height. */
function heightOf(/** @type {Chart} */ c) {
  return c.orientation === 'horizontal' ? Math.max(180, c.categories.length * 34 + (c.series.length > 1 ? 76 : 48)) : 280;
}

function draw() {
  const data = document.getElementById('dash-data');
  if (!data?.textContent) return;
  /** @type {{ charts: Chart[] }} */
  const { charts } = JSON.parse(data.textContent);
  for (const c of charts) {
    const el = document.getElementById(`chart-${c.id}`);
    if (!el) continue;
    el.hidden = false;
    el.style.height = `${heightOf(c)}px`; // CSSOM, which the CSP allows (a style="" attribute it would not)
    const chart = echarts.init(el, null, { renderer: 'svg' });
    chart.setOption(chartOption(c));
    chart.on('click', (/** @type {any} */ p) => {
      const href = c.series[p.seriesIndex]?.hrefs[p.dataIndex];
      if (href) window.location.assign(href);
    });
    new ResizeObserver(() => chart.resize()).observe(el);
    const figure = el.closest('figure');
    figure?.querySelector('[data-chart-table]')?.removeAttribute('open');
    const hint = figure?.querySelector('[data-chart-hint]');
    if (hint instanceof HTMLElement) hint.hidden = false;
    el.dataset.drawn = 'true';
  }
}

draw();

/**
 * 养老机构等级评定结果通知 — the grade result of one finalized GB/T 37276 assessment: the institution, the
 * assessment and finalization dates, each part's points against its maximum, the total, the grade (or 未达等级 and
 * why), the validity, the assessors and the grading form version, and the basis. A4 portrait, Noto Sans SC through
 * the shared kit (src/reports/pdf). Pure: plain data in, PDF bytes out.
 *
 * The basis printed is the grading form's own labelled source — its `standard` (GB/T 37276-2018 …) and, for the
 * thresholds, the implementing rules it was transcribed from — never a research tag (S5) or a foreign code.
 */
import { formatChineseDate, formatChineseDateTime, shanghaiDate } from '../common/calendar';
import { createDocument, finalize, gap, heading, keyValueRows, paragraph, rule, SMALL_SIZE, table } from '../reports/pdf/pdf-kit';

export interface GradeResultPdfData {
  bureauName: string;
  institution: { name: string; address: string; creditCode: string };
  /** opened (Date) and finalized (Date) instants */
  openedAt: Date;
  finalizedAt: Date;
  parts: { title: string; points: number; max: number; percent: number }[];
  total: number;
  totalMax: number;
  gradeLabel: string;
  reasons: string[];
  /** YYYY-MM-DD (Asia/Shanghai), inclusive; validUntil null: open-ended (records before validity was stored) */
  validFrom: string;
  validUntil: string | null;
  assessors: { openedBy: string; finalizedBy: string };
  form: { code: string; title: string; versionNo: number; contentHash: string };
  /** e.g. GB/T 37276-2018 养老机构等级划分与评定 */
  standard: string;
  /** decisions in effect or recorded on this outcome (撤销 / 降级) */
  decisions: { label: string; effectiveOn: string; reason: string; basis: string }[];
  generatedAt: Date;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, ''));

export function renderGradeResult(d: GradeResultPdfData): Promise<Buffer> {
  const doc = createDocument({ title: `等级评定结果 · ${d.institution.name}`, author: d.bureauName, subject: `${d.form.code} 第 ${d.form.versionNo} 版` });
  heading(doc, '养老机构等级评定结果', { level: 1 });
  paragraph(doc, d.bureauName, { align: 'center' });
  rule(doc);
  gap(doc, 6);
  keyValueRows(doc, [
    { label: '机构名称', value: d.institution.name, wide: true },
    { label: '统一社会信用代码', value: d.institution.creditCode, wide: true },
    { label: '地址', value: d.institution.address, wide: true },
    { label: '评定开启', value: formatChineseDate(shanghaiDate(d.openedAt)) },
    { label: '评定定稿', value: formatChineseDateTime(d.finalizedAt) },
  ], { pairsPerRow: 2, labelWidth: 112 });
  heading(doc, '一、各部分得分');
  table(doc, {
    columns: [{ header: '部分' }, { header: '得分', width: 80, align: 'right' }, { header: '满分', width: 80, align: 'right' }, { header: '得分率', width: 80, align: 'right' }],
    rows: d.parts.map((p) => [p.title, fmt(p.points), String(p.max), `${fmt(p.percent)}%`]),
    summaryRows: [['总分', fmt(d.total), String(d.totalMax), '']],
  });
  heading(doc, '二、评定结论');
  keyValueRows(doc, [
    { label: '等级', value: d.gradeLabel, wide: true },
    { label: '有效期', value: d.validUntil ? `${formatChineseDate(d.validFrom)} 至 ${formatChineseDate(d.validUntil)}` : `自 ${formatChineseDate(d.validFrom)} 起`, wide: true },
  ], { labelWidth: 112 });
  gap(doc, 4);
  paragraph(doc, '说明：');
  for (const r of d.reasons) paragraph(doc, `· ${r}`, { indent: 12 });
  paragraph(doc, '本结论自定稿之日起生效，作为养老机构运营补贴等级系数的依据；后一次定稿的评定结论自其生效之日起覆盖本结论，撤销或降级决定自其生效日期起适用。', { size: SMALL_SIZE });
  if (d.decisions.length) {
    heading(doc, '三、撤销与降级决定');
    table(doc, {
      columns: [{ header: '决定', width: 90 }, { header: '生效日期', width: 90 }, { header: '理由' }, { header: '依据' }],
      rows: d.decisions.map((x) => [x.label, formatChineseDate(x.effectiveOn), x.reason, x.basis]),
    });
  }
  heading(doc, d.decisions.length ? '四、评定人员与依据' : '三、评定人员与依据');
  keyValueRows(doc, [
    { label: '开启评定', value: d.assessors.openedBy || '—' },
    { label: '定稿', value: d.assessors.finalizedBy || '—' },
    { label: '评分表', value: `${d.form.title}（${d.form.code}，第 ${d.form.versionNo} 版，内容摘要 ${d.form.contentHash.slice(0, 12)}）`, wide: true },
    // Only the national standard is a basis. The grade thresholds are a configured transcription whose source is not
    // verified (standards.md §1.1, grading-gbt37276.yaml thresholds.uncertainty): they are named as configuration,
    // never as another city's rules.
    { label: '评定依据', value: d.standard, wide: true },
    { label: '等级门槛', value: `本系统评分表第 ${d.form.versionNo} 版配置的门槛（来源待核实，以主管部门认定为准）`, wide: true },
  ], { pairsPerRow: 2, labelWidth: 112 });
  gap(doc, 8);
  paragraph(doc, `生成时间：${formatChineseDateTime(d.generatedAt)}`, { size: SMALL_SIZE, color: '#595959' });
  return finalize(doc, { footerNote: `${d.institution.name} · 等级评定结果` });
}

/**
 * 养老机构安全检查记录 — the printable record of one submitted inspection, handed to the
 * institution and kept in the bureau's files. Pure: takes plain data, returns PDF bytes.
 */
import { formatChineseDateTime } from '../common/calendar';
import {
  BODY_SIZE,
  cm,
  createDocument,
  finalize,
  gap,
  heading,
  keyValueRows,
  paragraph,
  rule,
  signatures,
  SMALL_SIZE,
  table,
  thumbnails,
} from './pdf/pdf-kit';
import { pdfSafeImage } from './pdf/safe-image';

export interface InspectionReportData {
  /** e.g. 常民安检〔2026〕第0007号 */
  reportNo: string;
  /** e.g. 常州市天宁区民政局 */
  bureauName: string;
  institution: { name: string; address: string; creditCode: string; kindLabel: string; contactName: string; contactPhone: string };
  inspection: {
    kindLabel: string; startedAt: Date; submittedAt: Date; planName?: string | null;
    /** 检查码核验: 检查码已于 … 由 … 核验 / 未经被检查机构核验检查码; absent or null: the inspection had no code (no line) */
    codeVerification?: string | null;
  };
  /** `warrantNo`: the 执法证号 (null: 未登记; absent: not printed, a record from before the field existed) */
  team: { name: string; roleLabel: string; warrantNo?: string | null }[];
  checklist: { title: string; versionNo: number; contentHash: string };
  summary: { categoryTitle: string; passed: number; failed: number; notApplicable: number }[];
  findings: {
    itemCode: string;
    title: string;
    basis: string;
    location: string;
    severityLabel: string;
    scopeLabel: string;
    note: string;
    /** Already formatted, e.g. 「2026年12月23日（30天）」 or 「立即整改」. */
    deadline: string;
    /** As stored (any format libvips reads; null: the file is missing); re-encoded before layout. */
    photos: { data: Buffer | null; caption?: string }[];
  }[];
  /** PNG images of on-screen signatures (re-encoded before layout). */
  signatures: { label: string; name: string; image: Buffer | null; signedAt: Date | null }[];
  generatedAt: Date;
}

export const INSPECTION_REPORT_TITLE = '养老机构安全检查记录';

/** ` · 执法证号 …` after a team member's role (未登记 when missing; nothing for a record without the field). */
function warrantText(warrantNo: string | null | undefined): string {
  if (warrantNo === undefined) return '';
  return ` · 执法证号 ${warrantNo ?? '未登记'}`;
}

/**
 * Renders the inspection record as an A4 PDF. Every photo and signature is first decoded and re-encoded
 * (`pdfSafeImage`), so the layout only ever embeds images made here; one that cannot be decoded is drawn as
 * 「图片无法显示」 instead of failing (or crashing) the render.
 */
export async function renderInspectionReport(input: InspectionReportData): Promise<Buffer> {
  const data = {
    ...input,
    findings: await Promise.all(input.findings.map(async (f) => ({
      ...f, photos: await Promise.all(f.photos.map(async (p) => ({ ...p, data: await pdfSafeImage(p.data, 'photo') }))),
    }))),
    signatures: await Promise.all(input.signatures.map(async (s) => {
      const image = await pdfSafeImage(s.image, 'signature');
      return { ...s, image, unreadable: (!!s.image || !!s.signedAt) && !image };
    })),
  };
  const doc = createDocument({ title: `${INSPECTION_REPORT_TITLE} ${data.reportNo}`, author: data.bureauName, subject: data.institution.name });

  paragraph(doc, data.bureauName, { bold: true, size: 14, align: 'center' });
  heading(doc, INSPECTION_REPORT_TITLE, { level: 1 });
  paragraph(doc, data.reportNo, { align: 'center' });
  rule(doc, { width: 1.2 });

  heading(doc, '一、被检查机构');
  keyValueRows(
    doc,
    [
      { label: '机构名称', value: data.institution.name, wide: true },
      { label: '统一社会信用代码', value: data.institution.creditCode },
      { label: '机构类型', value: data.institution.kindLabel },
      { label: '地址', value: data.institution.address, wide: true },
      { label: '联系人', value: data.institution.contactName },
      { label: '联系电话', value: data.institution.contactPhone },
    ],
    { pairsPerRow: 2, labelWidth: cm(3.4) },
  );

  const { inspection, checklist } = data;
  heading(doc, '二、检查情况');
  keyValueRows(
    doc,
    [
      { label: '检查类型', value: inspection.kindLabel },
      { label: '检查计划', value: inspection.planName || '—' },
      { label: '开始时间', value: formatChineseDateTime(inspection.startedAt) },
      { label: '提交时间', value: formatChineseDateTime(inspection.submittedAt) },
      { label: '检查人员', value: data.team.map((m) => `${m.name}（${m.roleLabel}${warrantText(m.warrantNo)}）`).join('、') || '—', wide: true },
      ...(inspection.codeVerification ? [{ label: '检查码核验', value: inspection.codeVerification, wide: true }] : []),
      {
        label: '检查表',
        value: `${checklist.title}（第 ${checklist.versionNo} 版，内容校验码 ${checklist.contentHash.slice(0, 12)}）`,
        wide: true,
      },
    ],
    { pairsPerRow: 2, labelWidth: cm(3.4) },
  );

  heading(doc, '三、检查结果汇总');
  const total = data.summary.reduce(
    (sum, row) => ({ passed: sum.passed + row.passed, failed: sum.failed + row.failed, notApplicable: sum.notApplicable + row.notApplicable }),
    { passed: 0, failed: 0, notApplicable: 0 },
  );
  const numberColumn = { width: cm(2.6), align: 'center' as const };
  table(doc, {
    columns: [{ header: '类别' }, { header: '合格', ...numberColumn }, { header: '不合格', ...numberColumn }, { header: '不适用', ...numberColumn }],
    rows: data.summary.map((row) => [row.categoryTitle, String(row.passed), String(row.failed), String(row.notApplicable)]),
    summaryRows: [['合计', String(total.passed), String(total.failed), String(total.notApplicable)]],
  });

  heading(doc, '四、检查发现的问题');
  if (data.findings.length === 0) {
    paragraph(doc, '本次检查未发现问题。');
  }
  data.findings.forEach((finding, index) => {
    // Keep the finding's title with at least its first rows of details.
    heading(doc, `${index + 1}. ${finding.title}`, { level: 3, keepWithNext: BODY_SIZE * 1.5 * 4 });
    keyValueRows(
      doc,
      [
        { label: '检查项编号', value: finding.itemCode },
        { label: '隐患等级', value: finding.severityLabel },
        { label: '范围', value: finding.scopeLabel },
        { label: '整改期限', value: finding.deadline },
        { label: '位置', value: finding.location, wide: true },
        { label: '依据', value: finding.basis, wide: true },
        { label: '情况说明', value: finding.note || '—', wide: true },
      ],
      { pairsPerRow: 2, labelWidth: cm(2.4) },
    );
    if (finding.photos.length > 0) {
      gap(doc, 6);
      thumbnails(doc, finding.photos);
    }
    gap(doc, 4);
  });

  heading(doc, '五、签名确认', { keepWithNext: cm(4) });
  signatures(
    doc,
    data.signatures.map((s) => ({ label: s.label, name: s.name, image: s.image, unreadable: s.unreadable, time: s.signedAt ? formatChineseDateTime(s.signedAt) : null })),
  );

  gap(doc, 6);
  paragraph(doc, `本记录由颐安系统生成，生成时间：${formatChineseDateTime(data.generatedAt)}`, { size: SMALL_SIZE, color: '#595959', align: 'right' });

  return finalize(doc, { footerNote: data.reportNo });
}

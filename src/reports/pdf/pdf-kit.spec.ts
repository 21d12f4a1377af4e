import { pdfPages, savePdf } from '../../../test/support/pdf';
import { cjkFonts } from './fonts';
import { cm, createDocument, finalize, heading, keyValueRows, PdfDoc, table, thumbnails } from './pdf-kit';

/** Renders with `draw`, saves the PDF and returns the text of each page. */
async function render(name: string, draw: (doc: PdfDoc) => void, footerNote?: string): Promise<string[]> {
  const doc = createDocument({ title: name, author: '颐安测试' });
  draw(doc);
  const pdf = await finalize(doc, { footerNote });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return pdfPages(savePdf(`${name}.pdf`, pdf));
}

const columns = [{ header: '序号', width: cm(1.5), align: 'center' as const }, { header: '机构名称' }, { header: '补贴金额（元）', width: cm(3), align: 'right' as const }];
const rows = Array.from({ length: 80 }, (_, i) => [String(i + 1), `第${i + 1}家养老机构（常州市天宁区）`, `${(i + 1) * 100}.00`]);

describe('pdf kit', () => {
  it('loads the fonts once per process', () => {
    expect(cjkFonts()).toBe(cjkFonts());
    expect(cjkFonts().regular.subarray(0, 4)).toEqual(Buffer.from([0, 1, 0, 0])); // TrueType, not WOFF2
  });

  it('repeats the table header on every page and numbers the pages', async () => {
    const pages = await render('kit-table', (doc) => {
      heading(doc, '养老机构运营补贴明细表', { level: 1 });
      table(doc, { columns, rows, summaryRows: [['', '合计', '324000.00']] });
    }, '天民补〔2026〕第12号');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((page, i) => {
      expect(page).toMatch(/序号\s+机构名称\s+补贴金额（元）/);
      expect(page).toContain(`第 ${i + 1} 页 / 共 ${pages.length} 页`);
      expect(page).toContain('天民补〔2026〕第12号');
    });
    const all = pages.join('');
    for (const row of rows) expect(all).toContain(row[1]);
    expect(all).toMatch(/合计\s+324000\.00/);
  });

  it('draws the header once when asked not to repeat it', async () => {
    const pages = await render('kit-table-no-repeat', (doc) => table(doc, { columns, rows, repeatHeader: false }));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages[0]).toContain('补贴金额（元）');
    expect(pages[1]).not.toContain('补贴金额（元）');
  });

  it('splits a row taller than a page at a line boundary, losing nothing', async () => {
    const paragraphs = Array.from({ length: 90 }, (_, i) => `第${i + 1}条：养老机构应当建立消防安全责任制度，明确各岗位的消防安全职责。`);
    const pages = await render('kit-tall-row', (doc) => {
      keyValueRows(doc, [
        { label: '机构名称', value: '颐康老年公寓' },
        { label: '情况说明', value: paragraphs.join('\n') },
      ]);
    });
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const all = pages.join('');
    for (const p of paragraphs) expect(all).toContain(p);
  });

  it('puts a long footer note on its own line', async () => {
    const note = '常州市天宁区民政局关于2026年第四季度养老机构消防安全专项检查发现问题的整改通知书（第0007号）';
    const [page] = await render('kit-long-note', (doc) => heading(doc, '整改通知书', { level: 1 }), note);
    expect(page).toContain('第 1 页 / 共 1 页');
    expect(page.replace(/\s+/g, '')).toContain(note.slice(0, 30));
  });

  it('draws a placeholder instead of failing on an unreadable image', async () => {
    const [page] = await render('kit-bad-image', (doc) => thumbnails(doc, [{ data: Buffer.from('not an image'), caption: '损坏的照片' }]));
    expect(page).toContain('（图片无法显示）');
    expect(page).toContain('损坏的照片');
  });
});

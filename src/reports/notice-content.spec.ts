import { noticeContent } from './notice-content';
import type { RectificationNoticeData } from './notice.pdf';

const data = (over: Partial<RectificationNoticeData> = {}): RectificationNoticeData => ({
  noticeNo: '常天民安整〔2026〕第0003号', bureauName: '常州市天宁区民政局',
  institution: { name: '颐康院', address: '红梅路 1 号', creditCode: '52320402MJ5821346X' },
  inspection: { date: new Date('2026-11-23T02:05:00Z'), kindLabel: '日常检查', reportNo: '常天民安检〔2026〕第0007号' },
  issuedAt: new Date('2026-11-24T02:00:00Z'),
  hazards: [
    { no: 1, itemCode: 'ESC-001', title: '通道堵塞：杂物', basis: '消防法', location: '三楼', severityLabel: '重大隐患', dueDate: '2026-11-24', deadlineDays: 0, interim: '立即清理' },
    { no: 2, itemCode: 'ESC-002', title: '出口锁闭', basis: '消防法', location: '一楼', severityLabel: '一般隐患', dueDate: '2026-12-24', deadlineDays: 30 },
  ],
  majorCount: 1, howToRespond: ['甲', '乙'], verifyUrl: 'https://yian.example.cn/verify/notice/ab', contact: null, ...over,
});

describe('notice content (shared by the PDF and the pages)', () => {
  it('words the opening, the rows and the 落款 once', () => {
    const c = noticeContent(data());
    expect(c.addressee).toBe('颐康院：');
    expect(c.opening).toBe('\u3000\u3000经2026年11月23日日常检查（检查记录 常天民安检〔2026〕第0007号），发现你单位（统一社会信用代码：52320402MJ5821346X；地址：红梅路 1 号）存在下列安全隐患共 2 项，其中重大事故隐患 1 项。现责令你单位按下表所列期限整改：');
    expect(c.rows[0]).toEqual(['1', 'ESC-001', '通道堵塞：杂物\n位置：三楼\n临时管控措施：立即清理', '消防法', '重大隐患', '立即整改']);
    expect(c.rows[1][5]).toBe('2026年12月24日\n（30天）');
    expect(c.majorBox?.title).toBe('重大事故隐患整改要求（共 1 项）');
    expect(c.respond).toEqual(['\u3000\u3000甲', '\u3000\u3000乙']);
    expect(c.signOff).toEqual({ bureauName: '常州市天宁区民政局', date: '2026年11月24日', seal: '（印章）' });
    expect(c.verifyLine).toBe('核验：https://yian.example.cn/verify/notice/ab');
  });

  it('leaves out the major box without major hazards, and says the link comes after issuing in a preview', () => {
    const c = noticeContent(data({ majorCount: 0, verifyUrl: '' }));
    expect(c.majorBox).toBeNull();
    expect(c.opening).not.toContain('重大事故隐患');
    expect(c.verifyLine).toBe('核验：下达后生成核验链接和二维码');
  });
});

import { sanitizeText, wrapText } from './line-break';

/** Monospaced stand-in for a font: CJK and full-width characters 10 pt, everything else 5 pt, space 3 pt. */
const measure = (text: string): number =>
  Array.from(text).reduce((width, ch) => width + (ch === ' ' ? 3 : /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 10 : 5), 0);

describe('wrapText', () => {
  it('breaks Chinese between any two characters', () => {
    expect(wrapText('养老机构安全检查记录', 40, measure)).toEqual(['养老机构', '安全检查', '记录']);
  });

  it('keeps closing punctuation off the start of a line (避头尾)', () => {
    // 「，」 would start line 2; it travels with 「查」 instead.
    expect(wrapText('安全检查，整改通知', 40, measure)).toEqual(['安全检', '查，整改', '通知']);
    expect(wrapText('整改期限）。完成', 40, measure)).toEqual(['整改期', '限）。完', '成']);
  });

  it('keeps opening punctuation off the end of a line', () => {
    expect(wrapText('检查人员（组长）', 40, measure)).toEqual(['检查人员', '（组长）']);
    expect(wrapText('检查人（组长）', 40, measure)).toEqual(['检查人', '（组长）']);
  });

  it('keeps Latin and digit runs whole and breaks at spaces', () => {
    expect(wrapText('电话0519-88123456', 70, measure)).toEqual(['电话', '0519-88123456']);
    expect(wrapText('GB 50016-2014 规范', 50, measure)).toEqual(['GB', '50016-2014', '规范']);
  });

  it('cuts a run wider than the box by characters', () => {
    expect(wrapText('9f2c41d7ab03e588', 30, measure)).toEqual(['9f2c41', 'd7ab03', 'e588']);
  });

  it('honours explicit line breaks and keeps empty lines', () => {
    expect(wrapText('第一行\n\n第三行', 100, measure)).toEqual(['第一行', '', '第三行']);
    expect(wrapText('', 100, measure)).toEqual(['']);
  });

  it('never produces a line wider than the box', () => {
    const text = '《养老机构服务安全基本规范》（GB 38600—2019）第6.4条：任何单位、个人不得占用、堵塞、封闭疏散通道、安全出口。';
    for (const width of [23, 37, 58, 101]) {
      const lines = wrapText(text, width, measure);
      expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      // Each line fits, unless a single unbreakable unit is wider than the box.
      for (const line of lines) if (measure(line) > width) expect(line).toMatch(/^\S{1,3}$/u);
    }
  });
});

describe('sanitizeText', () => {
  it('removes characters that would print as boxes and normalises line ends', () => {
    expect(sanitizeText('\ufeff安\u200b全\r\n检\t查\u0007')).toBe('安全\n检 查');
  });
});

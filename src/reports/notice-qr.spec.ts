import QRCode from 'qrcode';
import { qrMatrix, qrSvg } from './notice-qr';

describe('notice QR code', () => {
  const url = 'https://yian.example.cn/verify/notice/0123456789abcdef0123456789abcdef';

  it('is the matrix the library makes for the full address', () => {
    const m = qrMatrix(url);
    const expected = QRCode.create(url, { errorCorrectionLevel: 'M' }).modules;
    expect(m.size).toBe(expected.size);
    expect(m.dark).toEqual(Array.from(expected.data, (v) => v === 1));
  });

  it('is SVG with an accessible name and no inline style', async () => {
    const svg = await qrSvg(url, '核验二维码：<x>');
    expect(svg.startsWith('<svg class="qr" role="img" aria-label="核验二维码：&#60;x&#62;" ')).toBe(true);
    expect(svg).not.toMatch(/style=|<script/);
  });
});

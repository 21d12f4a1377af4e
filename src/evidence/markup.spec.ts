import { arrowHead, checkMarkup, MARKUP_LIMITS, markupCounts } from './markup';

const layer = (shapes: unknown[], extra: Record<string, unknown> = {}) => ({ v: 1, w: 1600, h: 1200, shapes, ...extra });

describe('photo markup layer (checkMarkup)', () => {
  it('accepts arrows, circles and text, rounded to thousandths, text trimmed', () => {
    const r = checkMarkup(layer([
      { t: 'arrow', x1: 0.1, y1: 0.2, x2: 0.50004, y2: 0.6 },
      { t: 'circle', x: 0.5, y: 0.5, r: 0.1234 },
      { t: 'text', x: 0.05, y: 0.1, s: '  灭火器过期\n ' },
    ]));
    expect(r.issues).toEqual([]);
    expect(r.markup).toEqual({ v: 1, w: 1600, h: 1200, shapes: [
      { t: 'arrow', x1: 0.1, y1: 0.2, x2: 0.5, y2: 0.6 }, { t: 'circle', x: 0.5, y: 0.5, r: 0.123 }, { t: 'text', x: 0.05, y: 0.1, s: '灭火器过期' },
    ] });
    expect(markupCounts(r.markup)).toEqual({ arrow: 1, circle: 1, text: 1 });
  });

  it.each([
    ['not an object', 'nope', 'markup', 'markupInvalid'],
    ['a wrong version', layer([], { v: 2 }), 'markup.v', 'markupInvalid'],
    ['an unknown key', layer([], { colour: 'red' }), 'markup.colour', 'markupInvalid'],
    ['a zero width', layer([], { w: 0 }), 'markup.w', 'markupInvalid'],
    ['shapes not a list', { v: 1, w: 10, h: 10, shapes: {} }, 'markup.shapes', 'markupInvalid'],
    ['an unknown shape', layer([{ t: 'star', x: 0.1, y: 0.1 }]), 'markup.shapes.0.t', 'markupInvalid'],
    ['a coordinate outside the photo', layer([{ t: 'arrow', x1: 0.1, y1: 0.2, x2: 1.5, y2: 0.6 }]), 'markup.shapes.0.x2', 'markupInvalid'],
    ['a NaN-like coordinate', layer([{ t: 'circle', x: '0.5', y: 0.5, r: 0.1 }]), 'markup.shapes.0.x', 'markupInvalid'],
    ['a zero radius', layer([{ t: 'circle', x: 0.5, y: 0.5, r: 0 }]), 'markup.shapes.0.r', 'markupInvalid'],
    ['an extra key on a shape', layer([{ t: 'text', x: 0.5, y: 0.5, s: 'a', href: 'x' }]), 'markup.shapes.0.href', 'markupInvalid'],
    ['empty text', layer([{ t: 'text', x: 0.5, y: 0.5, s: '   ' }]), 'markup.shapes.0.s', 'markupInvalid'],
    ['too long text', layer([{ t: 'text', x: 0.5, y: 0.5, s: '字'.repeat(61) }]), 'markup.shapes.0.s', 'markupTextTooLong'],
    ['too many shapes', layer(Array.from({ length: 31 }, () => ({ t: 'circle', x: 0.5, y: 0.5, r: 0.1 }))), 'markup.shapes', 'markupTooManyShapes'],
    ['too many bytes', layer([{ t: 'text', x: 0.5, y: 0.5, s: 'a' }], { pad: 'x'.repeat(MARKUP_LIMITS.bytes) }), 'markup', 'markupTooLarge'],
  ])('refuses %s, naming the field', (_what, input, field, reason) => {
    const r = checkMarkup(input);
    expect(r.markup).toBeNull();
    expect(r.issues[0]).toMatchObject({ field, reason });
  });

  it('draws the arrow head back from the tip, symmetric about the shaft', () => {
    const [a, tip, b] = arrowHead({ x1: 0, y1: 0.5, x2: 0.5, y2: 0.5 }, 1000, 1000);
    expect(tip).toEqual([500, 500]);
    expect(a[0]).toBeLessThan(500);
    expect(b[0]).toBe(a[0]);
    expect(a[1] - 500).toBeCloseTo(500 - b[1], 5);
  });
});

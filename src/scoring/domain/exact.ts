/**
 * Exact decimal arithmetic for scores and money: rationals over BigInt, built from the decimal text of a
 * number (0.6 is 6/10, not 0.59999…), rounded once where a rule says so. Pure, no dependencies.
 */

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

export class Ratio {
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  static of(num: bigint | number, den: bigint | number = 1n): Ratio {
    let n = BigInt(num);
    let d = BigInt(den);
    if (d === 0n) throw new RangeError('division by zero');
    if (d < 0n) [n, d] = [-n, -d];
    const g = gcd(n, d) || 1n;
    return new Ratio(n / g, d / g);
  }

  /** From a JS number, via its shortest decimal text (what the YAML said). */
  static from(x: number): Ratio {
    if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
    const [mantissa, expPart] = String(x).toLowerCase().split('e');
    const exp = expPart ? Number(expPart) : 0;
    const negative = mantissa.startsWith('-');
    const [int, frac = ''] = (negative ? mantissa.slice(1) : mantissa).split('.');
    let num = BigInt(int + frac) * (negative ? -1n : 1n);
    let den = 10n ** BigInt(frac.length);
    if (exp > 0) num *= 10n ** BigInt(exp);
    if (exp < 0) den *= 10n ** BigInt(-exp);
    return Ratio.of(num, den);
  }

  add(o: Ratio | number): Ratio {
    const r = typeof o === 'number' ? Ratio.from(o) : o;
    return Ratio.of(this.num * r.den + r.num * this.den, this.den * r.den);
  }

  sub(o: Ratio | number): Ratio {
    const r = typeof o === 'number' ? Ratio.from(o) : o;
    return this.add(Ratio.of(-r.num, r.den));
  }

  mul(o: Ratio | number): Ratio {
    const r = typeof o === 'number' ? Ratio.from(o) : o;
    return Ratio.of(this.num * r.num, this.den * r.den);
  }

  div(o: Ratio | number): Ratio {
    const r = typeof o === 'number' ? Ratio.from(o) : o;
    return Ratio.of(this.num * r.den, this.den * r.num);
  }

  cmp(o: Ratio | number): -1 | 0 | 1 {
    const r = typeof o === 'number' ? Ratio.from(o) : o;
    const d = this.num * r.den - r.num * this.den;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }

  isInteger(): boolean {
    return this.den === 1n;
  }

  /**
   * Rounds to `decimals` places, half away from zero (四舍五入: 0.125 → 0.13, −0.125 → −0.13), and returns
   * the result scaled by 10^decimals as an integer (e.g. fen for decimals = 2 of a yuan amount).
   */
  roundScaled(decimals: number): bigint {
    const scale = 10n ** BigInt(decimals);
    const n = this.num * scale;
    const neg = n < 0n;
    const abs = neg ? -n : n;
    const q = (abs * 2n + this.den) / (2n * this.den);
    return neg ? -q : q;
  }

  /** Rounded to `decimals` places (half away from zero), as a JS number. */
  round(decimals: number): number {
    const v = Number(this.roundScaled(decimals)) / 10 ** decimals;
    return v === 0 ? 0 : v; // no −0
  }

  toNumber(): number {
    return Number(this.num) / Number(this.den);
  }
}

/** A number as written in an explanation: no trailing zeros, U+2212 minus sign. */
export function fmt(x: number): string {
  const s = String(x === 0 ? 0 : x);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

/** A signed number for a ledger line: "−1.8", "+2", "0". */
export function signed(x: number): string {
  if (x === 0) return '0';
  return x > 0 ? `+${fmt(x)}` : fmt(x);
}

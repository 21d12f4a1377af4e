// Reading our own exports back in tests.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- superagent's parser signature
export const binary = (r: any, cb: (err: Error | null, body: unknown) => void) => {
  const c: Buffer[] = [];
  r.on('data', (d: Buffer) => c.push(d));
  r.on('end', () => cb(null, Buffer.concat(c)));
};

/** RFC 4180, enough to read our own exports back. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') { if (ch === '\r' && text[i + 1] === '\n') i++; row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += ch;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

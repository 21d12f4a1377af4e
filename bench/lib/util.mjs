// Small helpers shared by the benchmark scripts: seeded PRNG, UUIDs, statistics, COPY, child processes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** dist/ is CommonJS: load it with require so Nest's decorators/metadata behave exactly as in production. */
export const requireDist = createRequire(path.join(ROOT, 'dist', 'src', 'index.js'));
export const dist = (p) => requireDist(path.join(ROOT, 'dist', 'src', p));

// ---------------------------------------------------------------- PRNG

/** mulberry32: a small, fast, seedable PRNG (same seed → same dataset). */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
    /** Poisson-ish count with the given mean (Knuth), capped. */
    poisson: (mean, cap = Infinity) => {
      const L = Math.exp(-mean);
      let k = 0;
      let p = 1;
      do { k++; p *= next(); } while (p > L);
      return Math.min(k - 1, cap);
    },
    uuid: () => {
      const h = [];
      for (let i = 0; i < 4; i++) h.push((Math.floor(next() * 0x100000000) >>> 0).toString(16).padStart(8, '0'));
      const s = h.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${'89ab'[parseInt(s[16], 16) & 3]}${s.slice(17, 20)}-${s.slice(20, 32)}`;
    },
    hex: (n) => {
      let s = '';
      while (s.length < n) s += (Math.floor(next() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
      return s.slice(0, n);
    },
    shuffle: (arr) => {
      for (let i = arr.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [arr[i], arr[j]] = [arr[j], arr[i]];
      }
      return arr;
    },
  };
  return r;
}

// ---------------------------------------------------------------- statistics

export function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

export function summary(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: quantile(s, 0.5), p99: quantile(s, 0.99), min: s[0], max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}

export const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
export const now = () => process.hrtime.bigint();

// ---------------------------------------------------------------- COPY FROM STDIN (text format)

function esc(v) {
  if (v === null || v === undefined) return '\\N';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'object') v = JSON.stringify(v);
  const s = String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/** COPY `rows` (an iterable of arrays) into `table(columns)` through pg-copy-streams, with backpressure. */
export async function copyRows(client, table, columns, rows) {
  const { from } = requireDist('pg-copy-streams');
  const stream = client.query(from(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  const done = new Promise((resolve, reject) => { stream.on('finish', resolve); stream.on('error', reject); });
  let buf = '';
  let n = 0;
  for (const row of rows) {
    buf += row.map(esc).join('\t') + '\n';
    n++;
    if (buf.length > 1 << 20) {
      if (!stream.write(buf)) await new Promise((r) => stream.once('drain', r));
      buf = '';
    }
  }
  if (buf) stream.write(buf);
  stream.end();
  await done;
  return n;
}

// ---------------------------------------------------------------- HTTP

export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request; resolves with status, headers and the body (or only its size with `discard`). */
export function request(url, { method = 'GET', headers = {}, body, discard = false, timeoutMs = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request(url, {
      method, agent,
      headers: { ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}), ...headers },
    }, (res) => {
      const chunks = [];
      let size = 0;
      res.on('data', (c) => { size += c.length; if (!discard) chunks.push(c); });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, size, body: discard ? null : Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (timeoutMs) req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    if (data) req.write(data);
    req.end();
  });
}

export async function json(url, opts) {
  const r = await request(url, opts);
  let parsed = null;
  try { parsed = JSON.parse(r.body); } catch { /* not JSON */ }
  return { ...r, json: parsed };
}

export async function waitForHttp(url, timeoutMs = 60_000, child) {
  const t0 = Date.now();
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${url} answered`);
    try {
      const r = await request(url);
      if (r.status < 500) return;
    } catch { /* not yet */ }
    if (Date.now() - t0 > timeoutMs) throw new Error(`timeout waiting for ${url}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

// ---------------------------------------------------------------- children and memory

const children = new Set();

/** Spawns a Node child with output to a log file; registered so cleanup() kills it even on failure. */
export function spawnNode(args, env, logFile) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function stopChild(child, timeoutMs = 10_000) {
  if (!child || child.exitCode !== null || child.signalCode) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(t);
}

export async function stopAllChildren() {
  await Promise.all([...children].map((c) => stopChild(c, 5000)));
}

/** VmRSS / VmHWM of a process in MB (Linux). */
export function memOf(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

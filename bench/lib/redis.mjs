// A throw-away redis-server for the queue runs (none installed: those runs are skipped and the table says so).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from './db.mjs';

export function redisServerPath() {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const ping = (port) => new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1');
  s.once('connect', () => s.write('PING\r\n'));
  s.once('data', (d) => { s.destroy(); resolve(String(d).startsWith('+PONG')); });
  s.once('error', () => resolve(false));
});

/**
 * Starts redis-server on a free port: durability off = no snapshots, no AOF (`--save '' --appendonly no`);
 * on = AOF with fsync every second (Redis's own durable default for queues). Returns { url, stop, settings }.
 */
export async function startRedis(dir, durability, logFile) {
  const bin = redisServerPath();
  if (!bin) return null;
  const port = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    ...(durability === 'on' ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'])];
  const out = fs.openSync(logFile, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const t0 = Date.now();
  while (!(await ping(port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${fs.readFileSync(logFile, 'utf8').slice(-500)}`);
    if (Date.now() - t0 > 10_000) { child.kill('SIGKILL'); throw new Error('redis-server did not answer'); }
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
    fs.rmSync(path.join(dir), { recursive: true, force: true });
  };
  return { url: `redis://127.0.0.1:${port}/0`, port, pid: child.pid, stop, settings: durability === 'on' ? 'appendonly yes, appendfsync everysec' : "save '', appendonly no" };
}

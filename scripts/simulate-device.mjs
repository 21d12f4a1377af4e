#!/usr/bin/env node
/**
 * 设备事件模拟器 — sends one signed device event to a running 颐安, as a vendor gateway or platform would
 * (docs/devices.md). By default it uses the demo's credential, DATA_DIR/demo-devices.json (written by the first
 * `npm start`), so after `npm start`:
 *
 *   npm run simulate:device                         # an alarm of the demo's first smoke detector
 *   npm run simulate:device -- fault GW-01          # a fault of the gateway
 *   npm run simulate:device -- offline SD-302 --at 2026-12-01T08:00:00+08:00
 *
 * Options: <type> (alarm | fault | offline | restored | valve_closed), <device> (its vendor id), --at <ISO time>,
 * --detail <text>, --file <credential JSON>, --url <ingestion URL>. Prints the server's answer; exit code 1 when
 * the server refuses the event.
 */
import { createHmac, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const file = option('file') ?? path.join(process.env.DATA_DIR ?? '.data', 'demo-devices.json');
const urlOverride = option('url');
const at = option('at') ?? new Date().toISOString();
const detail = option('detail');
const [type = 'alarm', deviceArg] = args;

if (!fs.existsSync(file)) {
  console.error(`找不到设备凭据文件 ${file}：请先运行 npm start（演示数据会生成它），或用 --file 指定。/ no credential file ${file}`);
  process.exit(2);
}
const cred = JSON.parse(fs.readFileSync(file, 'utf8'));
const device = deviceArg ?? cred.devices?.[0]?.vendorDeviceId;
const url = urlOverride ?? cred.url;
const body = JSON.stringify({ events: [{ id: `sim-${randomUUID()}`, device, type, occurredAt: at, ...(detail ? { detail } : {}) }] });
const timestamp = String(Math.floor(Date.now() / 1000));
const signature = `sha256=${createHmac('sha256', cred.secret).update(`${timestamp}\n`).update(body).digest('hex')}`;

const res = await fetch(url, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'X-Yian-Key': cred.keyId, 'X-Yian-Timestamp': timestamp, 'X-Yian-Signature': signature },
  body,
});
const text = await res.text();
console.log(`${res.status} ${text}`);
process.exit(res.ok ? 0 : 1);

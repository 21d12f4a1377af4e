import * as fs from 'node:fs';
import { readDbInfo, removeDbInfo } from './test-db';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>).__YIAN_PG__ as { stop(): Promise<void> } | undefined;
  await server?.stop();
  const info = readDbInfo();
  if (info) fs.rmSync(info.dir, { recursive: true, force: true });
  removeDbInfo();
}

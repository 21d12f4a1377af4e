import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as os from 'node:os';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/env';
import { configureQueueBackend } from './jobs/queue-connection';

/** The queue worker on its own (production: one or more of these beside the API processes). */
async function main(): Promise<void> {
  const config = { ...loadConfig(), PROCESS_ROLE: 'worker' as const };
  lowerPriority(config.WORKER_NICE);
  configureQueueBackend(config);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config));
  app.enableShutdownHooks();
  new Logger('Worker').log('queue worker running');
}

/** Background work yields to the API processes on a shared machine (WORKER_NICE). A refusal is logged, never fatal. */
function lowerPriority(nice: number): void {
  if (!nice) return;
  try {
    os.setPriority(0, Math.max(os.getPriority(0), nice));
  } catch (err) {
    new Logger('Worker').warn(`WORKER_NICE=${nice} not applied: ${(err as Error).message}`);
  }
}

main().catch((err) => {
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `worker failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});

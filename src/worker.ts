import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/env';
import { configureQueueBackend } from './jobs/queue-connection';

/** The queue worker on its own (production: one or more of these beside the API processes). */
async function main(): Promise<void> {
  const config = { ...loadConfig(), PROCESS_ROLE: 'worker' as const };
  configureQueueBackend(config);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config));
  app.enableShutdownHooks();
  new Logger('Worker').log('queue worker running');
}

main().catch((err) => {
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `worker failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});

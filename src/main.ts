import { Logger } from '@nestjs/common';
import { createApp, seedDemo } from './bootstrap';
import { ConfigError, loadConfig } from './config/env';

/**
 * Under `npm start` the app is a child of scripts/start.mjs with an IPC channel: when that script goes away (even
 * killed with SIGKILL) the channel closes and the app shuts down, instead of living on as an orphan holding the port.
 */
function exitWithParent(): void {
  if (!process.send) return;
  process.once('disconnect', () => {
    new Logger('Main').warn('启动脚本已退出，应用随之停止 / the start script is gone; stopping');
    setTimeout(() => process.exit(1), 10_000).unref();
    // Nest's shutdown hooks close HTTP, the workers and the pool on SIGTERM (before they exist, it just ends).
    process.kill(process.pid, 'SIGTERM');
  });
}

async function main(): Promise<void> {
  exitWithParent();
  const config = loadConfig();
  const app = await createApp(config);
  // init() runs the start-up hooks (migrations, publishing the rule files) before the demo data needs them.
  await app.init();
  const accounts = config.SEED_DEMO ? await seedDemo(app) : [];
  await app.listen(config.PORT);
  const logger = new Logger('Main');
  const lines = [
    '',
    `颐安 Yi'an 已启动 / is running: ${config.PUBLIC_URL}`,
    `  API 文档 / API docs: ${config.PUBLIC_URL}/api/docs    运行状态 / health: ${config.PUBLIC_URL}/health`,
  ];
  if (accounts.length) {
    lines.push('  演示账号 / demo accounts (username / password):');
    for (const a of accounts) lines.push(`    ${a.username.padEnd(12)} ${a.password.padEnd(16)} ${a.note}`);
  }
  lines.push('  按 Ctrl-C 停止 / press Ctrl-C to stop', '');
  logger.log(lines.join('\n'));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`启动失败 / failed to start: ${err?.stack ?? err}\n`);
  }
  process.exit(1);
});

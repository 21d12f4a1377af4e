import { Logger } from '@nestjs/common';
import { createApp, seedDemo } from './bootstrap';
import { ConfigError, loadConfig } from './config/env';

async function main(): Promise<void> {
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

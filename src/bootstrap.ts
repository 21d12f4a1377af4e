import 'reflect-metadata';
import { INestApplication, Logger, LogLevel } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import * as path from 'node:path';
import { AppModule } from './app.module';
import { SessionResolver } from './auth/session-resolver';
import { ErrorFilter } from './common/error.filter';
import { applySecurityHeaders } from './common/security-headers';
import { refuseHostileBody } from './common/hostile-input';
import { MediaTypeInterceptor } from './common/media-type.interceptor';
import { projectRoot } from './common/project-root';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/env';
import { DemoAccount, DemoSeeder } from './demo/demo.seeder';
import { configureQueueBackend } from './jobs/queue-connection';
import { framedErrorPages } from './web/error-page';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Builds the HTTP application (also used by the e2e tests, so they run exactly what production runs). */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  configureQueueBackend(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1),
    bodyParser: false,
    // the parsers below keep each body's bytes as req.rawBody: device events are signed over them (docs/devices.md)
    rawBody: true,
  });
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  applySecurityHeaders(app, config);
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { extended: false, limit: '1mb' });
  app.use(refuseHostileBody);
  app.useGlobalInterceptors(new MediaTypeInterceptor(app.get(Reflector)));
  app.use(cookieParser());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter(framedErrorPages(app.get(SessionResolver), config.PUBLIC_URL)));
  app.useStaticAssets(path.join(projectRoot(), 'src', 'web', 'static'), { prefix: '/static/', maxAge: '1h' });
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('颐安 Yi\'an API')
    .setDescription('养老机构安全与消防合规监管 / Safety and fire-compliance supervision of elderly-care institutions. 错误统一格式 / one error shape: { statusCode, code, message, details[{ field, reason, message }], requestId }; Accept-Language: en for English.')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc));
  return app;
}

export async function seedDemo(app: INestApplication): Promise<DemoAccount[]> {
  const result = await app.get(DemoSeeder).seed();
  if (result.created > 0) new Logger('Demo').log(`demo data loaded (${result.created} records)`);
  return result.accounts;
}

import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase()) ? true
    : ['0', 'false', 'no', 'off'].includes(String(value).toLowerCase()) ? false : value;
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value);

/** An integer setting in [min, max], given as a string: `@Transform(toInt) @IsInt() @Min(min) @Max(max)`. */
function IntSetting(min: number, max: number): PropertyDecorator {
  // Applied bottom-up, as the stacked decorators would be.
  const decorators = [Transform(toInt), IsInt(), Min(min), Max(max)].reverse();
  return (target, key) => decorators.forEach((d) => d(target, key as string));
}

/** Every environment variable the service reads, validated once at boot. */
export class EnvDto {
  @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_URL!: string;

  /**
   * The owner's connection (the role that owns the tables), used only to run the migrations at boot and by
   * `npm run migrate`; unset = DATABASE_URL migrates (then it should not be a superuser or the tables' owner).
   */
  @IsOptional() @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_OWNER_URL?: string;

  @IsOptional() @IsString() @Matches(/^rediss?:\/\//, { message: 'must be a redis:// URL' })
  REDIS_URL?: string;

  @IntSetting(0, 65535)
  PORT = 3000;

  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** all = HTTP + queue workers in one process; api = HTTP only; worker = queue workers only. */
  @IsIn(['all', 'api', 'worker'])
  PROCESS_ROLE: 'all' | 'api' | 'worker' = 'all';

  /**
   * The scheduling priority (nice, 0–19) a separate worker process (`node dist/src/worker.js`) gives itself: PDFs,
   * score recomputation and the audit sealer yield the CPU to the API processes on a shared machine, so an inspector's
   * request is not queued behind a report rendering; 0 keeps the normal priority. Not used by PROCESS_ROLE=all.
   */
  @IntSetting(0, 19)
  WORKER_NICE = 10;

  @Transform(toBool) @IsBoolean()
  RUN_MIGRATIONS = true;

  @Transform(toBool) @IsBoolean()
  SEED_DEMO = false;

  @IsOptional() @IsString()
  DEMO_ACCOUNTS_FILE?: string;

  @IntSetting(1, 720)
  SESSION_TTL_HOURS = 12;

  @IntSetting(1, 1000)
  LOGIN_MAX_FAILURES = 5;

  @IntSetting(1, 1440)
  LOGIN_WINDOW_MINUTES = 15;

  @Transform(toBool) @IsBoolean()
  COOKIE_SECURE = false;

  @IsString()
  QUEUE_PREFIX = 'yian';

  @IsString()
  DATA_DIR = '.data';

  /** Where photos and signatures are stored (content-addressed); default: DATA_DIR/evidence. */
  @IsOptional() @IsString()
  EVIDENCE_DIR?: string;

  @IntSetting(1, 100)
  EVIDENCE_MAX_MB = 10;

  /** How often the outbox relay sweeps for work left behind (it is also woken after each commit). */
  @IntSetting(100, 600_000)
  OUTBOX_INTERVAL_MS = 5000;

  /** A document (record or notice PDF) still pending after this many minutes has its render job checked and, if lost or failed, queued again. */
  @IntSetting(1, 1440)
  DOCUMENT_STALE_MINUTES = 5;

  /** How many times the sweep queues a failed render again (after 1×, 2×, 4×… DOCUMENT_STALE_MINUTES); then it stays failed. */
  @IntSetting(0, 20)
  DOCUMENT_RENDER_RETRIES = 3;

  /** /health turns 'degraded' when the oldest unrendered document or unrelayed outbox row is older than this. */
  @IntSetting(1, 1440)
  HEALTH_BACKLOG_MINUTES = 10;

  /** Database connections per process. Nothing inside a transaction takes a second connection, so any size works. */
  @IntSetting(2, 200)
  DB_POOL_MAX = 10;

  /** The hash of the audit chain (each sealed event records its own, so a change keeps old events verifiable); sm3 = GB/T 32905. */
  @IsIn(['sha256', 'sm3'])
  AUDIT_HASH: 'sha256' | 'sm3' = 'sha256';

  /** The audit MAC key (≥ 32 characters); empty = DATA_DIR/secrets/audit-hmac.key, created on first start. */
  @IsString() @Matches(/^(|[\s\S]{32,})$/, { message: 'must be at least 32 characters' })
  AUDIT_HMAC_KEY = '';

  /** The rule files (checklists, criteria, grading form…); default: checklists/ in the project. */
  @IsOptional() @IsString()
  CHECKLISTS_DIR?: string;

  /**
   * The deploying city's local rule set (a rule file of kind local_rule_set, e.g. `changzhou`); unset, empty or
   * `none` = the national rules only. A code that is not published stops the start (see docs/policy.md).
   */
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { message: 'must be the code of a local rule set (e.g. changzhou) or none' })
  LOCAL_RULE_SET?: string;

  /** The SMS / e-mail gateway adapter the delivery job sends through (docs/notifications.md); `log` writes them to the log. */
  @IsIn(['log'])
  NOTIFY_ADAPTER: 'log' = 'log';

  @IsString()
  PUBLIC_URL = '';
}

export type AppConfig = Readonly<EnvDto>;

export class ConfigError extends Error {}

/** Validates the environment; the error lists every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new EnvDto());
  const raw: Record<string, unknown> = {};
  for (const key of [...known, 'DATABASE_URL', 'DATABASE_OWNER_URL', 'REDIS_URL', 'DEMO_ACCOUNTS_FILE', 'CHECKLISTS_DIR', 'EVIDENCE_DIR', 'LOCAL_RULE_SET']) {
    if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  }
  const dto = plainToInstance(EnvDto, raw);
  const errors = validateSync(dto, { whitelist: true });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}=${JSON.stringify(e.value ?? null)}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration (配置无效):\n${lines.join('\n')}`);
  }
  if (!dto.PUBLIC_URL) dto.PUBLIC_URL = `http://localhost:${dto.PORT}`;
  return Object.freeze(dto);
}

export const APP_CONFIG = Symbol('APP_CONFIG');

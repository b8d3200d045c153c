import { z } from 'zod';
import path from 'node:path';

/**
 * The only reader of process.env. Every setting is described here once; the README
 * configuration table mirrors this schema.
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const envSchema = z.object({
  DATABASE_URL: z.string().url().optional().describe('External PostgreSQL (15+). Unset: embedded PostgreSQL under ATTEST_DATA_DIR.'),
  ATTEST_DATA_DIR: z.string().default('./data').describe('Data directory: embedded PostgreSQL cluster, instance key, local files.'),
  ATTEST_SECRET_KEY: z.string().min(32).optional().describe('Instance key (>= 32 chars) that encrypts secrets at rest. Required with DATABASE_URL; generated into the data directory otherwise.'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port.'),
  HOST: z.string().default('127.0.0.1').describe('Interface to listen on (0.0.0.0 behind a load balancer).'),
  ATTEST_PUBLIC_URL: z.string().url().optional().describe('Public base URL used in emailed links; defaults to http://HOST:PORT.'),
  ATTEST_TRUST_PROXY: bool.default(false).describe('Trust X-Forwarded-* from a load balancer (enables HSTS when it says https).'),
  ATTEST_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30).describe('Session idle timeout.'),
  ATTEST_SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12).describe('Session absolute lifetime.'),
  ATTEST_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5).describe('Failed sign-ins before a temporary lockout.'),
  ATTEST_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15).describe('Lockout duration (and the window failures are counted in).'),
  ATTEST_AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(10).describe('Sign-in, two-factor and setup attempts allowed per client IP per minute.'),
  ATTEST_TRUST_RATE_LIMIT: z.coerce.number().int().min(1).default(30).describe('Requests per client IP per minute to each public Trust Hub document page (request form, links, downloads).'),
  ATTEST_TRUST_HUB_RATE_LIMIT: z.coerce.number().int().min(1).default(600).describe('Public Trust Hub requests (pages, feed, security.txt) allowed per client IP per minute.'),
  ATTEST_BOOTSTRAP_PASSWORD: z.string().optional().describe('Password for `attest admin bootstrap` when --password is not given.'),
  SMTP_URL: z.string().url().optional().describe('SMTP server for outgoing mail (smtp://user:pass@host:port). Unset: mail goes to the development outbox.'),
  MAIL_FROM: z.string().default('Attest <no-reply@localhost>').describe('From address of outgoing mail.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
  ATTEST_JOBS: bool.default(true).describe('Run the job worker and scheduler on this node.'),
  ATTEST_STORAGE: z.enum(['local', 's3']).default('local').describe('Where evidence files are stored: `local` (ATTEST_DATA_DIR/blobs, one node) or `s3` (an S3-compatible bucket, for several app nodes).'),
  ATTEST_S3_ENDPOINT: z.string().url().optional().describe('Endpoint of an S3-compatible server (https://s3.example.com). Unset: AWS S3 in ATTEST_S3_REGION.'),
  ATTEST_S3_REGION: z.string().min(1).default('us-east-1').describe('S3 region (S3-compatible servers usually accept the default).'),
  ATTEST_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'Not a valid bucket name.').optional().describe('Bucket for evidence files. Required with ATTEST_STORAGE=s3; it must exist.'),
  ATTEST_S3_ACCESS_KEY_ID: z.string().min(1).optional().describe('Access key id for the bucket. Required with ATTEST_STORAGE=s3.'),
  ATTEST_S3_SECRET_ACCESS_KEY: z.string().min(1).optional().describe('Secret access key for the bucket. Required with ATTEST_STORAGE=s3.'),
  ATTEST_S3_FORCE_PATH_STYLE: bool.optional().describe('Path-style bucket URLs (endpoint/bucket/key). Default: true when ATTEST_S3_ENDPOINT is set, else false.'),
  ATTEST_UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(5120).default(200).describe('Largest file one upload may carry, in MiB (at most 5120: S3 copies objects up to 5 GiB in one step).'),
  ATTEST_REPORT_VALIDITY_MONTHS: z.coerce.number().int().min(1).max(60).default(12).describe('How long an attestation report (SOC 2, SOC 3, PCI AOC) without its own expiry date counts as current after its period end, as-of or assessment date.'),
  ATTEST_WEBHOOK_ALLOW_HTTP_LOOPBACK: bool.default(false).describe('Development and tests only: allow webhook endpoints on http://127.0.0.1, http://[::1] and http://localhost. Otherwise webhooks need https and a public address.'),
  ATTEST_WEBHOOK_RETRY_SECONDS: z.coerce.number().int().min(1).default(30).describe('Base delay before a failed webhook delivery is retried; it doubles with each attempt (9 attempts in all).'),
  ATTEST_CHECK_READABLE_PATHS: z.string().default('').describe('Comma-separated directories and files that file and log-file checks may read (after symlinks are resolved). Empty: file and log-file checks are refused.'),
  ATTEST_CHECK_COMMANDS: z.string().default('').describe('Comma-separated absolute paths of the programs command checks may run. Empty: command checks are refused.'),
  ATTEST_CHECK_ALLOW_SHELL: bool.default(false).describe('Let command checks run /bin/sh scripts (then /bin/sh must also be in ATTEST_CHECK_COMMANDS).'),
  ATTEST_CHECK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30).describe('Longest a check may run when its own timeout is not set lower; runs past it are recorded as errors.'),
});

export type Env = z.infer<typeof envSchema>;

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
  secretKey: string | undefined;
  port: number;
  host: string;
  publicUrl: string | undefined;
  trustProxy: boolean;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  loginMaxFailures: number;
  lockoutMs: number;
  authRateLimitPerMinute: number;
  trustRateLimitPerMinute: number;
  trustHubRateLimitPerMinute: number;
  bootstrapPassword: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: Env['LOG_LEVEL'];
  jobs: boolean;
  storage: StorageConfig;
  uploadMaxBytes: number;
  reportValidityMonths: number;
  webhookAllowHttpLoopback: boolean;
  webhookRetrySeconds: number;
  /** The operator's limits on what checks may touch on this machine (src/checks/plugins/policy.ts). */
  checkPolicy: { readablePaths: string[]; commands: string[]; allowShell: boolean };
  checkTimeoutSeconds: number;
};

export type StorageConfig =
  | { kind: 'local' }
  | { kind: 's3'; endpoint: string | undefined; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const config: Config = {
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.ATTEST_DATA_DIR),
    secretKey: e.ATTEST_SECRET_KEY,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.ATTEST_PUBLIC_URL,
    trustProxy: e.ATTEST_TRUST_PROXY,
    sessionIdleMs: e.ATTEST_SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.ATTEST_SESSION_ABSOLUTE_HOURS * 3_600_000,
    loginMaxFailures: e.ATTEST_LOGIN_MAX_FAILURES,
    lockoutMs: e.ATTEST_LOCKOUT_MINUTES * 60_000,
    authRateLimitPerMinute: e.ATTEST_AUTH_RATE_LIMIT,
    trustRateLimitPerMinute: e.ATTEST_TRUST_RATE_LIMIT,
    trustHubRateLimitPerMinute: e.ATTEST_TRUST_HUB_RATE_LIMIT,
    bootstrapPassword: e.ATTEST_BOOTSTRAP_PASSWORD,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    jobs: e.ATTEST_JOBS,
    storage: storageConfig(e),
    uploadMaxBytes: e.ATTEST_UPLOAD_MAX_MB * 1024 * 1024,
    reportValidityMonths: e.ATTEST_REPORT_VALIDITY_MONTHS,
    webhookAllowHttpLoopback: e.ATTEST_WEBHOOK_ALLOW_HTTP_LOOPBACK,
    webhookRetrySeconds: e.ATTEST_WEBHOOK_RETRY_SECONDS,
    checkPolicy: { readablePaths: list(e.ATTEST_CHECK_READABLE_PATHS), commands: list(e.ATTEST_CHECK_COMMANDS), allowShell: e.ATTEST_CHECK_ALLOW_SHELL },
    checkTimeoutSeconds: e.ATTEST_CHECK_TIMEOUT_SECONDS,
    ...overrides,
  };
  if (config.databaseUrl && !config.secretKey) {
    throw new ConfigError('ATTEST_SECRET_KEY is required when DATABASE_URL is set (every app node must share it). Generate one with: openssl rand -base64 48');
  }
  return config;
}

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

function storageConfig(e: Env): StorageConfig {
  if (e.ATTEST_STORAGE === 'local') return { kind: 'local' };
  const missing = (['ATTEST_S3_BUCKET', 'ATTEST_S3_ACCESS_KEY_ID', 'ATTEST_S3_SECRET_ACCESS_KEY'] as const).filter((k) => !e[k]);
  if (missing.length) throw new ConfigError(`ATTEST_STORAGE=s3 needs ${missing.join(', ')}.`);
  return {
    kind: 's3', endpoint: e.ATTEST_S3_ENDPOINT, region: e.ATTEST_S3_REGION, bucket: e.ATTEST_S3_BUCKET!,
    accessKeyId: e.ATTEST_S3_ACCESS_KEY_ID!, secretAccessKey: e.ATTEST_S3_SECRET_ACCESS_KEY!,
    forcePathStyle: e.ATTEST_S3_FORCE_PATH_STYLE ?? e.ATTEST_S3_ENDPOINT !== undefined,
  };
}

/** Test-only environment knobs live here too, so nothing else reads process.env. */
export function testEnv(env: NodeJS.ProcessEnv = process.env) {
  return {
    /** External PostgreSQL for the suite; unset: scripts/test.ts runs an embedded cluster. */
    testDatabaseUrl: env.TEST_DATABASE_URL,
    /** Set by scripts/test.ts: the maintenance database URL where each test file creates its own database. */
    testAdminUrl: env.ATTEST_TEST_ADMIN_URL,
    ci: env.CI === 'true',
  };
}

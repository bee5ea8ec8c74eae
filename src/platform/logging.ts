/**
 * pino settings for the API and the worker. Personal details never reach a log line:
 * the fields are censored wherever they sit (up to four levels deep), and request URLs
 * are logged without their query string, where a verification form could put a name, and
 * without record-link tokens.
 */
import { destination, type DestinationStream, type LoggerOptions } from 'pino';
import type { LogLevel } from '../config.js';

/** The property names that hold a person's details wherever they appear (SPEC section 6). */
export const PERSONAL_DETAIL_KEYS = [
  'givenName',
  'familyName',
  'previousFamilyName',
  'dateOfBirth',
  'gender',
  'postcode',
  'email',
  'contactEmail',
] as const;

/** What logs censor: personal details, passwords, and a representative given whole. */
export const PERSONAL_FIELDS = [...PERSONAL_DETAIL_KEYS, 'password', 'representative'] as const;

function redactPaths(): string[] {
  const paths = ['req.headers.authorization', 'req.headers.cookie', '*.headers.authorization'];
  for (const f of PERSONAL_FIELDS) {
    paths.push(f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`);
  }
  return paths;
}

/**
 * pino settings. With a file, JSON lines are appended to it. Otherwise `pretty` sends lines
 * through pino-pretty (in a worker thread, as a pino transport) for a person at a
 * terminal, and `json` keeps one JSON object a line.
 */
export function loggerOptions(
  level: LogLevel,
  file?: string,
  format: 'pretty' | 'json' = 'json',
): LoggerOptions & { stream?: DestinationStream } {
  return {
    level,
    // A file when asked (the test run keeps every log line for the log scan, test/zz-log-scan.test.ts).
    ...(file ? { stream: destination({ dest: file, append: true, mkdir: true, sync: true }) } : {}),
    ...(!file && format === 'pretty' && level !== 'silent'
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
    redact: { paths: redactPaths(), censor: '[personal]' },
    serializers: {
      req(req: { method?: string; url?: string; id?: string; routeOptions?: { url?: string } }) {
        return {
          id: req.id,
          method: req.method,
          // A record-link token in a path opens the record: it is as sensitive as a password.
          url:
            typeof req.url === 'string'
              ? req.url.split('?')[0].replace(/^\/record-links\/[^/]+/, '/record-links/[token]')
              : req.url,
          route: req.routeOptions?.url,
        };
      },
    },
  };
}

/**
 * The portal's messages (i18next): English and Welsh catalogues in src/web/locales. Every
 * string a page shows comes from here; a key missing in Welsh falls back to English and a
 * test (test/unit/web-i18n.test.ts) fails on it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n } from 'i18next';

export const LANGUAGES = ['en', 'cy'] as const;
export type Lang = (typeof LANGUAGES)[number];

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function catalogue(lang: Lang): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(here, 'locales', `${lang}.json`), 'utf8')) as Record<string, unknown>;
}

let instance: i18n | undefined;

/** The one i18next instance, loaded on first use (synchronously: the catalogues are files). */
export function messages(): i18n {
  if (instance) return instance;
  const made = i18next.createInstance();
  void made.init({
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: catalogue(l) }])),
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    returnNull: false,
    showSupportNotice: false,
    // Nunjucks escapes what it prints.
    interpolation: { escapeValue: false },
  });
  instance = made;
  return made;
}

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A translate function for one language. */
export function translator(lang: Lang): Translate {
  const fixed = messages().getFixedT(lang);
  // returnObjects: true gives a list (paragraphs), which a template loops over.
  return (key, options) => fixed(key, options ?? {});
}

/** Every key of a nested catalogue, dotted. Pure. */
export function keysOf(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? keysOf(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

const LOCALES: Record<Lang, string> = { en: 'en-GB', cy: 'cy-GB' };

/** A date (and time, when asked) as people of that language write it. */
export function formatDate(value: string | Date | null | undefined, lang: Lang, withTime = false): string {
  if (value === null || value === undefined || value === '') return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat(LOCALES[lang], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' } : { timeZone: 'UTC' }),
  }).format(d);
}

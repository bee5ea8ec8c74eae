/**
 * What every page is rendered with: the language and its messages, the CSP nonce, the
 * signed-in user, a CSRF token for forms, the service-wide banner. Pages call `render`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatDate, isLang, translator, type Lang, type Translate } from './i18n.js';

export const LANG_COOKIE = 'plr_lang';

/** One announcement over every page (maintenance), in the page's language. */
export type BannerSource = (lang: Lang) => string | null;

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
    t: Translate;
    portalBanner?: BannerSource;
  }
}

/** The page's language: ?lang= (kept in a cookie), else the cookie, else English. */
export function pickLang(request: FastifyRequest, reply: FastifyReply, secure: boolean): Lang {
  const asked = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(asked)) {
    if (request.cookies[LANG_COOKIE] !== asked)
      reply.setCookie(LANG_COOKIE, asked, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        maxAge: 365 * 86_400,
      });
    return asked;
  }
  const kept = request.cookies[LANG_COOKIE];
  return isLang(kept) ? kept : 'en';
}

/** The same address with another language asked for. Pure. */
export function withLang(url: string, lang: Lang): string {
  const [pathPart, query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  params.set('lang', lang);
  return `${pathPart}?${params.toString()}`;
}

export async function render(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown> = {},
  status = 200,
): Promise<FastifyReply> {
  const lang = request.lang ?? 'en';
  const session = request.session;
  const flash = session?.flash;
  if (flash !== undefined) delete session.flash;
  const nonce = (reply as unknown as { cspNonce?: { script: string } }).cspNonce?.script;
  const context = {
    lang,
    otherLang: lang === 'en' ? 'cy' : 'en',
    toggleUrl: withLang(request.url, lang === 'en' ? 'cy' : 'en'),
    t: request.t ?? translator(lang),
    date: (v: string | null | undefined, withTime = false) => formatDate(v, lang, withTime),
    cspNonce: nonce,
    user: session?.user,
    csrf: () => reply.generateCsrf(),
    currentPath: request.url.split('?')[0],
    serviceBanner: request.portalBanner?.(lang) ?? null,
    flash,
    ...data,
  };
  reply.status(status).header('content-type', 'text/html; charset=utf-8');
  return reply.view(template, context);
}

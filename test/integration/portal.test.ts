/**
 * The portal's plumbing through app.inject: the page CSP and its nonce, long-cached
 * assets, session cookie flags, CSRF refusals, sign-in (id rotated), the idle and absolute
 * time-outs, sign-out, set-password and the forgotten-password link, Welsh.
 */
import t from 'tap';
import { bearer, setupApp } from '../helpers/app.js';
import { startSmtp } from '../helpers/smtp.js';
import { browserFor, formBody } from '../helpers/portal.js';
import { SESSION_COOKIE, sessionKey } from '../../src/web/session.js';
import { catalogue, keysOf } from '../../src/web/i18n.js';
import { safeNext } from '../../src/web/context.js';

const smtp = await startSmtp();
t.teardown(() => smtp.close());
const { app } = await setupApp(t, {
  SMTP_URL: smtp.url,
  PUBLIC_URL: 'https://plr.example.test',
  PORTAL_IDLE_SECONDS: '5',
  PORTAL_MAX_SECONDS: '60',
});
const PASSWORD = 'a portal password of decent length';
const EMAIL = 'portal.user@example.org';

const operator = await bearer(app, 'operator');
await app.inject({
  method: 'POST',
  url: '/organisations',
  headers: operator,
  payload: { ukprn: '10000003', name: 'Portal Careers', nation: 'GB-ENG', kind: 'careers' },
});
const before = smtp.messages.length;
const invited = await app.inject({
  method: 'POST',
  url: '/organisations/10000003/users',
  headers: operator,
  payload: { email: EMAIL, roles: ['careers-adviser'] },
});
t.equal(invited.statusCode, 201, 'a user is invited');
const [invitation] = (await smtp.waitFor(before + 1)).slice(before);
const inviteToken = decodeURIComponent(/token=([^\s]+)/.exec(invitation.text)![1]);

function cookieOf(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const all = ([] as string[]).concat((res.headers['set-cookie'] as string | string[] | undefined) ?? []);
  return all.find((c) => c.startsWith(`${name}=`));
}
const idOf = (setCookie: string) => setCookie.split(';')[0].split('=')[1];

t.test('pages have a CSP of their own with a nonce that the inline script carries', async (t) => {
  const res = await app.inject({ url: '/' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/html/);
  const csp = String(res.headers['content-security-policy']);
  const nonce = /script-src 'self' 'nonce-([0-9a-f]+)'/.exec(csp)?.[1];
  t.ok(nonce, 'a script nonce');
  t.match(csp, /frame-ancestors 'none'/);
  t.notMatch(csp, /unsafe-inline/);
  t.match(res.body, new RegExp(`<script nonce="${nonce}">`), 'the inline script has it');
  t.equal((res.body.match(/<script(?![^>]*(nonce=|src=))/g) ?? []).length, 0, 'no other inline script');
  const again = await app.inject({ url: '/' });
  t.not(String(again.headers['content-security-policy']), csp, 'a new nonce per request');
  t.equal(res.headers['cache-control'], 'no-store');
  t.notOk(cookieOf(res, SESSION_COOKIE), 'no session for a page without a form');
  const api = await app.inject({ url: '/health/live' });
  t.match(String(api.headers['content-security-policy']), /default-src 'none'/, 'the API keeps its own policy');
});

t.test('assets are served with long cache headers', async (t) => {
  for (const url of [
    '/assets/govuk-frontend.min.css',
    '/assets/govuk-frontend.min.js',
    '/assets/portal.js',
    '/assets/fonts/bold-b542beb274-v2.woff2',
    '/assets/images/favicon.ico',
  ]) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 200, url);
    t.match(res.headers['cache-control'], /max-age=31536000.*immutable/, `${url} cached for a year`);
  }
  t.equal((await app.inject({ url: '/assets/../package.json' })).statusCode, 404);
  t.equal((await app.inject({ url: '/assets/govuk/all.mjs' })).statusCode, 404, 'only what pages use');
});

t.test('a form without its CSRF token is refused', async (t) => {
  const browser = await browserFor(app, 'anonymous');
  const body = formBody({ email: EMAIL, password: PASSWORD });
  const missing = await app.inject({
    method: 'POST',
    url: '/sign-in',
    payload: body.payload,
    headers: { ...body.headers, ...browser.headers },
  });
  t.equal(missing.statusCode, 403);
  t.match(missing.body, /data-error-code="CSRF"/);
  const noSession = await app.inject({ method: 'POST', url: '/sign-in', ...formBody({ _csrf: browser.csrf }) });
  t.equal(noSession.statusCode, 403, 'a token without its session is refused too');
  const other = await browserFor(app, 'anonymous');
  const crossed = formBody({ email: EMAIL, password: PASSWORD, _csrf: other.csrf });
  const res = await app.inject({
    method: 'POST',
    url: '/sign-in',
    payload: crossed.payload,
    headers: { ...crossed.headers, ...browser.headers },
  });
  t.equal(res.statusCode, 403, "another session's token is refused");
});

t.test('set a password, sign in (new session id, secure cookie), who am I, sign out', async (t) => {
  const page = await app.inject({ url: `/set-password?token=${encodeURIComponent(inviteToken)}` });
  t.equal(page.statusCode, 200);
  const session = cookieOf(page, SESSION_COOKIE)!;
  t.match(session, /HttpOnly/);
  t.match(session, /SameSite=Lax/);
  t.match(session, /Secure/, 'Secure: PUBLIC_URL is https');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
  const cookie = `${SESSION_COOKIE}=${idOf(session)}`;
  const post = (url: string, fields: Record<string, string>, c = cookie) => {
    const f = formBody({ ...fields, _csrf: csrf });
    return app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: c } });
  };
  const weak = await post('/set-password', { token: inviteToken, password: 'short', confirm: 'short' });
  t.equal(weak.statusCode, 400);
  t.match(weak.body, /govuk-error-summary/);
  const set = await post('/set-password', { token: inviteToken, password: PASSWORD, confirm: PASSWORD });
  t.equal(set.statusCode, 200);
  t.match(set.body, /Your password has been set/);
  const reused = await post('/set-password', { token: inviteToken, password: PASSWORD, confirm: PASSWORD });
  t.match(reused.body, /data-error-code="INVALID_SET_PASSWORD_TOKEN"/, 'the link works once');

  const wrong = await post('/sign-in', { email: EMAIL, password: 'not the password at all' });
  t.equal(wrong.statusCode, 401);
  t.match(wrong.body, /portal\.user@example\.org/, 'the email is kept in the form');
  const signedIn = await post('/sign-in', { email: EMAIL, password: PASSWORD, next: '/account' });
  t.equal(signedIn.statusCode, 303);
  t.equal(signedIn.headers.location, '/account');
  const rotated = cookieOf(signedIn, SESSION_COOKIE)!;
  t.not(idOf(rotated), idOf(session), 'a new session id at sign-in');
  t.equal(await app.deps.redis.exists(sessionKey(app.config.queuePrefix, idOf(session))), 0, 'the old one is gone');
  const newCookie = `${SESSION_COOKIE}=${idOf(rotated)}`;
  const account = await app.inject({ url: '/account', headers: { cookie: newCookie } });
  t.equal(account.statusCode, 200);
  t.match(account.body, /Portal Careers/);
  t.match(account.body, /Careers adviser/);
  const old = await app.inject({ url: '/account', headers: { cookie } });
  t.equal(old.statusCode, 303, 'the planted id signs nobody in');

  const accountPage = await app.inject({ url: '/account', headers: { cookie: newCookie } });
  const csrf2 = /name="_csrf" value="([^"]+)"/.exec(accountPage.body)![1];
  const out = formBody({ _csrf: csrf2 });
  const signedOut = await app.inject({
    method: 'POST',
    url: '/sign-out',
    payload: out.payload,
    headers: { ...out.headers, cookie: newCookie },
  });
  t.equal(signedOut.headers.location, '/signed-out');
  t.match(cookieOf(signedOut, SESSION_COOKIE)!, /Expires=Thu, 01 Jan 1970/);
  const after = await app.inject({ url: '/account', headers: { cookie: newCookie } });
  t.equal(after.statusCode, 303, 'signed out');
});

t.test('a session ends when idle, and at its absolute lifetime', async (t) => {
  const idle = await browserFor(app, 'careers-adviser');
  t.equal((await app.inject({ url: '/account', headers: idle.headers })).statusCode, 200);
  await new Promise((r) => setTimeout(r, 5_500));
  const res = await app.inject({ url: '/account', headers: idle.headers });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/sign-in?next=%2Faccount&ended=idle');
  const page = await app.inject({ url: res.headers.location as string });
  t.match(page.body, /did not use the service for a while/);

  const old = await browserFor(app, 'careers-adviser');
  const key = sessionKey(app.config.queuePrefix, old.cookie.split('=')[1]);
  const data = JSON.parse((await app.deps.redis.get(key))!);
  await app.deps.redis.set(key, JSON.stringify({ ...data, createdAt: Date.now() - 61_000 }), 'EX', 5);
  const expired = await app.inject({ url: '/account', headers: old.headers });
  t.equal(expired.headers.location, '/sign-in?next=%2Faccount&ended=expired');
});

t.test('a forgotten password: the same answer for any address, a single-use link for a real one', async (t) => {
  const browser = await browserFor(app, 'anonymous');
  const ask = async (email: string) => {
    const f = formBody({ email, _csrf: browser.csrf });
    return app.inject({
      method: 'POST',
      url: '/forgotten-password',
      payload: f.payload,
      headers: { ...f.headers, ...browser.headers },
    });
  };
  const n = smtp.messages.length;
  const unknown = await ask('nobody.here@example.org');
  const known = await ask(EMAIL);
  t.equal(unknown.statusCode, 200);
  t.equal(known.statusCode, 200);
  const main = (body: string) => /<main[\s\S]*<\/main>/.exec(body)![0];
  t.equal(main(unknown.body), main(known.body), 'the same page');
  const [mail] = (await smtp.waitFor(n + 1)).slice(n);
  t.equal(smtp.messages.length, n + 1, 'one message, to the real address');
  t.match(mail.text, /https:\/\/plr\.example\.test\/set-password\?token=/);
  const bad = await ask('not-an-email');
  t.equal(bad.statusCode, 400);
  t.match(bad.body, /Enter an email address in the right format/);
});

t.test('Welsh: ?lang=cy is kept in a cookie, and the html lang follows', async (t) => {
  const res = await app.inject({ url: '/?lang=cy' });
  t.match(res.body, /<html lang="cy"/);
  t.match(res.body, /Eich Cofnod Dysgu Personol/);
  t.match(res.body, /<a[^>]*href="\/\?lang=en"[^>]*lang="en"[^>]*>English/, 'the toggle offers English, in English');
  const lang = cookieOf(res, 'plr_lang')!;
  const next = await app.inject({ url: '/cookies', headers: { cookie: lang.split(';')[0] } });
  t.match(next.body, /<html lang="cy"/);
  t.same(keysOf(catalogue('cy')).sort(), keysOf(catalogue('en')).sort(), 'every English message has a Welsh one');
});

t.test('sign-in sends people back only within the service', async (t) => {
  t.equal(safeNext('/my-record'), '/my-record');
  t.equal(safeNext('//evil.example'), '/');
  t.equal(safeNext('https://evil.example'), '/');
  t.equal(safeNext('/\\evil.example'), '/');
  t.equal(safeNext(undefined), '/');
});

import t from 'tap';
import { setupApp } from '../helpers/app.js';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../helpers/config.js';

t.test('the OpenAPI document describes every route', async (t) => {
  const { app } = await setupApp(t);
  const res = await app.inject({ url: '/docs/json' });
  t.equal(res.statusCode, 200);
  const doc = res.json();
  t.equal(doc.openapi, '3.0.3');
  t.ok(doc.components.securitySchemes.bearer);

  const routes = Object.entries(doc.paths as Record<string, Record<string, any>>);
  t.ok(routes.length >= 5);
  for (const [url, methods] of routes) {
    for (const [method, op] of Object.entries(methods)) {
      const name = `${method.toUpperCase()} ${url}`;
      t.ok(op.summary, `${name} has a summary`);
      t.ok(op.tags?.length, `${name} has a tag`);
      const codes = Object.keys(op.responses ?? {});
      t.ok(
        codes.some((c) => c.startsWith('2')),
        `${name} documents its success response`,
      );
      for (const [code, r] of Object.entries(op.responses as Record<string, any>)) {
        const types = Object.keys(r.content ?? {});
        t.ok(types.length > 0 && types.every((m) => r.content[m].schema), `${name} ${code} has a schema`);
        if (!code.startsWith('2')) t.same(types, ['application/json'], `${name} ${code} is a JSON error`);
      }
      if (op.security) {
        t.ok(codes.includes('401') && codes.includes('403'), `${name} documents 401 and 403`);
        t.match(op.description, /Roles: /, `${name} says which roles`);
      }
    }
  }
  t.ok(doc.paths['/operations/workers'].get.security, 'a protected route is marked as such');
  t.notOk(doc.paths['/health/live'].get.security, 'a public route is not');
  t.notOk(doc.paths['/graphql'], 'GraphQL documents itself (its SDL is a route of its own)');
  t.ok(doc.paths['/graphql/schema.graphql'], 'the GraphQL SDL is linked from the REST docs');
});

t.test('the docs UI is served', async (t) => {
  const { app } = await setupApp(t);
  const res = await app.inject({ url: '/docs' });
  t.equal(res.statusCode, 200);
  t.match(res.body, /Swagger UI/);
  const css = await app.inject({ url: '/docs/static/swagger-ui.css' });
  t.equal(css.statusCode, 200, 'its assets are served too');
});

t.test('a route that declares no access rule stops the app at start-up', async (t) => {
  const app = await buildApp(testConfig());
  t.teardown(() => app.close());
  t.throws(() => app.get('/sneaky', async () => 'hi'), /GET \/sneaky declares no access rule/);
  t.throws(
    () => app.get('/nobody', { config: { access: { roles: [] }, ocf: 'none' } }, async () => 'hi'),
    /allows no role/,
  );
});

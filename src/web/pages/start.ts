/** The start page and the pages every GOV.UK service has: accessibility, cookies, privacy. */
import type { FastifyInstance } from 'fastify';
import { access } from '../../platform/guard.js';
import { render } from '../render.js';

export const INFO_PAGES = ['accessibility', 'cookies', 'privacy'] as const;

export async function startPages(app: FastifyInstance): Promise<void> {
  app.get('/', { config: { access: access.public, ocf: 'none' } }, async (request, reply) =>
    render(request, reply, 'start.njk'),
  );
  for (const name of INFO_PAGES) {
    app.get(`/${name}`, { config: { access: access.public, ocf: 'none' } }, async (request, reply) =>
      render(request, reply, `info/${name}.njk`),
    );
  }
}

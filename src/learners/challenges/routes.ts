import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const challengesRoutes: FastifyPluginAsyncTypebox = async () => {};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const registerRoutes: FastifyPluginAsyncTypebox = async () => {};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const verifyRoutes: FastifyPluginAsyncTypebox = async () => {};

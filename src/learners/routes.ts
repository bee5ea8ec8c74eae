/**
 * Every learner service's REST routes, one folder each: register/ (the learner register),
 * verify/ (OCF 11), record/ (OCF 03 and the access log), availability/ (OCF 07),
 * challenges/ (OCF 08).
 */
import type { FastifyPluginAsync } from 'fastify';
import { registerRoutes } from './register/routes.js';
import { verifyRoutes } from './verify/routes.js';
import { recordRoutes } from './record/routes.js';
import { availabilityRoutes } from './availability/routes.js';
import { challengesRoutes } from './challenges/routes.js';

export const learnerRoutes: FastifyPluginAsync = async (app) => {
  await app.register(registerRoutes);
  await app.register(verifyRoutes);
  await app.register(recordRoutes);
  await app.register(availabilityRoutes);
  await app.register(challengesRoutes);
};

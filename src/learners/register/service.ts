/**
 * Registering one learner (POST /learners, GraphQL registerLearner): the same rules as a
 * row of the learner file, then, in one transaction that holds the learner's lock,
 * "new: create it", "identical: nothing to do" or "different: refuse".
 *
 * Unlike the operator's file load, a registration never changes a registered learner:
 * the callers are awarding organisations and providers, and changing someone's registered
 * details is an amendment (out of scope here), not something a second registration may do
 * by accident. It does not go through openLearner: it shows no record, only whether the
 * register already holds exactly the details the caller sent, which the same roles can
 * learn by verification (OCF 11) anyway.
 */
import type { Graph } from '../../platform/neo4j.js';
import { AppError } from '../../platform/errors.js';
import { lockRegisterEntry, registerEntries, writeRegisterEntries, type RegisterWriteRow } from '../repository.js';
import {
  type FieldProblem,
  type Learner,
  type LearnerField,
  type RawLearner,
  checkLearner,
  compareWithRegister,
} from './learner-fields.js';

/** A learner as the register now holds them: the written entry, with availability as stored. */
export interface RegisteredLearnerView extends Omit<RegisterWriteRow, 'available'> {
  /** Whether the record is available to others, as the register holds it (a new learner: as sent, default true). */
  available: boolean;
}

export interface RegistrationOutcome {
  /** True when this call registered the learner; false when the register already held exactly these details. */
  created: boolean;
  learner: RegisteredLearnerView;
}

/** A problem with the submitted learner: a field rule, or a merge link the register cannot follow. */
type RegistrationProblem = Omit<FieldProblem, 'code'> & {
  code: FieldProblem['code'] | 'linked-to-unknown' | 'linked-to-linked';
};

function invalid(problems: RegistrationProblem[]): AppError {
  return new AppError(
    400,
    'VALIDATION',
    `the learner is not valid: ${problems.map((p) => p.message).join('; ')}`,
    problems.map((p) => ({ in: 'body', field: p.field, code: p.code, problem: p.message })),
  );
}

/** The master a registration links to must be registered and not itself merged. */
async function checkMaster(
  graph: Graph,
  learner: Learner,
  label: (f: LearnerField) => string,
): Promise<RegistrationProblem | null> {
  if (learner.linkedTo === null) return null;
  const master = (await registerEntries(graph, [learner.linkedTo])).get(learner.linkedTo);
  if (!master || master.details === null) {
    return {
      field: 'linkedTo',
      code: 'linked-to-unknown',
      message: `${label('linkedTo')} names a ULN that is not on the learner register`,
    };
  }
  if (master.linkedTo !== null && master.linkedTo.trim() !== '') {
    return {
      field: 'linkedTo',
      code: 'linked-to-linked',
      message: `${label('linkedTo')} names a learner who is merged into another record; link to the master record directly`,
    };
  }
  return null;
}

/**
 * Register one learner. Throws AppError 400 (VALIDATION, naming each field) for bad input.
 * For a ULN already on the register, only the operator (who may see every learner) is
 * told whether the details agree (200) or which fields differ (409 CONFLICT, never their
 * values). Every other caller gets one answer whatever it sent, 409 ALREADY_REGISTERED
 * with no fields and nothing echoed, so registration cannot confirm a guess (issue 15
 * part 5).
 */
export async function registerLearner(
  graph: Graph,
  input: RawLearner,
  today: string,
  who: { roles: readonly string[] },
  label: (f: LearnerField) => string = (f) => f,
): Promise<RegistrationOutcome> {
  const checked = checkLearner(input, today, label);
  if (!checked.ok) throw invalid(checked.problems);
  const { learner } = checked;
  const masterProblem = await checkMaster(graph, learner, label);
  if (masterProblem) throw invalid([masterProblem]);

  const outcome = await graph.writeTx(async (tx) => {
    const stored = await lockRegisterEntry(tx, learner.uln, learner.available ?? true);
    const cmp = compareWithRegister(learner, stored);
    if (cmp.kind === 'changed') return { kind: 'conflict' as const, fields: cmp.fields };
    if (cmp.kind === 'new') {
      await writeRegisterEntries(tx, [{ ...learner }]);
      return { kind: 'created' as const, available: stored.available };
    }
    return { kind: 'same' as const, available: stored.available };
  });

  if (outcome.kind !== 'created' && !who.roles.includes('operator')) {
    throw new AppError(409, 'ALREADY_REGISTERED', 'a learner with this ULN is already registered');
  }
  if (outcome.kind === 'conflict') {
    throw new AppError(
      409,
      'CONFLICT',
      `a learner with this ULN is already registered with different details (${outcome.fields.join(', ')}); changing a registered learner's details is an amendment, which this service does not offer yet`,
      { fields: outcome.fields },
    );
  }
  const { available: _initial, ...details } = learner;
  return { created: outcome.kind === 'created', learner: { ...details, available: outcome.available } };
}

/** Who may register a learner: awarding organisations, providers and the service operator. */
export const REGISTER_ROLES = ['operator', 'ao-user', 'ao-admin', 'provider-user', 'provider-admin'] as const;

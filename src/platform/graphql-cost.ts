/**
 * The GraphQL cost limit (issue 15 part 4): every field selected costs 1, each alias
 * separately (an alias is another selection of the field, run again), and the fields that
 * search or compute cost more. A request over its caller's budget is refused before any
 * resolver runs; callers without a token get a small budget. Fragments are counted where
 * they are spread. Pure: a document and the costs in, a number out.
 */
import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** What a field costs beyond the 1 every selection costs, by `Type.field`. */
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  'Query.whatIfRoutes': 50,
  'Query.routes': 50,
  'Query.creditCheck': 10,
  'Query.learnerRecord': 10,
  'Query.myRecord': 10,
  'Query.accessLog': 10,
  'Query.qualifications': 10,
  'Query.qualification': 5,
  'Query.verifyLearner': 5,
  'Query.achievements': 10,
  'Query.achievementBatches': 10,
  'Query.challenges': 10,
  'Query.learnerChallenges': 10,
};

/** Budgets: a request without a token, and a signed-in one. */
export const COST_BUDGET = { anonymous: 200, signedIn: 2_000 } as const;

/**
 * The cost of a request: of its dearest operation (only one runs, and which one is not
 * known at this point). Root fields are priced by FIELD_COSTS; nested fields cost 1
 * each. Counting stops once past `stopAt`, so a huge document costs little to price.
 */
export function queryCost(document: DocumentNode, stopAt = Infinity): number {
  let worst = 0;
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) worst = Math.max(worst, operationCost(document, d.name?.value, stopAt));
  }
  return worst;
}

function operationCost(document: DocumentNode, operationName: string | undefined, stopAt: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!op) return 0;
  const rootType =
    op.operation === OperationTypeNode.MUTATION
      ? 'Mutation'
      : op.operation === OperationTypeNode.SUBSCRIPTION
        ? 'Subscription'
        : 'Query';
  let total = 0;
  const count = (set: SelectionSetNode | undefined, root: boolean, seen: string[]): void => {
    if (!set) return;
    for (const s of set.selections) {
      if (total > stopAt) return;
      if (s.kind === Kind.FIELD) {
        total += 1 + (root ? (FIELD_COSTS[`${rootType}.${s.name.value}`] ?? 0) : 0);
        count(s.selectionSet, false, seen);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        count(s.selectionSet, root, seen);
      } else {
        const name = s.name.value;
        if (seen.includes(name)) continue; // a cycle (validation refuses it anyway)
        count(fragments.get(name)?.selectionSet, root, [...seen, name]);
      }
    }
  };
  count(op.selectionSet, true, []);
  return total;
}

import { GatewayHarness } from './harness';

let seq = 0;
/**
 * An operation on version 0 from a client of its own: a client's seqs must
 * reach the doc-service in order, which concurrent sends do not promise.
 */
export function op(docId: string, clientPrefix: string, text = 'x') {
  seq += 1;
  return { docId, clientId: `${clientPrefix}-${seq}`, seq: 1, baseVersion: 0, delta: [{ insert: text }] };
}

/** See {@link limitsHarness}. Its field is set once its beforeAll has run. */
export interface LimitsHarness {
  h: GatewayHarness;
}

/**
 * The stack of the socket limit specs, for the calling spec file: a harness
 * named `label` (its private database and Redis prefix) with one doc-service,
 * made in beforeAll and closed in afterAll. Each test starts a gateway with
 * the limits it checks.
 */
export function limitsHarness(label: string): LimitsHarness {
  const stack = {} as LimitsHarness;
  beforeAll(async () => {
    stack.h = await GatewayHarness.create(label);
    await stack.h.startDocService();
  });
  afterAll(() => stack.h?.close());
  return stack;
}

import type { TokenPair } from '@collab/contracts';
import { GatewayHarness, type RunningGateway } from './harness';

/** The password every account of the account specs signs up with. */
export const PASSWORD = 'correct horse 42';

/** See {@link accountsGateway}. Its fields are set once its beforeAll has run. */
export interface AccountsGateway {
  h: GatewayHarness;
  gateway: RunningGateway;
  /** Signs a new account up through `gateway` (a fresh email by default) and expects 201. */
  signUp(email?: string, name?: string): Promise<{ email: string; pair: TokenPair }>;
}

/**
 * The stack of the account specs, for the calling spec file: a harness named
 * `label` (its private database and Redis prefix) and one gateway that lets
 * three wrong passwords per email go free and keeps the per-address budget
 * out of the way, created in beforeAll and closed in afterAll.
 */
export function accountsGateway(label: string): AccountsGateway {
  const stack = {
    async signUp(email = freshEmail(), name = 'Grace Hopper') {
      const res = await stack.h.api<TokenPair>(stack.gateway, 'POST', '/auth/sign-up', {
        body: { email, password: PASSWORD, name },
      });
      expect(res.status).toBe(201);
      return { email, pair: res.body };
    },
  } as AccountsGateway;
  beforeAll(async () => {
    stack.h = await GatewayHarness.create(label);
    stack.gateway = await stack.h.startGateway({
      SIGN_IN_FAILURES_PER_EMAIL: '3',
      SIGN_IN_ATTEMPTS_PER_IP: '10000',
    });
  });
  afterAll(() => stack.h?.close());
  return stack;
}

let counter = 0;

/** An email no account of this spec file has. */
export function freshEmail(): string {
  counter += 1;
  return `person${counter}.${Date.now()}@example.test`;
}

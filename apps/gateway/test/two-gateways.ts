import { GatewayHarness, type RunningGateway } from './harness';

/** See {@link twoGateways}. Its fields are set once its beforeAll has run. */
export interface TwoGateways {
  h: GatewayHarness;
  gw1: RunningGateway;
  gw2: RunningGateway;
  /** `[gw1, gw2]`, for specs that pick a gateway by index. */
  gateways: RunningGateway[];
}

/**
 * The stack most multi-gateway specs run on, for the calling spec file: a
 * harness named `name` (its private database, Redis prefix and queues),
 * `docServices` doc-services (two by default, so documents have owners on
 * both), then two gateways, settled, in beforeAll; all closed in afterAll.
 */
export function twoGateways(name: string, { docServices = 2 } = {}): TwoGateways {
  const stack = {} as TwoGateways;
  beforeAll(async () => {
    stack.h = await GatewayHarness.create(name);
    for (let i = 0; i < docServices; i++) await stack.h.startDocService();
    stack.gw1 = await stack.h.startGateway();
    stack.gw2 = await stack.h.startGateway();
    stack.gateways = [stack.gw1, stack.gw2];
    await stack.h.settle();
  });
  afterAll(async () => {
    await stack.h?.close();
  });
  return stack;
}

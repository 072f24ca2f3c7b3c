// This stack for a benchmark: the local stack (scripts/stack, as `npm start`
// runs it) on a database and Redis prefix of its own, both dropped when it
// stops, whether the benchmark succeeded or not.
import { checkPostgres, checkRedis } from '../../scripts/stack/preflight.mjs';
import { migrate, stackEnv, startLocalStack } from '../../scripts/stack/local-stack.mjs';
import { dropPrivateInfra, withDatabase } from './private-infra.mjs';

/** A name no other run on the machine uses: base 36 time and this process's id. */
export const runStamp = () => `${Date.now().toString(36)}${process.pid}`;

/**
 * Starts gateway, `docServices` doc-services and `workers` snapshot workers
 * on port `port` (health ports after it, see local-stack.mjs). `overrides`
 * are added to the services' environment. Resolves to { env, stack, stop }.
 */
export async function startBenchStack({ port, docServices = 1, workers = 1, nodeArgs = [], overrides = {} }) {
  const stamp = runStamp();
  const env = stackEnv({ ...process.env, PORT: String(port), REDIS_PREFIX: `bench${stamp}:`, ...overrides });
  env.DATABASE_URL = withDatabase(env.DATABASE_URL, `collab_bench_${stamp}`);
  const problems = (await Promise.all([checkPostgres(env.DATABASE_URL), checkRedis(env.REDIS_URL)])).filter(
    Boolean,
  );
  if (problems.length > 0) throw new Error(problems.join('\n'));
  let stack;
  try {
    await migrate(env, () => undefined);
    stack = await startLocalStack({
      env,
      port,
      docServices,
      workers,
      logLevel: 'warn',
      write: (s) => process.stderr.write(s),
      nodeArgs,
    });
  } catch (error) {
    await dropPrivateInfra(env);
    throw error;
  }
  const stop = async () => {
    try {
      await stack.stop();
    } finally {
      await dropPrivateInfra(env);
    }
  };
  return { env, stack, stop };
}

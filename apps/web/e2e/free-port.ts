import { createServer } from 'node:net';

/**
 * The ports a stack started on `port` listens on: the gateway, the two
 * doc-services' and the worker's health ports (scripts/stack/local-stack.mjs).
 */
const stackPorts = (port: number): number[] => [port, port + 101, port + 102, port + 200];

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/**
 * A base port in `basePort`..`basePort + span - 1` whose stack ports are all
 * free now. A random first offset keeps two runs on one machine apart; the
 * check keeps the machine's own listeners out (a NATS server on 4222 once
 * made a spec's gateway exit with EADDRINUSE).
 */
export async function freeBasePort(basePort: number, span = 30): Promise<number> {
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = basePort + ((start + i) % span);
    if ((await Promise.all(stackPorts(port).map(isFree))).every(Boolean)) return port;
  }
  throw new Error(`no free ports for a stack in ${basePort}..${basePort + span - 1}`);
}

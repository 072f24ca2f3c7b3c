import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '@collab/testing';

const ROOT = path.resolve(__dirname, '../../..');

export interface RunningStack {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The stack exactly as `npm start` runs it (scripts/start.mjs, without the
 * build step: the e2e target builds first), on a private database, Redis
 * prefix and port, so the browser tests see what people run.
 */
export async function startStack(label: string, port: number): Promise<RunningStack> {
  const db: TestDatabase = await createTestDatabase(label);
  const redis: TestRedis = await createTestRedis(label);
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs'), '--no-build'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'],
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.prefix,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'e2e-secret-that-is-long-enough-0123456789',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let announced: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (announced = resolve));
  const onOutput = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('collab is running')) announced();
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  // Waits for the stack's own announcement; the bound only turns a hang into a failure.
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      running,
      exited.then((code) => Promise.reject(new Error(`npm start exited with ${code}:\n${output}`))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`timed out after 120 s waiting for "collab is running":\n${output}`));
        }, 120_000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      await db.drop();
      await redis.cleanup();
    },
  };
}

import { ConfigError } from './service-env';

/**
 * A service's process entry: read the configuration with `load`, then
 * `start` with it. An invalid configuration exits with code 2 and its
 * problems listed (nothing started: a misconfiguration is told apart from a
 * crash); any other failure to start exits with code 1 and its message.
 */
export function bootService<C>(service: string, load: () => C, start: (config: C) => Promise<void>): void {
  const run = async (): Promise<void> => {
    let config: C;
    try {
      config = load();
    } catch (error) {
      if (error instanceof ConfigError) {
        console.error(error.message);
        process.exit(2);
      }
      throw error;
    }
    await start(config);
  };
  run().catch((error: unknown) => {
    console.error(`${service} failed to start:`, error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

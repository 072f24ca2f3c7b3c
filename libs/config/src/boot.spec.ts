import { bootService } from './boot';
import { ConfigError } from './service-env';

/** Lets the boot's promise chain settle. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('bootService', () => {
  let exit: jest.SpyInstance;
  let printed: jest.SpyInstance;
  beforeEach(() => {
    // The real exit would end the test run; the first call is what a process would do.
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('starts with the loaded configuration and does not exit', async () => {
    const start = jest.fn(async () => undefined);
    bootService('svc', () => ({ port: 1 }), start);
    await settled();
    expect(start).toHaveBeenCalledWith({ port: 1 });
    expect(exit).not.toHaveBeenCalled();
  });

  it('exits 2 with every problem listed, before starting, on an invalid configuration', async () => {
    const start = jest.fn(async () => undefined);
    bootService(
      'svc',
      () => {
        throw new ConfigError('svc', ['PORT: too small', 'REDIS_URL: not a URL']);
      },
      start,
    );
    await settled();
    expect(exit.mock.calls[0]).toEqual([2]);
    expect(printed.mock.calls[0][0]).toContain('PORT: too small');
    expect(printed.mock.calls[0][0]).toContain('REDIS_URL: not a URL');
    expect(start).not.toHaveBeenCalled();
  });

  it('exits 1 with the service name and the message when starting fails', async () => {
    bootService(
      'svc',
      () => ({}),
      async () => {
        throw new Error('port in use');
      },
    );
    await settled();
    expect(exit.mock.calls).toEqual([[1]]);
    expect(printed).toHaveBeenCalledWith('svc failed to start:', 'port in use');
  });
});

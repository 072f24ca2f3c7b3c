import DataLoader from 'dataloader';

/** Options of a {@link turnLoader}. */
export interface TurnLoaderOptions {
  /** Keys per batch, at most; more loads in one turn make several batches. */
  readonly maxBatchSize?: number;
}

/**
 * Batches the loads asked for in one turn of the event loop into one call of
 * `batch` (a DataLoader). The batch runs after the I/O callbacks of the turn
 * (setImmediate), not at the end of the current tick as DataLoader does by
 * default: many sockets' messages read in one poll phase each run in a tick of
 * their own, and their reads belong in one query.
 *
 * Nothing is cached: every load is answered by a batch that started after it
 * was asked for, so a role or a dedupe record is never older than the load.
 * The same key asked twice in one turn appears twice in `keys`.
 *
 * @param batch answers `keys` in order (one value per key); when it rejects,
 *   every load of the batch rejects with its error.
 * @returns the load function.
 */
export function turnLoader<K, V>(
  batch: (keys: readonly K[]) => Promise<readonly V[]>,
  options: TurnLoaderOptions = {},
): (key: K) => Promise<V> {
  const loader = new DataLoader<K, V>(batch, {
    cache: false,
    batchScheduleFn: (run) => setImmediate(run),
    ...(options.maxBatchSize === undefined ? {} : { maxBatchSize: options.maxBatchSize }),
  });
  return (key) => loader.load(key);
}

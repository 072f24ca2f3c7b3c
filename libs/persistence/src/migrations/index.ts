import { InitialSchema1764028800000 } from './1764028800000-initial-schema.migration';
import { OperationRestoredFrom1764115200000 } from './1764115200000-operation-restored-from.migration';
import { HistoryAttribution1764201600000 } from './1764201600000-history-attribution.migration';
import { Comments1764288000000 } from './1764288000000-comments.migration';

export { InitialSchema1764028800000 } from './1764028800000-initial-schema.migration';
export { OperationRestoredFrom1764115200000 } from './1764115200000-operation-restored-from.migration';
export { HistoryAttribution1764201600000 } from './1764201600000-history-attribution.migration';
export { Comments1764288000000 } from './1764288000000-comments.migration';

/**
 * Every migration, oldest first. Append new ones here; never edit one that has
 * been released (write a new migration instead).
 */
export const MIGRATIONS = [
  InitialSchema1764028800000,
  OperationRestoredFrom1764115200000,
  HistoryAttribution1764201600000,
  Comments1764288000000,
] as const;

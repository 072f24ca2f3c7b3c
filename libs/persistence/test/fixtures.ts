import type { DataSource } from 'typeorm';
import { createDataSource, type NewOperation, runMigrations } from '../src';

/** An initialized, migrated DataSource on a test database. */
export async function migratedDataSource(url: string, poolSize = 12): Promise<DataSource> {
  const dataSource = await createDataSource({ url, poolSize }).initialize();
  await runMigrations(dataSource);
  return dataSource;
}

/** Operations `from..to` of one document, each inserting its version number as text. */
export function ops(
  documentId: string,
  userId: string,
  from: number,
  to: number,
  clientId = 'client-a',
): NewOperation[] {
  const rows: NewOperation[] = [];
  for (let version = from; version <= to; version++) {
    rows.push({
      documentId,
      version,
      userId,
      clientId,
      seq: version,
      submissionHash: 'h',
      delta: [{ insert: `v${version}` }],
    });
  }
  return rows;
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marks the operations that restored an older version.
 *
 * A restore is committed as an ordinary forward operation (the difference
 * from the content at that moment to the old version's content), so nothing
 * else in the log tells it apart. The history lists restores ("version 812
 * restored version 300"), so the operation row itself records which version
 * it restored: written in the same INSERT as the operation, it can never
 * disagree with the log (a side table would need a second write that a crash
 * could separate from the first).
 *
 * `restored_from` is NULL for every ordinary operation, so existing rows need
 * no rewrite (adding a nullable column without a default is a catalog-only
 * change in PostgreSQL). The partial index holds only restores: listing them
 * reads a handful of index entries instead of scanning a document's whole log.
 */
export class OperationRestoredFrom1764115200000 implements MigrationInterface {
  name = 'OperationRestoredFrom1764115200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "operations" ADD COLUMN "restored_from" bigint NULL`);
    await queryRunner.query(`
      ALTER TABLE "operations" ADD CONSTRAINT "chk_operations_restored_from"
        CHECK ("restored_from" IS NULL OR ("restored_from" >= 0 AND "restored_from" < "version"))`);
    await queryRunner.query(`
      CREATE INDEX "idx_operations_restores" ON "operations" ("document_id", "version")
        WHERE "restored_from" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_operations_restores"`);
    await queryRunner.query(`ALTER TABLE "operations" DROP CONSTRAINT "chk_operations_restored_from"`);
    await queryRunner.query(`ALTER TABLE "operations" DROP COLUMN "restored_from"`);
  }
}

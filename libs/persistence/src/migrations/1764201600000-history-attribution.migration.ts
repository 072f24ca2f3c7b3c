import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who wrote what, and editing sessions, kept with the snapshots.
 *
 * Both are folds of the operation log (which already records every
 * operation's author and time), made by the snapshot worker when it builds a
 * snapshot: the commit path writes nothing more, so typing does not pay for
 * them. Like snapshots they are an optimisation, never the truth: a reader
 * folds the operations after the newest row, and from version 0 when there is
 * none (documents older than this migration until the worker's next job).
 *
 * `snapshot_attributions` is a side table, not columns on `snapshots`, so the
 * readers of snapshots (every document load) never fetch it. It holds the
 * attribution segments (`{users, runs}`: runs flattened as length, first
 * character id, user index, time; see libs/persistence/src/history/
 * attribution.ts), how many characters were ever inserted (the next id), and
 * the session fold's state at that version.
 *
 * `history_sessions` holds the sessions and restores the worker folded,
 * keyed by their first version; the open one is rewritten as it grows (a row
 * is only ever replaced by one reaching further, so racing or late jobs
 * never shrink it).
 */
export class HistoryAttribution1764201600000 implements MigrationInterface {
  name = 'HistoryAttribution1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "snapshot_attributions" (
        "document_id" uuid NOT NULL,
        "version" bigint NOT NULL,
        "inserted_chars" bigint NOT NULL,
        "segments" jsonb NOT NULL,
        "session_state" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_snapshot_attributions" PRIMARY KEY ("document_id", "version"),
        CONSTRAINT "chk_snapshot_attributions_inserted" CHECK ("inserted_chars" >= 1),
        CONSTRAINT "fk_snapshot_attributions_snapshot" FOREIGN KEY ("document_id", "version")
          REFERENCES "snapshots" ("document_id", "version") ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE "history_sessions" (
        "document_id" uuid NOT NULL,
        "from_version" bigint NOT NULL,
        "to_version" bigint NOT NULL,
        "kind" text NOT NULL,
        "started_at" timestamptz NOT NULL,
        "ended_at" timestamptz NOT NULL,
        "author_ids" uuid[] NOT NULL,
        "restored_from" bigint NULL,
        CONSTRAINT "pk_history_sessions" PRIMARY KEY ("document_id", "from_version"),
        CONSTRAINT "chk_history_sessions_range" CHECK ("from_version" >= 1 AND "to_version" >= "from_version"),
        CONSTRAINT "chk_history_sessions_kind" CHECK ("kind" IN ('session', 'restore')),
        CONSTRAINT "fk_history_sessions_document_id" FOREIGN KEY ("document_id")
          REFERENCES "documents" ("id") ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "history_sessions"`);
    await queryRunner.query(`DROP TABLE "snapshot_attributions"`);
  }
}

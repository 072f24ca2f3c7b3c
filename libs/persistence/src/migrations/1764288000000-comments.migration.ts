import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Comments, discussions and @mentions, and the `commenter` role.
 *
 * - `comment_threads`: one discussion on a range of a document. Its anchor is
 *   stored with the version at which it holds (`anchor_version`); readers move
 *   it through the operations logged after that version and may store the
 *   moved anchor back (a newer version only), so the commit path never writes
 *   a thread: typing does not pay for comments (docs/architecture.md,
 *   comments). `quoted_text` is the text the range covered when the thread
 *   was made.
 * - `comments`: the thread's messages. Ids of threads and comments are made by
 *   the client, so a resent request finds its first copy by primary key.
 *   Deleted comments keep their row (`deleted_at`, body cleared) so a late
 *   resend of their creation is not taken for a new one.
 * - `mentions`: who a comment mentions (members of the document when written).
 * - `notifications`: a user's inbox; one per (user, comment, kind), so
 *   editing a comment never notifies the same mention twice.
 */
export class Comments1764288000000 implements MigrationInterface {
  name = 'Comments1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "document_members" DROP CONSTRAINT "chk_document_members_role"`);
    await queryRunner.query(
      `ALTER TABLE "document_members" ADD CONSTRAINT "chk_document_members_role" CHECK ("role" IN ('owner', 'editor', 'commenter', 'viewer'))`,
    );
    await queryRunner.query(`ALTER TABLE "invitations" DROP CONSTRAINT "chk_invitations_role"`);
    await queryRunner.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "chk_invitations_role" CHECK ("role" IN ('editor', 'commenter', 'viewer'))`,
    );

    await queryRunner.query(`
      CREATE TABLE "comment_threads" (
        "id" uuid NOT NULL,
        "document_id" uuid NOT NULL,
        "anchor_from" integer NOT NULL,
        "anchor_to" integer NOT NULL,
        "anchor_version" bigint NOT NULL,
        "anchor_detached" boolean NOT NULL DEFAULT false,
        "quoted_text" text NOT NULL,
        "created_by" uuid NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "resolved_at" timestamptz NULL,
        "resolved_by" uuid NULL,
        CONSTRAINT "pk_comment_threads" PRIMARY KEY ("id"),
        CONSTRAINT "chk_comment_threads_anchor" CHECK ("anchor_from" >= 0 AND "anchor_to" >= "anchor_from" AND "anchor_version" >= 0),
        CONSTRAINT "chk_comment_threads_resolved" CHECK (("resolved_at" IS NULL) = ("resolved_by" IS NULL)),
        CONSTRAINT "fk_comment_threads_document_id" FOREIGN KEY ("document_id")
          REFERENCES "documents" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_comment_threads_created_by" FOREIGN KEY ("created_by")
          REFERENCES "users" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_comment_threads_resolved_by" FOREIGN KEY ("resolved_by")
          REFERENCES "users" ("id") ON DELETE SET NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX "idx_comment_threads_document_id" ON "comment_threads" ("document_id", "created_at")`,
    );

    await queryRunner.query(`
      CREATE TABLE "comments" (
        "id" uuid NOT NULL,
        "thread_id" uuid NOT NULL,
        "author_id" uuid NOT NULL,
        "body" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "edited_at" timestamptz NULL,
        "deleted_at" timestamptz NULL,
        CONSTRAINT "pk_comments" PRIMARY KEY ("id"),
        CONSTRAINT "chk_comments_body" CHECK (char_length("body") <= 10000 AND ("deleted_at" IS NOT NULL OR char_length("body") >= 1)),
        CONSTRAINT "fk_comments_thread_id" FOREIGN KEY ("thread_id")
          REFERENCES "comment_threads" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_comments_author_id" FOREIGN KEY ("author_id")
          REFERENCES "users" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "idx_comments_thread_id" ON "comments" ("thread_id", "created_at")`,
    );

    await queryRunner.query(`
      CREATE TABLE "mentions" (
        "comment_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        CONSTRAINT "pk_mentions" PRIMARY KEY ("comment_id", "user_id"),
        CONSTRAINT "fk_mentions_comment_id" FOREIGN KEY ("comment_id")
          REFERENCES "comments" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_mentions_user_id" FOREIGN KEY ("user_id")
          REFERENCES "users" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "idx_mentions_user_id" ON "mentions" ("user_id")`);

    await queryRunner.query(`
      CREATE TABLE "notifications" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "document_id" uuid NOT NULL,
        "thread_id" uuid NOT NULL,
        "comment_id" uuid NOT NULL,
        "actor_id" uuid NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "read_at" timestamptz NULL,
        CONSTRAINT "pk_notifications" PRIMARY KEY ("id"),
        CONSTRAINT "uq_notifications_user_comment_kind" UNIQUE ("user_id", "comment_id", "kind"),
        CONSTRAINT "chk_notifications_kind" CHECK ("kind" IN ('mention')),
        CONSTRAINT "fk_notifications_user_id" FOREIGN KEY ("user_id")
          REFERENCES "users" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_notifications_document_id" FOREIGN KEY ("document_id")
          REFERENCES "documents" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_notifications_thread_id" FOREIGN KEY ("thread_id")
          REFERENCES "comment_threads" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_notifications_comment_id" FOREIGN KEY ("comment_id")
          REFERENCES "comments" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_notifications_actor_id" FOREIGN KEY ("actor_id")
          REFERENCES "users" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "idx_notifications_user_id_created_at" ON "notifications" ("user_id", "created_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notifications"`);
    await queryRunner.query(`DROP TABLE "mentions"`);
    await queryRunner.query(`DROP TABLE "comments"`);
    await queryRunner.query(`DROP TABLE "comment_threads"`);
    // Commenters become viewers: the narrower role that the old check allows.
    await queryRunner.query(`UPDATE "document_members" SET "role" = 'viewer' WHERE "role" = 'commenter'`);
    await queryRunner.query(`UPDATE "invitations" SET "role" = 'viewer' WHERE "role" = 'commenter'`);
    await queryRunner.query(`ALTER TABLE "invitations" DROP CONSTRAINT "chk_invitations_role"`);
    await queryRunner.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "chk_invitations_role" CHECK ("role" IN ('editor', 'viewer'))`,
    );
    await queryRunner.query(`ALTER TABLE "document_members" DROP CONSTRAINT "chk_document_members_role"`);
    await queryRunner.query(
      `ALTER TABLE "document_members" ADD CONSTRAINT "chk_document_members_role" CHECK ("role" IN ('owner', 'editor', 'viewer'))`,
    );
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole schema (docs/architecture.md, "Data"), written by hand.
 *
 * Every constraint and index has an explicit name that matches the entities, so
 * TypeORM's schema diff against the entities stays empty (a test checks it) and
 * code can tell constraint violations apart by name (`pk_operations` vs
 * `uq_operations_client_seq`).
 *
 * Versions and client sequence numbers are `bigint` (read as numbers, see
 * `bigintToNumber`), matching the contracts' safe-integer `Version` and `Seq`. UUIDs come from
 * `gen_random_uuid()`, built into PostgreSQL 13+, so no extension is needed.
 */
export class InitialSchema1764028800000 implements MigrationInterface {
  name = 'InitialSchema1764028800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "email" text NOT NULL,
        "name" text NOT NULL,
        "password_hash" text NOT NULL,
        "color" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_users" PRIMARY KEY ("id"),
        CONSTRAINT "uq_users_email" UNIQUE ("email"),
        CONSTRAINT "chk_users_email_normalized" CHECK ("email" = lower(btrim("email")))
      )`);

    await queryRunner.query(`
      CREATE TABLE "refresh_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "family_id" uuid NOT NULL,
        "token_hash" text NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz NULL,
        "replaced_by" uuid NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_refresh_tokens" PRIMARY KEY ("id"),
        CONSTRAINT "uq_refresh_tokens_token_hash" UNIQUE ("token_hash"),
        CONSTRAINT "fk_refresh_tokens_user_id" FOREIGN KEY ("user_id")
          REFERENCES "users" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_refresh_tokens_replaced_by" FOREIGN KEY ("replaced_by")
          REFERENCES "refresh_tokens" ("id") ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE INDEX "idx_refresh_tokens_user_id" ON "refresh_tokens" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "idx_refresh_tokens_family_id" ON "refresh_tokens" ("family_id")`);

    await queryRunner.query(`
      CREATE TABLE "documents" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "title" text NOT NULL,
        "owner_id" uuid NOT NULL,
        "head_version" bigint NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "deleted_at" timestamptz NULL,
        CONSTRAINT "pk_documents" PRIMARY KEY ("id"),
        CONSTRAINT "chk_documents_head_version" CHECK ("head_version" >= 0),
        CONSTRAINT "fk_documents_owner_id" FOREIGN KEY ("owner_id")
          REFERENCES "users" ("id") ON DELETE RESTRICT
      )`);
    await queryRunner.query(`CREATE INDEX "idx_documents_owner_id" ON "documents" ("owner_id")`);

    await queryRunner.query(`
      CREATE TABLE "document_members" (
        "document_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "role" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_document_members" PRIMARY KEY ("document_id", "user_id"),
        CONSTRAINT "chk_document_members_role" CHECK ("role" IN ('owner', 'editor', 'viewer')),
        CONSTRAINT "fk_document_members_document_id" FOREIGN KEY ("document_id")
          REFERENCES "documents" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_document_members_user_id" FOREIGN KEY ("user_id")
          REFERENCES "users" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "idx_document_members_user_id" ON "document_members" ("user_id")`);
    // At most one owner per document.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_document_members_one_owner" ON "document_members" ("document_id") WHERE "role" = 'owner'`,
    );

    await queryRunner.query(`
      CREATE TABLE "invitations" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "document_id" uuid NOT NULL,
        "email" text NOT NULL,
        "role" text NOT NULL,
        "token_hash" text NOT NULL,
        "invited_by" uuid NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "accepted_at" timestamptz NULL,
        "accepted_by" uuid NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_invitations" PRIMARY KEY ("id"),
        CONSTRAINT "uq_invitations_token_hash" UNIQUE ("token_hash"),
        CONSTRAINT "chk_invitations_role" CHECK ("role" IN ('editor', 'viewer')),
        CONSTRAINT "chk_invitations_email_normalized" CHECK ("email" = lower(btrim("email"))),
        CONSTRAINT "chk_invitations_accepted" CHECK ("accepted_by" IS NULL OR "accepted_at" IS NOT NULL),
        CONSTRAINT "fk_invitations_document_id" FOREIGN KEY ("document_id")
          REFERENCES "documents" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_invitations_invited_by" FOREIGN KEY ("invited_by")
          REFERENCES "users" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_invitations_accepted_by" FOREIGN KEY ("accepted_by")
          REFERENCES "users" ("id") ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE INDEX "idx_invitations_email" ON "invitations" ("email")`);
    await queryRunner.query(`CREATE INDEX "idx_invitations_document_id" ON "invitations" ("document_id")`);

    // The primary key is the ownership fence and the unique key the cross-restart
    // dedupe record; see OperationEntity. No foreign key on user_id (hot path).
    await queryRunner.query(`
      CREATE TABLE "operations" (
        "document_id" uuid NOT NULL,
        "version" bigint NOT NULL,
        "delta" jsonb NOT NULL,
        "user_id" uuid NOT NULL,
        "client_id" text NOT NULL,
        "seq" bigint NOT NULL,
        "submission_hash" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_operations" PRIMARY KEY ("document_id", "version"),
        CONSTRAINT "uq_operations_client_seq" UNIQUE ("document_id", "user_id", "client_id", "seq"),
        CONSTRAINT "chk_operations_version" CHECK ("version" >= 1),
        CONSTRAINT "chk_operations_seq" CHECK ("seq" >= 0),
        CONSTRAINT "chk_operations_delta" CHECK (jsonb_typeof("delta") = 'array'),
        CONSTRAINT "fk_operations_document_id" FOREIGN KEY ("document_id")
          REFERENCES "documents" ("id") ON DELETE CASCADE
      )`);

    await queryRunner.query(`
      CREATE TABLE "snapshots" (
        "document_id" uuid NOT NULL,
        "version" bigint NOT NULL,
        "delta" jsonb NOT NULL,
        "html" text NOT NULL,
        "text" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_snapshots" PRIMARY KEY ("document_id", "version"),
        CONSTRAINT "chk_snapshots_version" CHECK ("version" >= 0),
        CONSTRAINT "chk_snapshots_delta" CHECK (jsonb_typeof("delta") = 'array'),
        CONSTRAINT "fk_snapshots_document_id" FOREIGN KEY ("document_id")
          REFERENCES "documents" ("id") ON DELETE CASCADE
      )`);

    await queryRunner.query(`
      CREATE TABLE "named_versions" (
        "document_id" uuid NOT NULL,
        "version" bigint NOT NULL,
        "name" text NOT NULL,
        "created_by" uuid NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_named_versions" PRIMARY KEY ("document_id", "version"),
        CONSTRAINT "chk_named_versions_version" CHECK ("version" >= 0),
        CONSTRAINT "fk_named_versions_document_id" FOREIGN KEY ("document_id")
          REFERENCES "documents" ("id") ON DELETE CASCADE,
        CONSTRAINT "fk_named_versions_created_by" FOREIGN KEY ("created_by")
          REFERENCES "users" ("id") ON DELETE RESTRICT
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Children before parents; each DROP TABLE takes its indexes and constraints with it.
    for (const table of [
      'named_versions',
      'snapshots',
      'operations',
      'invitations',
      'document_members',
      'documents',
      'refresh_tokens',
      'users',
    ]) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}

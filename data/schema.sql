-- The degux schema as the production database has it: the tables Prisma's
-- migrations create (quoted camelCase, text ids, timestamp(3), enums,
-- Prisma's constraint and index names), the indexes and Row Level Security
-- policies applied by hand from the database seed, the auth.uid() shim that
-- lets those policies run without Supabase, and the application roles.
-- Load it into an empty database as the owner (nexus_user):
--   psql -v ON_ERROR_STOP=1 -f data/schema.sql degux
-- It has no psql meta-commands, so one PQexec of the whole text works too.

-- Extensions where the postgis/postgis image and a plain install put them:
-- in public.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Prisma's own bookkeeping table, created by `prisma migrate deploy`.
CREATE TABLE "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);

-- ---------------------------------------------------------------------
-- Migration 20241027061255_init
-- ---------------------------------------------------------------------

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('user', 'admin', 'superadmin');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT NOT NULL,
    "password" TEXT,
    "emailVerified" TIMESTAMP(3),
    "image" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'user',

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "id" TEXT NOT NULL,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "sessionToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationToken" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VerificationToken_pkey" PRIMARY KEY ("identifier","token")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Account_provider_providerAccountId_key" ON "Account"("provider", "providerAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationToken_identifier_key" ON "VerificationToken"("identifier");

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------
-- Migration 20250112183422_add_conservadores_referenciales
-- geom is an unsupported type to Prisma: the column is plain `geometry`,
-- with no type or SRID modifier.
-- ---------------------------------------------------------------------

-- CreateTable
CREATE TABLE "conservadores" (
    "id" TEXT NOT NULL,
    "nombre" TEXT NOT NULL,
    "direccion" TEXT NOT NULL,
    "comuna" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "telefono" TEXT,
    "email" TEXT,
    "sitioWeb" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "conservadores_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "referenciales" (
    "id" TEXT NOT NULL,
    "lat" DOUBLE PRECISION NOT NULL,
    "lng" DOUBLE PRECISION NOT NULL,
    "fojas" TEXT NOT NULL,
    "numero" INTEGER NOT NULL,
    "anio" INTEGER NOT NULL,
    "cbr" TEXT NOT NULL,
    "comprador" TEXT NOT NULL,
    "vendedor" TEXT NOT NULL,
    "predio" TEXT NOT NULL,
    "comuna" TEXT NOT NULL,
    "rol" TEXT NOT NULL,
    "fechaescritura" TIMESTAMP(3) NOT NULL,
    "superficie" DOUBLE PRECISION NOT NULL,
    "monto" INTEGER NOT NULL,
    "observaciones" TEXT,
    "userId" TEXT NOT NULL,
    "conservadorId" TEXT NOT NULL,
    "geom" geometry,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "referenciales_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "referenciales" ADD CONSTRAINT "referenciales_conservadorId_fkey" FOREIGN KEY ("conservadorId") REFERENCES "conservadores"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "referenciales" ADD CONSTRAINT "referenciales_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------
-- Migration 20250215094510_add_audit_log_chat_message
-- ---------------------------------------------------------------------

-- CreateEnum
CREATE TYPE "MessageRole" AS ENUM ('user', 'bot');

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "metadata" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatMessage" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "MessageRole" NOT NULL,
    "content" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChatMessage_userId_createdAt_idx" ON "ChatMessage"("userId", "createdAt");

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatMessage" ADD CONSTRAINT "ChatMessage_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------
-- Migration 20250504042816_change_referenciales_monto_to_bigint
-- ---------------------------------------------------------------------

-- AlterTable
ALTER TABLE "referenciales" ALTER COLUMN "monto" DROP NOT NULL,
ALTER COLUMN "monto" SET DATA TYPE BIGINT;

-- ---------------------------------------------------------------------
-- Migration 20250618201133_referenciales_user_optional
-- Rows scraped by N8N have no user.
-- ---------------------------------------------------------------------

-- DropForeignKey
ALTER TABLE "referenciales" DROP CONSTRAINT "referenciales_userId_fkey";

-- AlterTable
ALTER TABLE "referenciales" ALTER COLUMN "userId" DROP NOT NULL;

-- AddForeignKey
ALTER TABLE "referenciales" ADD CONSTRAINT "referenciales_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ---------------------------------------------------------------------
-- Migration 20250930154201_add_user_profiles_property_connection
-- (its first attempt failed and was resolved as rolled back)
-- ---------------------------------------------------------------------

-- CreateEnum
CREATE TYPE "ProfessionType" AS ENUM ('CORREDOR', 'TASADOR', 'ARQUITECTO', 'CONSTRUCTOR', 'INGENIERO', 'INVERSIONISTA', 'ABOGADO', 'OTRO');

-- CreateEnum
CREATE TYPE "PropertyType" AS ENUM ('CASA', 'DEPARTAMENTO', 'TERRENO', 'LOCAL_COMERCIAL', 'OFICINA', 'BODEGA', 'PARCELA', 'OTRO');

-- CreateEnum
CREATE TYPE "PropertyStatus" AS ENUM ('available', 'reserved', 'sold', 'inactive');

-- CreateEnum
CREATE TYPE "ConnectionStatus" AS ENUM ('pending', 'accepted', 'rejected', 'blocked');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "bio" TEXT,
ADD COLUMN     "commune" TEXT,
ADD COLUMN     "company" TEXT,
ADD COLUMN     "isPublicProfile" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "linkedin" TEXT,
ADD COLUMN     "phone" TEXT,
ADD COLUMN     "profession" "ProfessionType",
ADD COLUMN     "region" TEXT,
ADD COLUMN     "website" TEXT;

-- CreateTable
CREATE TABLE "Property" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "propertyType" "PropertyType" NOT NULL,
    "status" "PropertyStatus" NOT NULL DEFAULT 'available',
    "address" TEXT NOT NULL,
    "commune" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "lat" DOUBLE PRECISION,
    "lng" DOUBLE PRECISION,
    "bedrooms" INTEGER,
    "bathrooms" INTEGER,
    "parkingSpots" INTEGER,
    "totalSurface" DOUBLE PRECISION,
    "builtSurface" DOUBLE PRECISION,
    "price" BIGINT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'CLP',
    "images" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "mainImage" TEXT,
    "featured" BOOLEAN NOT NULL DEFAULT false,
    "views" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Property_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL,
    "requesterId" TEXT NOT NULL,
    "receiverId" TEXT NOT NULL,
    "status" "ConnectionStatus" NOT NULL DEFAULT 'pending',
    "message" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Connection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Property_userId_idx" ON "Property"("userId");

-- CreateIndex
CREATE INDEX "Property_commune_status_idx" ON "Property"("commune", "status");

-- CreateIndex
CREATE INDEX "Property_propertyType_status_idx" ON "Property"("propertyType", "status");

-- CreateIndex
CREATE INDEX "Connection_requesterId_status_idx" ON "Connection"("requesterId", "status");

-- CreateIndex
CREATE INDEX "Connection_receiverId_status_idx" ON "Connection"("receiverId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Connection_requesterId_receiverId_key" ON "Connection"("requesterId", "receiverId");

-- AddForeignKey
ALTER TABLE "Property" ADD CONSTRAINT "Property_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Connection" ADD CONSTRAINT "Connection_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Connection" ADD CONSTRAINT "Connection_receiverId_fkey" FOREIGN KEY ("receiverId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------
-- Migration 20251008112045_add_property_listing
-- ---------------------------------------------------------------------

-- CreateEnum
CREATE TYPE "ListingSource" AS ENUM ('PORTAL_INMOBILIARIO', 'TOCTOC', 'MERCADO_LIBRE', 'YAPO', 'OTRO');

-- CreateTable
CREATE TABLE "PropertyListing" (
    "id" TEXT NOT NULL,
    "source" "ListingSource" NOT NULL,
    "sourceUrl" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "propertyType" "PropertyType" NOT NULL,
    "address" TEXT,
    "commune" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "lat" DOUBLE PRECISION,
    "lng" DOUBLE PRECISION,
    "bedrooms" INTEGER,
    "bathrooms" INTEGER,
    "parkingSpots" INTEGER,
    "totalSurface" DOUBLE PRECISION,
    "builtSurface" DOUBLE PRECISION,
    "price" BIGINT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'CLP',
    "images" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "mainImage" TEXT,
    "scrapedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PropertyListing_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PropertyListing_commune_propertyType_idx" ON "PropertyListing"("commune", "propertyType");

-- CreateIndex
CREATE UNIQUE INDEX "PropertyListing_source_externalId_key" ON "PropertyListing"("source", "externalId");

-- ---------------------------------------------------------------------
-- Migration history as `prisma migrate status` sees it: every migration
-- above applied; the first attempt at the profiles migration failed and
-- was resolved as rolled back; the geom migration for "Property" failed
-- (CREATE INDEX CONCURRENTLY inside Prisma's transaction) and is still
-- unresolved, which is why "Property" has no geom column.
-- ---------------------------------------------------------------------
INSERT INTO "_prisma_migrations"
    (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
SELECT m.id, encode(sha256(convert_to(m.name || ':' || m.id, 'UTF8')), 'hex'),
       m.finished_at, m.name, m.logs, m.rolled_back_at, m.started_at, m.steps
FROM (VALUES
    ('6f1d2c3a-9b8e-4f7a-a1d2-0c3b4e5f6a71', '20241027061255_init',
     '2024-10-27 06:13:02.114+00'::timestamptz, '2024-10-27 06:13:01.873+00'::timestamptz,
     NULL::timestamptz, NULL::text, 1),
    ('0a9b8c7d-6e5f-4a3b-b2c1-d0e9f8a7b6c5', '20250112183422_add_conservadores_referenciales',
     '2025-01-12 18:41:55.402+00', '2025-01-12 18:41:55.019+00', NULL, NULL, 1),
    ('b3c4d5e6-f7a8-49b0-8c1d-2e3f4a5b6c7d', '20250215094510_add_audit_log_chat_message',
     '2025-02-15 09:52:40.871+00', '2025-02-15 09:52:40.533+00', NULL, NULL, 1),
    ('c7d8e9f0-a1b2-4c3d-9e4f-5a6b7c8d9e0f', '20250504042816_change_referenciales_monto_to_bigint',
     '2025-05-04 04:31:12.950+00', '2025-05-04 04:31:09.204+00', NULL, NULL, 1),
    ('d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6', '20250618201133_referenciales_user_optional',
     '2025-06-18 20:14:51.336+00', '2025-06-18 20:14:50.982+00', NULL, NULL, 1),
    ('e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9', '20250930154201_add_user_profiles_property_connection',
     NULL, '2025-09-30 15:47:18.220+00', '2025-09-30 16:05:41.517+00',
     E'Database error code: 42710\n\nDatabase error:\nERROR: type "ProfessionType" already exists\n\nDbError { severity: "ERROR", parsed_severity: Some(Error), code: SqlState(E42710), message: "type \\"ProfessionType\\" already exists", detail: None, hint: None, position: None, where_: None, schema: None, table: None, column: None, datatype: None, constraint: None, file: Some("typecmds.c"), line: Some(1167), routine: Some("DefineEnum") }\n\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name="20250930154201_add_user_profiles_property_connection"\n             at schema-engine/connectors/sql-schema-connector/src/apply_migration.rs:106\n   1: schema_core::commands::apply_migrations::Applying migration\n           with migration_name="20250930154201_add_user_profiles_property_connection"\n             at schema-engine/core/src/commands/apply_migrations.rs:91\n   2: schema_core::state::ApplyMigrations\n             at schema-engine/core/src/state.rs:226',
     0),
    ('f9a0b1c2-d3e4-4f5a-86b7-c8d9e0f1a2b3', '20250930154201_add_user_profiles_property_connection',
     '2025-09-30 16:07:02.688+00', '2025-09-30 16:07:01.905+00', NULL, NULL, 1),
    ('0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e', '20251008112045_add_property_listing',
     '2025-10-08 11:24:37.140+00', '2025-10-08 11:24:36.702+00', NULL, NULL, 1),
    ('1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', '20251021093017_add_property_geom',
     NULL, '2025-10-21 09:33:48.615+00', NULL,
     E'Database error code: 25001\n\nDatabase error:\nERROR: CREATE INDEX CONCURRENTLY cannot run inside a transaction block\n\nDbError { severity: "ERROR", parsed_severity: Some(Error), code: SqlState(E25001), message: "CREATE INDEX CONCURRENTLY cannot run inside a transaction block", detail: None, hint: None, position: None, where_: None, schema: None, table: None, column: None, datatype: None, constraint: None, file: Some("xact.c"), line: Some(3498), routine: Some("PreventInTransactionBlock") }\n\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name="20251021093017_add_property_geom"\n             at schema-engine/connectors/sql-schema-connector/src/apply_migration.rs:106\n   1: schema_core::commands::apply_migrations::Applying migration\n           with migration_name="20251021093017_add_property_geom"\n             at schema-engine/core/src/commands/apply_migrations.rs:91\n   2: schema_core::state::ApplyMigrations\n             at schema-engine/core/src/state.rs:226',
     0)
) AS m(id, name, finished_at, started_at, rolled_back_at, logs, steps);

-- ---------------------------------------------------------------------
-- Applied by hand from the database seed (not Prisma migrations), so
-- several duplicate the indexes Prisma already made.
-- ---------------------------------------------------------------------

-- User lookups
CREATE INDEX idx_user_email ON "User"(email);
CREATE INDEX idx_user_profession ON "User"(profession) WHERE "isPublicProfile" = true;
CREATE INDEX idx_user_region_commune ON "User"(region, commune) WHERE "isPublicProfile" = true;

-- Property searches
CREATE INDEX idx_property_user ON "Property"("userId");
CREATE INDEX idx_property_status ON "Property"(status);
CREATE INDEX idx_property_commune_status ON "Property"(commune, status);
CREATE INDEX idx_property_type_status ON "Property"("propertyType", status);
CREATE INDEX idx_property_price ON "Property"(price) WHERE status = 'available';

-- Connection lookups
CREATE INDEX idx_connection_requester ON "Connection"("requesterId", status);
CREATE INDEX idx_connection_receiver ON "Connection"("receiverId", status);

-- Referenciales
CREATE INDEX idx_referenciales_comuna ON "referenciales"(comuna);
CREATE INDEX idx_referenciales_fecha ON "referenciales"(fechaescritura);
CREATE INDEX idx_referenciales_user ON "referenciales"("userId");
CREATE INDEX idx_referenciales_geom ON "referenciales" USING GIST (geom);

-- ---------------------------------------------------------------------
-- auth.uid(): the seed's policies call Supabase's function. Here it is the
-- text value of request.jwt.claim.sub (NULL when unset or empty), so the
-- policies below run unchanged and a session can act as a user with
--   SET LOCAL request.jwt.claim.sub = '<User.id>';
-- ---------------------------------------------------------------------
CREATE SCHEMA IF NOT EXISTS auth;

CREATE OR REPLACE FUNCTION auth.uid() RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::text $$;

COMMENT ON FUNCTION auth.uid() IS
    'Current user id from request.jwt.claim.sub (Supabase auth.uid() stand-in)';

-- ---------------------------------------------------------------------
-- Row Level Security, as written in the seed.
-- ---------------------------------------------------------------------

-- Property Table (User-owned data)
ALTER TABLE "Property" ENABLE ROW LEVEL SECURITY;

CREATE POLICY property_select_own
ON "Property" FOR SELECT
USING (auth.uid() = "userId");

CREATE POLICY property_select_public
ON "Property" FOR SELECT
USING (
  EXISTS (
    SELECT 1 FROM "User"
    WHERE "User".id = "Property"."userId"
    AND "User"."isPublicProfile" = true
  )
);

CREATE POLICY property_update_own
ON "Property" FOR UPDATE
USING (auth.uid() = "userId");

CREATE POLICY property_delete_own
ON "Property" FOR DELETE
USING (auth.uid() = "userId");

-- Connection Table (Networking privacy)
ALTER TABLE "Connection" ENABLE ROW LEVEL SECURITY;

CREATE POLICY connection_select_own
ON "Connection" FOR SELECT
USING (
  auth.uid() = "requesterId" OR
  auth.uid() = "receiverId"
);

CREATE POLICY connection_insert
ON "Connection" FOR INSERT
WITH CHECK (auth.uid() = "requesterId");

CREATE POLICY connection_update_recipient
ON "Connection" FOR UPDATE
USING (auth.uid() = "receiverId");

-- Referenciales Table (Public data, admin-moderated)
ALTER TABLE "referenciales" ENABLE ROW LEVEL SECURITY;

CREATE POLICY referencial_select_all
ON "referenciales" FOR SELECT
USING (true);

CREATE POLICY referencial_modify_admin
ON "referenciales" FOR ALL
USING (
  EXISTS (
    SELECT 1 FROM "User"
    WHERE "User".id = auth.uid()
    AND "User".role IN ('admin', 'superadmin')
  )
);

-- ---------------------------------------------------------------------
-- Roles. nexus_user (the cluster's bootstrap superuser, like the image's
-- POSTGRES_USER) owns everything above. The application connects as
-- degux_app, which owns nothing, so the policies apply to it; degux_readonly
-- only reads. Roles are cluster-wide: create them once.
-- ---------------------------------------------------------------------
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'degux_app') THEN
        CREATE ROLE degux_app LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'degux_readonly') THEN
        CREATE ROLE degux_readonly LOGIN;
    END IF;
END
$$;

COMMENT ON ROLE degux_app IS 'degux.cl web application (Prisma); subject to RLS';
COMMENT ON ROLE degux_readonly IS 'read-only access for reports';

GRANT USAGE ON SCHEMA public, auth TO degux_app, degux_readonly;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO degux_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO degux_readonly;
GRANT EXECUTE ON FUNCTION auth.uid() TO degux_app, degux_readonly;

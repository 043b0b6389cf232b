-- The console's own state, kept out of public (Prisma owns public and
-- would report anything else there as drift): the moderation review state
-- of each referencial, the audit trail of every decision, and the console
-- migrations applied. degux-console migrate runs this file in one
-- transaction and records it in degux_console.migrations.
CREATE SCHEMA degux_console;
COMMENT ON SCHEMA degux_console IS
    'degux-console: moderation state and audit trail (not managed by Prisma)';

CREATE TABLE degux_console.migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE degux_console.migrations IS
    'degux-console migrations applied (data/migrations/NNNN_name.up.sql)';

-- One row per reviewed referencial. No foreign key to public.referenciales:
-- it would add triggers to a Prisma table, and a deleted row keeps its
-- history. row_updated_at and row_xmin are the version that was reviewed:
-- a row whose "updatedAt" moved on since is back in the queue.
CREATE TABLE degux_console.review (
    referencial_id text PRIMARY KEY,
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected', 'flagged')),
    reason text,
    reviewer text NOT NULL DEFAULT session_user,
    reviewed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    row_updated_at timestamp(3),
    row_xmin text
);
CREATE INDEX review_status_idx ON degux_console.review (status);
COMMENT ON TABLE degux_console.review IS
    'Moderation state of referenciales; absent = never reviewed';

-- Every decision and edit: the row before and after (jsonb images of the
-- referencial), who made it (database and operating-system user) and when.
CREATE TABLE degux_console.audit (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referencial_id text NOT NULL,
    action text NOT NULL
        CHECK (action IN ('approve', 'reject', 'flag', 'edit', 'undo',
                          'delete')),
    before jsonb,
    after jsonb,
    reason text,
    db_user text NOT NULL DEFAULT session_user,
    os_user text,
    at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX audit_referencial_idx
    ON degux_console.audit (referencial_id, at);
COMMENT ON TABLE degux_console.audit IS
    'Moderation audit trail: one row per decision, with before/after images';

/* The statements. Kept in one file so they can be read, reviewed and
 * PREPAREd by tests in one place. */
#include "autoconfig.h"

#include "core/sql.h"

#include <stddef.h>

/* $1 statement_timeout in ms, $2 'on'/'off' for read-only, $3 search_path
 * or NULL to keep the server's. */
const char SQL_SESSION_SETUP[] =
    "SELECT set_config('statement_timeout', $1, false),"
    " set_config('default_transaction_read_only', $2, false),"
    " CASE WHEN $3::text IS NOT NULL"
    "  THEN set_config('search_path', $3, false) END";

const char SQL_SESSION_INFO[] =
    "SELECT current_user, current_setting('server_version'),"
    " (SELECT extversion FROM pg_extension WHERE extname = 'postgis'),"
    " (SELECT extversion FROM pg_extension"
    "   WHERE extname = 'pg_stat_statements'),"
    /* pg_settings, not current_setting(): without pg_read_all_settings
     * the setting is hidden (NULL: not known to be preloaded), where
     * current_setting() would fail the whole connection. */
    " coalesce('pg_stat_statements' = ANY (string_to_array(replace("
    "   (SELECT setting FROM pg_settings"
    "     WHERE name = 'shared_preload_libraries'), ' ', ''), ',')), false),"
    " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),"
    /* NULL when no schema of the search path exists (a wrong ?schema=). */
    " current_schema()";

/* $1 'on' (read-only) or 'off' (write). */
const char SQL_SET_WRITE[] =
    "SELECT set_config('default_transaction_read_only', $1, false)";

const char SQL_STATUS_TABLES[] =
    "SELECT t.name, c.reltuples::bigint, n.nspname"
    " FROM unnest(ARRAY['User','Account','Session','VerificationToken',"
    "  'AuditLog','ChatMessage','conservadores','referenciales','Property',"
    "  'Connection','PropertyListing']) WITH ORDINALITY AS t(name, ord)"
    " LEFT JOIN pg_class c ON c.relname = t.name AND c.relkind IN ('r','p')"
    "  AND pg_table_is_visible(c.oid)"
    " LEFT JOIN pg_namespace n ON n.oid = c.relnamespace"
    " ORDER BY t.ord";

const char SQL_COMPLETE_RELATIONS[] =
    "SELECT c.relname FROM pg_class c"
    " WHERE c.relkind IN ('r','p','v','m','f') AND pg_table_is_visible(c.oid)"
    " UNION SELECT nspname FROM pg_namespace"
    "  WHERE nspname !~ '^pg_(toast|temp)' ORDER BY 1";

const char SQL_COMPLETE_COLUMNS[] =
    "SELECT DISTINCT a.attname FROM pg_attribute a"
    " JOIN pg_class c ON c.oid = a.attrelid"
    " WHERE a.attnum > 0 AND NOT a.attisdropped"
    "  AND c.relkind IN ('r','p','v','m','f') AND pg_table_is_visible(c.oid)"
    " ORDER BY 1";

/* archive_mode from pg_settings: readable without extra privileges. */
const char SQL_BACKUPS_ARCHIVER[] =
    "SELECT (SELECT setting FROM pg_settings WHERE name = 'archive_mode'),"
    " archived_count, last_archived_wal, last_archived_time::text,"
    " failed_count, last_failed_wal, last_failed_time::text"
    " FROM pg_stat_archiver";

const char SQL_BACKUPS_REPLICATION[] =
    "SELECT coalesce(application_name, ''), coalesce(client_addr::text,"
    " 'local'), state, sync_state, replay_lag::text"
    " FROM pg_stat_replication ORDER BY application_name";

const char SQL_BACKUPS_DBSIZE[] =
    "SELECT pg_database_size(current_database()),"
    " pg_size_pretty(pg_database_size(current_database()))";

/* One statement for every table: query_to_xml runs each count(*), with the
 * names quoted by format(%I). */
const char SQL_BACKUPS_ROW_COUNTS[] =
    "SELECT n.nspname || '.' || c.relname,"
    " (xpath('/row/n/text()', query_to_xml(format("
    "   'SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname),"
    "   false, true, '')))[1]::text::bigint"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'r' AND n.nspname <> 'information_schema'"
    "  AND n.nspname !~ '^pg_'"
    " ORDER BY 1";

const char SQL_BACKUPS_CREATE_DB[] = "CREATE DATABASE ";
/* FORCE: a psql left connected by a cancelled restore must not keep the
 * scratch database alive. */
const char SQL_BACKUPS_DROP_DB[] = "DROP DATABASE IF EXISTS ";
const char SQL_BACKUPS_DROP_DB_END[] = " WITH (FORCE)";

/* Slow pane. Raw counters only: shares, ratios and the "now" differences
 * are computed in domain/slow.c so both modes derive them the same way.
 * $1 true: every database, else the current one. */
const char SQL_SLOW_STATEMENTS[] =
    "SELECT s.userid::bigint, s.dbid::bigint, s.queryid,"
    " coalesce(r.rolname, s.userid::text), coalesce(d.datname, s.dbid::text),"
    " s.calls, s.total_exec_time, s.stddev_exec_time, s.max_exec_time,"
    " s.rows, s.shared_blks_hit, s.shared_blks_read,"
    " s.temp_blks_read + s.temp_blks_written, s.query"
    " FROM pg_stat_statements s"
    " LEFT JOIN pg_roles r ON r.oid = s.userid"
    " LEFT JOIN pg_database d ON d.oid = s.dbid"
    " WHERE $1::boolean OR d.datname = current_database()";

/* Client sessions but this one; blockers as "pid,pid". Times in ms. */
const char SQL_SLOW_ACTIVITY[] =
    "SELECT a.pid, array_to_string(pg_blocking_pids(a.pid), ','),"
    " coalesce(a.usename, ''), coalesce(a.application_name, ''),"
    " coalesce(host(a.client_addr), 'local'), coalesce(a.state, ''),"
    " coalesce(a.wait_event_type || ':' || a.wait_event, ''),"
    " extract(epoch FROM clock_timestamp() - a.query_start) * 1000,"
    " extract(epoch FROM clock_timestamp() - a.state_change) * 1000,"
    " coalesce(a.query, '')"
    " FROM pg_stat_activity a"
    " WHERE a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'"
    " ORDER BY a.query_start NULLS LAST, a.pid";

/* What pghero alarms on, and whether the role may read every session's
 * statistics. */
const char SQL_SLOW_HEADER[] =
    "SELECT (SELECT count(*) FROM pg_stat_activity"
    "   WHERE backend_type = 'client backend'),"
    " current_setting('max_connections')::int,"
    " (SELECT count(*) FROM pg_stat_activity"
    "   WHERE state LIKE 'idle in transaction%'),"
    " (SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
    "   AND backend_type = 'client backend'"
    "   AND clock_timestamp() - query_start > interval '60 seconds'),"
    " (SELECT sum(heap_blks_hit)::float8 /"
    "   nullif(sum(heap_blks_hit) + sum(heap_blks_read), 0)"
    "   FROM pg_statio_user_tables),"
    " pg_has_role(current_user, 'pg_read_all_stats', 'USAGE'),"
    " current_user";

const char SQL_SLOW_RESET[] = "SELECT pg_stat_statements_reset()";

/* $1 pid. Never the console's own backend. */
const char SQL_SLOW_CANCEL[] =
    "SELECT pg_cancel_backend($1::int) WHERE $1::int <> pg_backend_pid()";
const char SQL_SLOW_TERMINATE[] =
    "SELECT pg_terminate_backend($1::int) WHERE $1::int <> pg_backend_pid()";

/* EXPLAIN of a statement from pg_stat_statements: these prefix its text,
 * its $n values are sent as parameters. ANALYZE runs only for SELECT and
 * only between SQL_SLOW_BEGIN_RO and SQL_SLOW_ROLLBACK. */
const char SQL_SLOW_EXPLAIN[] = "EXPLAIN (FORMAT TEXT) ";
const char SQL_SLOW_EXPLAIN_ANALYZE[] =
    "EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ";
const char SQL_SLOW_BEGIN_RO[] = "BEGIN READ ONLY";
const char SQL_SLOW_ROLLBACK[] = "ROLLBACK";

/* ---- schema pane: a constant number of catalog queries, whatever the
 * number of tables. Objects that belong to an extension are left out (they
 * are the extension's business), as are the system schemas. */
#define SCHEMA_USER_NS \
    "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') " \
    "AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE " \
    "'pg_toast_temp_%'"
/* NOT IN, not NOT EXISTS: one hashed pass over pg_depend instead of a
 * probe per row (50 ms on 4,000 relations). */
#define SCHEMA_NOT_EXT(cls, oid) \
    " AND " oid " NOT IN (SELECT e.objid FROM pg_depend e WHERE " \
    "e.classid = '" cls "'::regclass AND e.deptype = 'e')"

const char SQL_SCHEMA_NAMESPACES[] =
    "SELECT n.nspname, pg_get_userbyid(n.nspowner), "
    "obj_description(n.oid, 'pg_namespace') FROM pg_namespace n "
    "WHERE " SCHEMA_USER_NS SCHEMA_NOT_EXT("pg_namespace", "n.oid")
    " ORDER BY 1";

/* Sizes here are estimates from relpages (no file is opened, so 2,000
 * tables take milliseconds): SQL_SCHEMA_SIZES brings the exact ones. */
#define SCHEMA_PAGES(rel) "coalesce((" rel ")::bigint, 0) * " \
    "current_setting('block_size')::bigint"
const char SQL_SCHEMA_RELATIONS[] =
    "SELECT n.nspname, c.relname, c.relkind::text, "
    "greatest(c.reltuples, -1)::bigint, "
    SCHEMA_PAGES("c.relpages + coalesce(t.relpages, 0) + ix.pages") ", "
    SCHEMA_PAGES("c.relpages") ", " SCHEMA_PAGES("ix.pages") ", "
    SCHEMA_PAGES("t.relpages") ", "
    "EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid "
    "AND k.contype = 'p'), c.relrowsecurity, c.relforcerowsecurity, "
    "(SELECT count(*) FROM pg_policy po WHERE po.polrelid = c.oid), "
    "pg_stat_get_live_tuples(c.oid), pg_stat_get_dead_tuples(c.oid), "
    "pg_stat_get_numscans(c.oid), ix.scans, "
    "pg_stat_get_last_vacuum_time(c.oid), "
    "pg_stat_get_last_autovacuum_time(c.oid), "
    "pg_stat_get_last_analyze_time(c.oid), "
    "pg_stat_get_last_autoanalyze_time(c.oid), "
    "CASE WHEN c.relkind IN ('r', 'm') THEN age(c.relfrozenxid) ELSE 0 END, "
    "coalesce(c.reloptions::text[] && "
    "ARRAY['security_invoker=true', 'security_invoker=on', "
    "'security_invoker=1', 'security_invoker=yes'], false), "
    "c.relkind = 'v' AND EXISTS (SELECT 1 FROM pg_rewrite rw "
    "JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass "
    "AND d.objid = rw.oid JOIN pg_class t ON t.oid = d.refobjid "
    "WHERE rw.ev_class = c.oid AND t.oid <> c.oid AND t.relrowsecurity), "
    "ds.description, pg_get_userbyid(c.relowner), "
    "CASE WHEN c.relkind IN ('v', 'm') "
    "THEN pg_get_viewdef(c.oid, true) END, "
    "(SELECT 'SERVER ' || quote_ident(fs.srvname) || coalesce(' OPTIONS (' "
    "|| (SELECT string_agg(quote_ident(o.option_name) || ' ' || "
    "quote_literal(o.option_value), ', ') "
    "FROM pg_options_to_table(ft.ftoptions) o) || ')', '') "
    "FROM pg_foreign_table ft JOIN pg_foreign_server fs "
    "ON fs.oid = ft.ftserver WHERE ft.ftrelid = c.oid), "
    /* Column statistics exist: ANALYZE ran, whatever a restart did to the
     * counters behind the last-analyze times. */
    "c.relkind IN ('r', 'p', 'm') AND EXISTS (SELECT 1 FROM pg_stats st "
    "WHERE st.schemaname = n.nspname AND st.tablename = c.relname) "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "LEFT JOIN pg_class t ON t.oid = c.reltoastrelid "
    "LEFT JOIN pg_description ds ON ds.objoid = c.oid "
    "AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0 "
    "CROSS JOIN LATERAL (SELECT coalesce(sum(ic.relpages), 0) AS pages, "
    "sum(pg_stat_get_numscans(i.indexrelid)) AS scans "
    "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
    "WHERE i.indrelid = c.oid) ix "
    "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND " SCHEMA_USER_NS
    SCHEMA_NOT_EXT("pg_class", "c.oid")
    " ORDER BY 1, 2";

/* What the rows of each untyped geometry column hold: the one geometry
 * type and the one SRID of a bounded sample (NULL when they differ or the
 * column is empty), for the advisor's typed-column fix. The sample is
 * dynamic SQL, so query_to_xml runs it; PostGIS's functions are qualified
 * with the geometry type's schema, which need not be on the search_path. */
const char SQL_SCHEMA_GEOMETRY[] =
    "SELECT n.nspname, c.relname, a.attname, "
    "(xpath('/row/t/text()', x))[1]::text, "
    "(xpath('/row/s/text()', x))[1]::text "
    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_type ty ON ty.oid = a.atttypid "
    "JOIN pg_namespace tn ON tn.oid = ty.typnamespace "
    "CROSS JOIN LATERAL query_to_xml(format("
    "'SELECT CASE WHEN count(DISTINCT %1$I.geometrytype(g)) = 1 "
    "THEN min(%1$I.geometrytype(g)) END AS t, "
    "CASE WHEN count(DISTINCT %1$I.st_srid(g)) = 1 "
    "THEN min(%1$I.st_srid(g)) END AS s FROM (SELECT %2$I AS g "
    "FROM %3$I.%4$I WHERE %2$I IS NOT NULL LIMIT 1000) q', "
    "tn.nspname, a.attname, n.nspname, c.relname), false, true, '') x "
    "WHERE ty.typname = 'geometry' AND a.atttypmod = -1 AND a.attnum > 0 "
    "AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'm') "
    "AND has_table_privilege(c.oid, 'SELECT') AND " SCHEMA_USER_NS
    SCHEMA_NOT_EXT("pg_class", "c.oid")
    " ORDER BY 1, 2, 3";

/* Exact sizes (opens every file: sent last, after the tree is drawn):
 * table = main fork, toast = the TOAST table with its index. */
const char SQL_SCHEMA_SIZES[] =
    "SELECT n.nspname, c.relname, pg_total_relation_size(c.oid), "
    "pg_relation_size(c.oid), pg_indexes_size(c.oid), "
    "CASE WHEN c.reltoastrelid <> 0 "
    "THEN pg_total_relation_size(c.reltoastrelid) ELSE 0 END "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p', 'm') AND " SCHEMA_USER_NS
    SCHEMA_NOT_EXT("pg_class", "c.oid");

const char SQL_SCHEMA_COLUMNS[] =
    "SELECT n.nspname, c.relname, a.attname, "
    "format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, "
    "pg_get_expr(d.adbin, d.adrelid), ds.description, "
    "a.attidentity::text, a.attgenerated::text, a.attnum "
    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
    "LEFT JOIN pg_description ds ON ds.objoid = c.oid "
    "AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum "
    "WHERE a.attnum > 0 AND NOT a.attisdropped "
    "AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND " SCHEMA_USER_NS
    SCHEMA_NOT_EXT("pg_class", "c.oid")
    " ORDER BY 1, 2, a.attnum";

/* Key columns joined by U+001F (no identifier in practice holds it); an
 * expression column is empty. */
const char SQL_SCHEMA_INDEXES[] =
    "SELECT n.nspname, t.relname, ic.relname, am.amname, "
    "pg_get_indexdef(i.indexrelid), pg_relation_size(i.indexrelid), "
    "pg_stat_get_numscans(i.indexrelid), i.indisunique, i.indisprimary, "
    "i.indisvalid, "
    "EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
    "AND k.conrelid = i.indrelid), pg_get_expr(i.indpred, i.indrelid), "
    "(SELECT string_agg(coalesce(a.attname, ''), E'\\x1f' ORDER BY k.n) "
    "FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(att, n) "
    "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid "
    "AND a.attnum = k.att AND k.att <> 0 WHERE k.n <= i.indnkeyatts) "
    "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
    "JOIN pg_class t ON t.oid = i.indrelid "
    "JOIN pg_namespace n ON n.oid = t.relnamespace "
    "JOIN pg_am am ON am.oid = ic.relam "
    "WHERE " SCHEMA_USER_NS SCHEMA_NOT_EXT("pg_class", "t.oid")
    " ORDER BY 1, 2, 3";

const char SQL_SCHEMA_CONSTRAINTS[] =
    "SELECT n.nspname, t.relname, k.conname, k.contype::text, "
    "pg_get_constraintdef(k.oid, true), k.convalidated, "
    "(SELECT string_agg(a.attname, E'\\x1f' ORDER BY u.n) "
    "FROM unnest(k.conkey) WITH ORDINALITY u(att, n) "
    "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.att) "
    "FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid "
    "JOIN pg_namespace n ON n.oid = t.relnamespace "
    "WHERE " SCHEMA_USER_NS SCHEMA_NOT_EXT("pg_class", "t.oid")
    " ORDER BY 1, 2, k.contype = 'p' DESC, 3";

const char SQL_SCHEMA_TRIGGERS[] =
    "SELECT n.nspname, t.relname, g.tgname, pg_get_triggerdef(g.oid, true), "
    "g.tgenabled::text "
    "FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid "
    "JOIN pg_namespace n ON n.oid = t.relnamespace "
    "WHERE NOT g.tgisinternal AND " SCHEMA_USER_NS
    " ORDER BY 1, 2, 3";

const char SQL_SCHEMA_FUNCTIONS[] =
    "SELECT n.nspname, p.proname, p.oid::regprocedure::text, "
    "pg_get_function_arguments(p.oid), "
    "coalesce(pg_get_function_result(p.oid), ''), l.lanname, "
    "p.prokind::text, p.prosecdef, "
    "coalesce(EXISTS (SELECT 1 FROM unnest(p.proconfig) cfg "
    "WHERE cfg LIKE 'search\\_path=%'), false) "
    "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
    "JOIN pg_language l ON l.oid = p.prolang "
    "WHERE " SCHEMA_USER_NS SCHEMA_NOT_EXT("pg_proc", "p.oid")
    " ORDER BY 1, 2, 3";

const char SQL_SCHEMA_ENUMS[] =
    "SELECT n.nspname, t.typname, "
    "string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) "
    "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
    "JOIN pg_enum e ON e.enumtypid = t.oid "
    "WHERE " SCHEMA_USER_NS SCHEMA_NOT_EXT("pg_type", "t.oid")
    " GROUP BY 1, 2 ORDER BY 1, 2";

const char SQL_SCHEMA_EXTENSIONS[] =
    "SELECT a.name, x.extversion, a.default_version, n.nspname, a.comment "
    "FROM pg_available_extensions a "
    "LEFT JOIN pg_extension x ON x.extname = a.name "
    "LEFT JOIN pg_namespace n ON n.oid = x.extnamespace "
    "ORDER BY x.extversion IS NULL, 1";

/* The integer column a sequence feeds and the end of its type's range. */
const char SQL_SCHEMA_SEQUENCES[] =
    "SELECT s.schemaname, s.sequencename, s.last_value, s.max_value, "
    "tn.nspname, t.relname, a.attname, "
    "CASE a.atttypid WHEN 'int2'::regtype THEN 32767 "
    "WHEN 'int4'::regtype THEN 2147483647 ELSE 0 END, s.data_type::text "
    "FROM pg_sequences s "
    "JOIN pg_namespace sn ON sn.nspname = s.schemaname "
    "JOIN pg_class sc ON sc.relnamespace = sn.oid "
    "AND sc.relname = s.sequencename "
    "LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass "
    "AND d.objid = sc.oid AND d.refclassid = 'pg_class'::regclass "
    "AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0 "
    "LEFT JOIN pg_class t ON t.oid = d.refobjid "
    "LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace "
    "LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid "
    "AND a.attnum = d.refobjsubid "
    "WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema') "
    "ORDER BY 1, 2";

/* Prisma's migrations table is looked up on the search_path: the schema
 * Prisma manages (its ?schema= becomes the search_path). */
const char SQL_SCHEMA_DATABASE[] =
    "SELECT age(d.datfrozenxid), "
    "to_regclass('_prisma_migrations') IS NOT NULL, "
    "to_regclass('degux_console.migrations') IS NOT NULL "
    "FROM pg_database d WHERE d.datname = current_database()";

/* Sent only when SQL_SCHEMA_DATABASE found the table. */
#define PRISMA_MIGRATIONS \
    "SELECT migration_name::text, started_at, finished_at, rolled_back_at, " \
    "applied_steps_count, logs, CASE WHEN rolled_back_at IS NOT NULL " \
    "THEN 'rolled back' WHEN finished_at IS NULL THEN 'failed' " \
    "ELSE 'applied' END FROM _prisma_migrations "
/* The console's own (data/migrations), in the same columns. */
#define CONSOLE_MIGRATIONS \
    "SELECT 'degux-console ' || lpad(version::text, 4, '0') || '_' || name, " \
    "applied_at, applied_at, NULL::timestamptz, 1, NULL::text, 'applied' " \
    "FROM degux_console.migrations "
#define MIGRATIONS_ORDER "ORDER BY 2 DESC, 1"

const char SQL_SCHEMA_MIGRATIONS[] = PRISMA_MIGRATIONS MIGRATIONS_ORDER;
const char SQL_SCHEMA_CONSOLE_MIGRATIONS[] =
    CONSOLE_MIGRATIONS MIGRATIONS_ORDER;
const char SQL_SCHEMA_ALL_MIGRATIONS[] =
    PRISMA_MIGRATIONS "UNION ALL " CONSOLE_MIGRATIONS MIGRATIONS_ORDER;

/* ---- RLS pane -------------------------------------------------------- */

/* Tables outside the system schemas that no extension owns (PostGIS's
 * spatial_ref_sys is its business); pk: a one-column primary key. */
const char SQL_RLS_TABLES[] =
    "SELECT n.nspname, c.relname, pg_get_userbyid(c.relowner), "
    "c.relrowsecurity, c.relforcerowsecurity, "
    "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid), "
    "c.oid::text, "
    "(SELECT a.attname FROM pg_index i JOIN pg_attribute a "
    "ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
    "WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1) "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p') "
    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname !~ '^pg_' "
    "AND NOT EXISTS (SELECT 1 FROM pg_depend d "
    "WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
    "AND d.deptype = 'e') "
    "ORDER BY 1, 2";

/* Roles are joined with the unit separator (0x1f), which no sane role
 * name holds; 0 in polroles is PUBLIC. */
const char SQL_RLS_POLICIES[] =
    "SELECT n.nspname, c.relname, pol.polname, pol.polpermissive, "
    "pol.polcmd::text, "
    "coalesce((SELECT string_agg(CASE WHEN r = 0 THEN 'public' "
    "ELSE pg_get_userbyid(r) END, E'\\x1f' ORDER BY r) "
    "FROM unnest(pol.polroles) r), ''), "
    "pg_get_expr(pol.polqual, pol.polrelid), "
    "pg_get_expr(pol.polwithcheck, pol.polrelid) "
    "FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "ORDER BY 1, 2, 3";

/* Memberships count only where the member inherits (rolinherit). */
const char SQL_RLS_ROLES[] =
    "SELECT r.rolname, r.rolsuper, r.rolbypassrls, r.rolcanlogin, "
    "coalesce((SELECT string_agg(g.rolname, E'\\x1f' ORDER BY g.rolname) "
    "FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
    "WHERE m.member = r.oid AND r.rolinherit), '') "
    "FROM pg_roles r WHERE r.rolname !~ '^pg_' ORDER BY 1";

const char SQL_RLS_AUTH[] =
    "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'auth'), "
    "EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n "
    "ON n.oid = p.pronamespace WHERE n.nspname = 'auth' "
    "AND p.proname = 'uid' AND p.pronargs = 0), current_user";

const char SQL_RLS_BEGIN_RO[] = "BEGIN READ ONLY";
const char SQL_RLS_ROLLBACK[] = "ROLLBACK";
const char SQL_RLS_BEGIN[] = "BEGIN";
const char SQL_RLS_COMMIT[] = "COMMIT";
const char SQL_RLS_SET_ROLE[] = "SET LOCAL ROLE ";
/* NULL $1 resets it: auth.uid() is then NULL, as for an anonymous user. */
const char SQL_RLS_SET_SUB[] =
    "SELECT set_config('request.jwt.claim.sub', $1, true)";
/* $1: table oids as an array literal; checked as the simulated role. */
const char SQL_RLS_PRIVILEGES[] =
    "SELECT c.oid::text, has_table_privilege(c.oid, 'SELECT') "
    "FROM pg_class c WHERE c.oid = ANY ($1::oid[])";
const char SQL_RLS_COUNT_SELECT[] = "SELECT ";
const char SQL_RLS_COUNT_FROM[] = ", count(*) FROM ";
const char SQL_RLS_COUNT_JOIN[] = " UNION ALL ";
const char SQL_RLS_SAMPLE_SELECT[] = "SELECT * FROM ";
const char SQL_RLS_SAMPLE_LIMIT[] = " LIMIT 3";
const char SQL_RLS_CHECK_PRIV[] =
    "SELECT has_table_privilege($2::oid, 'UPDATE'), EXISTS (SELECT 1 FROM ";
const char SQL_RLS_CHECK_WHERE[] = " WHERE ";
const char SQL_RLS_CHECK_ROW[] = "::text = $1), EXISTS (SELECT 1 FROM ";
const char SQL_RLS_CHECK_AND[] = "::text = $1 AND (";
const char SQL_RLS_CHECK_END[] = "))";

const char SQL_MIGRATE_TABLE_EXISTS[] =
    "SELECT to_regclass('degux_console.migrations') IS NOT NULL";

const char SQL_MIGRATE_REVIEW_EXISTS[] =
    "SELECT to_regclass('degux_console.review') IS NOT NULL";

/* One lock for every console migrating this database (the key is an
 * arbitrary constant of this program). */
const char SQL_MIGRATE_LOCK[] = "SELECT pg_advisory_xact_lock(73051170)";

/* The demo gets the console's schema once, right after its first load:
 * a marker in the demo's own schema says it was done (so a later
 * `migrate down` sticks), taken under a session lock on the same key. */
const char SQL_MIGRATE_DEMO_LOCK[] = "SELECT pg_advisory_lock(73051170)";
const char SQL_MIGRATE_DEMO_DUE[] =
    "SELECT to_regclass('degux_demo.loaded') IS NOT NULL"
    " AND to_regclass('degux_demo.console_migrated') IS NULL";
/* DDL: cannot be PREPAREd, so not in sql_all. */
const char SQL_MIGRATE_DEMO_MARK[] =
    "CREATE TABLE IF NOT EXISTS degux_demo.console_migrated"
    " (migrated_at timestamptz NOT NULL DEFAULT now());"
    " INSERT INTO degux_demo.console_migrated DEFAULT VALUES";

const char SQL_MIGRATE_APPLIED[] =
    "SELECT version, name,"
    " to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS TZ')"
    " FROM degux_console.migrations ORDER BY version";

const char SQL_MIGRATE_IS_APPLIED[] =
    "SELECT 1 FROM degux_console.migrations WHERE version = $1::int";

const char SQL_MIGRATE_RECORD[] =
    "INSERT INTO degux_console.migrations (version, name)"
    " VALUES ($1::int, $2)";

const char SQL_MIGRATE_FORGET[] =
    "DELETE FROM degux_console.migrations WHERE version = $1::int";

/* The batch scan's session: the duplicate count's grouping fits in memory
 * instead of spilling to disk (1.3 s instead of 2.5 s at 1,000,000 rows),
 * and a one-off scan gains nothing from compiling its plan. */
const char SQL_VALIDATE_SESSION[] =
    "SELECT set_config('work_mem', '64MB', false),"
    " set_config('jit', 'off', false)";

const char SQL_VALIDATE_TODAY[] =
    "SELECT to_char(current_date, 'YYYY-MM-DD')";

const char SQL_VALIDATE_CBRS[] =
    "SELECT nombre FROM conservadores WHERE nombre IS NOT NULL";

/* Quartiles per (comuna, kind of property) and per kind in the whole
 * country (comuna NULL, last column true): the kind is the predio's first
 * word, as validate_property_kind() reads it. */
const char SQL_VALIDATE_PRICES[] =
    "SELECT comuna,"
    " percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP"
    "  (ORDER BY monto::float8 / superficie),"
    " count(*), kind, grouping(comuna) = 1"
    " FROM (SELECT comuna, monto, superficie,"
    "  coalesce(lower(substring(predio FROM '[A-Za-z]+')), '') AS kind"
    "  FROM referenciales WHERE monto > 0 AND superficie > 0) r"
    " GROUP BY GROUPING SETS ((comuna, kind), (kind))";

/* geom may be an untyped geometry column: ST_X of anything but a point
 * would fail the whole scan, so other shapes read as no geom. The
 * duplicate count covers the whole table whatever the caller filters; it
 * is grouped on the four key columns alone and joined back, which keeps
 * the wide rows out of any sort (a window over the rows themselves sorts
 * all of them to disk: 3 s more at 1,000,000 rows). */
const char SQL_VALIDATE_ROWS[] =
    "SELECT r.id, r.lat, r.lng, r.fojas, r.numero, r.anio, r.cbr,"
    " r.comprador, r.vendedor, r.predio, r.comuna, r.rol,"
    " r.fechaescritura, r.superficie, r.monto, r.\"userId\","
    " CASE WHEN GeometryType(r.geom) = 'POINT' THEN ST_X(r.geom) END,"
    " CASE WHEN GeometryType(r.geom) = 'POINT' THEN ST_Y(r.geom) END,"
    " ST_SRID(r.geom), coalesce(d.n, 1)"
    " FROM referenciales r"
    " LEFT JOIN (SELECT cbr, fojas, numero, anio, count(*) AS n"
    "  FROM referenciales GROUP BY cbr, fojas, numero, anio"
    "  HAVING count(*) > 1) d"
    " ON (d.cbr, d.fojas, d.numero, d.anio)"
    "  = (r.cbr, r.fojas, r.numero, r.anio)";

const char SQL_MODERATION_TOTAL[] = "SELECT count(*) FROM referenciales";

/* Pending: never reviewed, marked pending, or changed since its review
 * (the review holds the "updatedAt" it saw). */
const char SQL_MODERATION_STATUS[] =
    "SELECT s.status, count(*), count(*) FILTER (WHERE s.never),"
    " count(*) FILTER (WHERE s.changed)"
    " FROM (SELECT CASE WHEN v.referencial_id IS NULL"
    "   OR v.row_updated_at IS DISTINCT FROM r.\"updatedAt\""
    "   THEN 'pending' ELSE v.status END AS status,"
    "  v.referencial_id IS NULL AS never,"
    "  v.referencial_id IS NOT NULL"
    "   AND v.row_updated_at IS DISTINCT FROM r.\"updatedAt\" AS changed"
    "  FROM referenciales r"
    "  LEFT JOIN degux_console.review v ON v.referencial_id = r.id) s"
    " GROUP BY s.status";

/* The moderation pane's queue: never reviewed, marked pending, or changed
 * since the review, oldest first; $1 true keeps scraped rows (no user)
 * only, $2 one comuna as stored (NULL: all), $3 one creator by "User" id,
 * e-mail or name (ILIKE: % works; NULL: all); $4, $5 the ("createdAt", id)
 * of the last card already loaded (NULL: from the start), $6 how many.
 * The page is a keyset, so a later page costs what the first does. The
 * rows are chosen first and only theirs get the other columns; their
 * duplicates are counted in one pass over the table (a count per row would
 * read a whole comuna 200 times: 2 s at 1,000,000 rows). */
/* Every spelling of comuna in the table: the moderation filter keeps
 * those that name the comuna asked for (validate_comuna_selects). */
const char SQL_MODERATION_COMUNAS[] =
    "SELECT DISTINCT comuna FROM referenciales";

const char SQL_MODERATION_QUEUE[] =
    "WITH k AS (SELECT q.id, q.\"createdAt\" FROM referenciales q"
    "  LEFT JOIN degux_console.review w ON w.referencial_id = q.id"
    "  WHERE (w.referencial_id IS NULL OR w.status = 'pending'"
    "   OR w.row_updated_at IS DISTINCT FROM q.\"updatedAt\")"
    "  AND ($1::bool IS NOT TRUE OR q.\"userId\" IS NULL)"
    "  AND ($2::text[] IS NULL OR q.comuna = ANY($2::text[]))"
    "  AND ($3::text IS NULL OR q.\"userId\" IN (SELECT u.id FROM \"User\" u"
    "   WHERE u.id = $3 OR lower(u.email) = lower($3) OR u.name ILIKE $3))"
    "  AND ($4::text IS NULL"
    "   OR (q.\"createdAt\", q.id) > ($4::timestamp(3), $5::text))"
    "  ORDER BY q.\"createdAt\", q.id LIMIT $6::int),"
    " dup AS (SELECT d.cbr, d.fojas, d.numero, d.anio, count(*) AS n"
    "  FROM referenciales d WHERE (d.cbr, d.fojas, d.numero, d.anio) IN"
    "   (SELECT p.cbr, p.fojas, p.numero, p.anio FROM k"
    "    JOIN referenciales p ON p.id = k.id)"
    "  GROUP BY d.cbr, d.fojas, d.numero, d.anio)"
    " SELECT r.id, r.lat, r.lng, r.fojas, r.numero, r.anio, r.cbr,"
    " r.comprador, r.vendedor, r.predio, r.comuna, r.rol,"
    " r.fechaescritura, r.superficie, r.monto, r.\"userId\","
    " CASE WHEN GeometryType(r.geom) = 'POINT' THEN ST_X(r.geom) END,"
    " CASE WHEN GeometryType(r.geom) = 'POINT' THEN ST_Y(r.geom) END,"
    " ST_SRID(r.geom), coalesce(dup.n, 1),"
    " r.\"updatedAt\"::text, r.xmin::text, v.status,"
    " coalesce(v.reviewed_at::text, ''), c.nombre,"
    " u.email, k.\"createdAt\"::text"
    " FROM k JOIN referenciales r ON r.id = k.id"
    " LEFT JOIN dup ON (dup.cbr, dup.fojas, dup.numero, dup.anio)"
    "  = (r.cbr, r.fojas, r.numero, r.anio)"
    " LEFT JOIN degux_console.review v ON v.referencial_id = r.id"
    " LEFT JOIN conservadores c ON c.id = r.\"conservadorId\""
    " LEFT JOIN \"User\" u ON u.id = r.\"userId\""
    " ORDER BY k.\"createdAt\", k.id";

/* Every moderation write below ends with its audit entry in the CTE aud
 * and returns that entry's id (no row: nothing was written). The _AL form
 * also writes a Prisma "AuditLog" row for the moderator "User".id given as
 * its last parameter, in the same statement and so the same transaction
 * (only when the table exists: the pane checks first). */
#define MOD_AUDIT_RETURNING "RETURNING id, referencial_id, action, reason"
#define MOD_RETURN " SELECT id FROM aud"
#define MOD_AUDITLOG(n)                                                      \
    ", al AS (INSERT INTO \"AuditLog\""                                      \
    "  (id, \"userId\", action, metadata, \"createdAt\")"                    \
    " SELECT gen_random_uuid()::text, $" #n ", 'moderation.' || aud.action," \
    "  jsonb_build_object('referencialId', aud.referencial_id,"              \
    "   'auditId', aud.id, 'reason', aud.reason,"                            \
    "   'source', 'degux-console'),"                                         \
    "  (now() AT TIME ZONE 'UTC')::timestamp(3) FROM aud)" MOD_RETURN

/* A decision, in one statement and so one transaction: only if the row
 * still has the "updatedAt" and xmin shown ($2, $3) and its review is the
 * one shown ($8, '' for none) is the review state written ($4 status, $5
 * reason) with the audit entry ($6 action, $7 OS user); else nothing is
 * written and no row comes back. */
#define MOD_DECIDE                                                           \
    "WITH cur AS ("                                                          \
    "  SELECT r.id, r.\"updatedAt\" AS upd, r.xmin::text AS x,"              \
    "   to_jsonb(r) AS img"                                                  \
    "  FROM referenciales r WHERE r.id = $1"                                 \
    "  AND r.\"updatedAt\"::text = $2 AND r.xmin::text = $3 FOR UPDATE),"    \
    " old AS (SELECT to_jsonb(v) AS img FROM degux_console.review v"         \
    "  WHERE v.referencial_id = $1),"                                        \
    " rev AS ("                                                              \
    "  INSERT INTO degux_console.review AS v"                                \
    "   (referencial_id, status, reason, row_updated_at, row_xmin)"          \
    "  SELECT id, $4, nullif($5, ''), upd, x FROM cur"                       \
    "  ON CONFLICT (referencial_id) DO UPDATE SET status = excluded.status," \
    "   reason = excluded.reason, reviewer = session_user,"                  \
    "   reviewed_at = clock_timestamp(),"                                    \
    "   row_updated_at = excluded.row_updated_at,"                           \
    "   row_xmin = excluded.row_xmin"                                        \
    "  WHERE v.reviewed_at::text = $8"                                       \
    "  RETURNING to_jsonb(v) AS img),"                                       \
    " aud AS (INSERT INTO degux_console.audit"                               \
    "  (referencial_id, action, before, after, reason, os_user)"             \
    "  SELECT cur.id, $6,"                                                   \
    "  jsonb_build_object('row', cur.img, 'review', (SELECT img FROM old))," \
    "  jsonb_build_object('row', cur.img, 'review', rev.img),"               \
    "  nullif($5, ''), nullif($7, '')"                                       \
    "  FROM cur, rev " MOD_AUDIT_RETURNING ")"
const char SQL_MODERATION_DECIDE[] = MOD_DECIDE MOD_RETURN;
const char SQL_MODERATION_DECIDE_AL[] = MOD_DECIDE MOD_AUDITLOG(9);

/* A fix of the row itself ($4: swap lat and lng, comuna $5, or geom from
 * lat/lng), under the same check as a decision, setting "updatedAt" (UTC,
 * as Prisma writes it) and writing the audit entry with both images. */
#define MOD_FIX                                                              \
    "WITH cur AS ("                                                          \
    "  SELECT r.id, to_jsonb(r) AS img FROM referenciales r"                 \
    "  WHERE r.id = $1 AND r.\"updatedAt\"::text = $2"                       \
    "  AND r.xmin::text = $3 FOR UPDATE),"                                   \
    " upd AS ("                                                              \
    "  UPDATE referenciales r SET"                                           \
    "   lat = CASE WHEN $4 = 'swap' THEN r.lng ELSE r.lat END,"              \
    "   lng = CASE WHEN $4 = 'swap' THEN r.lat ELSE r.lng END,"              \
    "   geom = CASE WHEN $4 = 'swap'"                                        \
    "     THEN ST_SetSRID(ST_MakePoint(r.lat, r.lng), 4326)"                 \
    "    WHEN $4 = 'geom' THEN ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326)" \
    "    ELSE r.geom END,"                                                   \
    "   comuna = CASE WHEN $4 = 'comuna' THEN $5 ELSE r.comuna END,"         \
    "   \"updatedAt\" = (now() AT TIME ZONE 'UTC')::timestamp(3)"            \
    "  FROM cur WHERE r.id = cur.id"                                         \
    "  RETURNING r.id, to_jsonb(r) AS img),"                                 \
    " aud AS (INSERT INTO degux_console.audit"                               \
    "  (referencial_id, action, before, after, reason, os_user)"             \
    "  SELECT upd.id, 'edit', jsonb_build_object('row', cur.img),"           \
    "  jsonb_build_object('row', upd.img), $4, nullif($6, '')"               \
    "  FROM cur JOIN upd ON upd.id = cur.id " MOD_AUDIT_RETURNING ")"
const char SQL_MODERATION_FIX[] = MOD_FIX MOD_RETURN;
const char SQL_MODERATION_FIX_AL[] = MOD_FIX MOD_AUDITLOG(7);

/* The columns the pane may edit, and how they are put back from an image
 * (b) by an undo. */
#define MOD_EDITABLE                                                         \
    "'rol', 'fojas', 'numero', 'anio', 'cbr', 'comprador', 'vendedor',"      \
    " 'predio', 'comuna', 'lat', 'lng', 'fechaescritura', 'superficie',"     \
    " 'monto'"
#define MOD_SET_FROM_B                                                       \
    " rol = b.rol, fojas = b.fojas, numero = b.numero, anio = b.anio,"       \
    " cbr = b.cbr, comprador = b.comprador, vendedor = b.vendedor,"          \
    " predio = b.predio, comuna = b.comuna, lat = b.lat, lng = b.lng,"       \
    " fechaescritura = b.fechaescritura, superficie = b.superficie,"         \
    " monto = b.monto,"

/* An edit of one field ($4 = $5; $6 = $7 a second one, for lat and lng
 * together, or NULL), values as text (NULL: SQL NULL) converted by the
 * column's own type: a value it does not accept fails the whole
 * statement. Same check and audit as a fix; geom follows a new lat/lng.
 * $8 the OS user. */
#define MOD_EDIT                                                             \
    "WITH cur AS ("                                                          \
    "  SELECT r.id, to_jsonb(r) AS img FROM referenciales r"                 \
    "  WHERE r.id = $1 AND r.\"updatedAt\"::text = $2"                       \
    "  AND r.xmin::text = $3 FOR UPDATE),"                                   \
    " chg AS (SELECT jsonb_build_object($4::text, $5::text)"                 \
    "   || CASE WHEN $6::text IS NULL THEN '{}'::jsonb"                      \
    "      ELSE jsonb_build_object($6::text, $7::text) END AS j"             \
    "  WHERE $4 IN (" MOD_EDITABLE ")"                                       \
    "  AND ($6 IS NULL OR $6 IN (" MOD_EDITABLE "))),"                       \
    " b AS (SELECT n.* FROM cur, chg,"                                       \
    "  jsonb_populate_record(NULL::referenciales,"                           \
    "   (cur.img - 'geom') || chg.j) n),"                                    \
    " upd AS (UPDATE referenciales r SET" MOD_SET_FROM_B                     \
    "   geom = CASE WHEN (b.lat, b.lng) IS DISTINCT FROM (r.lat, r.lng)"     \
    "    THEN ST_SetSRID(ST_MakePoint(b.lng, b.lat), 4326) ELSE r.geom END," \
    "   \"updatedAt\" = (now() AT TIME ZONE 'UTC')::timestamp(3)"            \
    "  FROM b WHERE r.id = b.id"                                             \
    "  RETURNING r.id, to_jsonb(r) AS img),"                                 \
    " aud AS (INSERT INTO degux_console.audit"                               \
    "  (referencial_id, action, before, after, reason, os_user)"             \
    "  SELECT upd.id, 'edit', jsonb_build_object('row', cur.img),"           \
    "  jsonb_build_object('row', upd.img),"                                  \
    "  concat_ws(',', $4::text, $6::text), nullif($8, '')"                   \
    "  FROM cur JOIN upd ON upd.id = cur.id " MOD_AUDIT_RETURNING ")"
const char SQL_MODERATION_EDIT[] = MOD_EDIT MOD_RETURN;
const char SQL_MODERATION_EDIT_AL[] = MOD_EDIT MOD_AUDITLOG(9);

/* A deletion under the same check ($1 id, $2 "updatedAt", $3 xmin, $4 the
 * OS user): the row and its review go, and the audit entry keeps both
 * images (geom as EWKB, exact) so that an undo puts them back. */
#define MOD_DELETE                                                           \
    "WITH cur AS ("                                                          \
    "  SELECT r.id FROM referenciales r"                                     \
    "  WHERE r.id = $1 AND r.\"updatedAt\"::text = $2"                       \
    "  AND r.xmin::text = $3 FOR UPDATE),"                                   \
    " del AS (DELETE FROM referenciales r USING cur WHERE r.id = cur.id"     \
    "  RETURNING r.id,"                                                      \
    "   to_jsonb(r) || jsonb_build_object('geom', r.geom::text) AS img),"    \
    " drev AS (DELETE FROM degux_console.review v USING del"                 \
    "  WHERE v.referencial_id = del.id RETURNING to_jsonb(v) AS img),"       \
    " aud AS (INSERT INTO degux_console.audit"                               \
    "  (referencial_id, action, before, after, reason, os_user)"             \
    "  SELECT del.id, 'delete',"                                             \
    "  jsonb_build_object('row', del.img, 'review', (SELECT img FROM drev)),"\
    "  NULL, NULL, nullif($4, '')"                                           \
    "  FROM del " MOD_AUDIT_RETURNING ")"
const char SQL_MODERATION_DELETE[] = MOD_DELETE MOD_RETURN;
const char SQL_MODERATION_DELETE_AL[] = MOD_DELETE MOD_AUDITLOG(5);

/* Is there a Prisma "AuditLog" table (and so "User", its foreign key's),
 * and is $1 one of its users? */
const char SQL_MODERATION_AUDITLOG[] =
    "SELECT to_regclass('\"AuditLog\"') IS NOT NULL";
const char SQL_MODERATION_MODERATOR[] =
    "SELECT count(*) FROM \"User\" WHERE id = $1";

/* Search pane: a referencial's registry office and creating user, and a
 * listing owner's name. $1: the row's id / the user's id. */
const char SQL_SEARCH_REF_DETAIL[] =
    "SELECT c.nombre, c.comuna, u.email, u.name FROM referenciales r "
    "LEFT JOIN conservadores c ON c.id = r.\"conservadorId\" "
    "LEFT JOIN \"User\" u ON u.id = r.\"userId\" WHERE r.id = $1";
const char SQL_SEARCH_USER[] =
    "SELECT NULL::text, NULL::text, email, name FROM \"User\" WHERE id = $1";

/* Search pane: the comunas the data spells, for the comuna field's
 * completion: referenciales' and Property's distinct values, each by a
 * walk over its comuna index (one probe a value, not a scan). */
const char SQL_SEARCH_COMUNAS[] =
    "WITH RECURSIVE r AS ("
    " SELECT min(comuna) AS v FROM referenciales"
    " UNION ALL SELECT (SELECT min(comuna) FROM referenciales"
    " WHERE comuna > r.v) FROM r WHERE r.v IS NOT NULL),"
    " p AS (SELECT min(commune) AS v FROM \"Property\""
    " UNION ALL SELECT (SELECT min(commune) FROM \"Property\""
    " WHERE commune > p.v) FROM p WHERE p.v IS NOT NULL)"
    " SELECT v FROM r WHERE v IS NOT NULL"
    " UNION SELECT v FROM p WHERE v IS NOT NULL ORDER BY 1";

/* A search page runs without parallel workers: a page is a few hundred rows
 * off an index, and each worker costs more to start (it loads PostGIS
 * afresh) than it could save. The search command's own session takes the
 * SET; the pane shares its session, so it saves the setting, pages, and
 * puts the saved value back. */
const char SQL_SEARCH_SERIAL[] = "SET max_parallel_workers_per_gather = 0";
const char SQL_SEARCH_SERIAL_SAVE[] =
    "WITH was AS MATERIALIZED (SELECT set_config("
    "'degux_console.search_parallel', "
    "current_setting('max_parallel_workers_per_gather'), false)) "
    "SELECT set_config('max_parallel_workers_per_gather', '0', false) "
    "FROM was";
const char SQL_SEARCH_SERIAL_RESTORE[] =
    "SELECT set_config('max_parallel_workers_per_gather', "
    "coalesce(nullif(current_setting('degux_console.search_parallel', true), "
    "''), current_setting('max_parallel_workers_per_gather')), false), "
    "set_config('degux_console.search_parallel', '', false)";

/* Undo of the audit entry $1 (a decision, a fix, an edit or a deletion of
 * this session), only while the row, and for a decision its review, are
 * exactly what that entry left (its after-image), or for a deletion while
 * no row has that id: the review goes back to its before-image (or away),
 * an edit puts the row's editable columns back, a deleted row and its
 * review are inserted again as they were. Writes an "undo" audit entry
 * ($2 the OS user); no row comes back when something changed since. */
#define MOD_UNDO                                                             \
    "WITH a AS (SELECT id, referencial_id, action, before, after"            \
    "  FROM degux_console.audit WHERE id = $1::bigint"                       \
    "  AND action IN ('approve', 'reject', 'flag', 'edit', 'delete')),"      \
    " cur AS (SELECT r.id FROM referenciales r JOIN a"                       \
    "  ON r.id = a.referencial_id WHERE a.action <> 'delete'"                \
    "  AND to_jsonb(r) = a.after->'row' FOR UPDATE OF r),"                   \
    " ok AS (SELECT a.* FROM a"                                              \
    "  WHERE (a.action = 'delete' AND NOT EXISTS (SELECT 1"                  \
    "    FROM referenciales x WHERE x.id = a.referencial_id))"               \
    "  OR (EXISTS (SELECT 1 FROM cur WHERE cur.id = a.referencial_id)"       \
    "   AND (a.action = 'edit' OR EXISTS (SELECT 1"                          \
    "    FROM degux_console.review v"                                        \
    "    WHERE v.referencial_id = a.referencial_id"                          \
    "    AND to_jsonb(v) = a.after->'review')))),"                           \
    " del AS (DELETE FROM degux_console.review v USING ok"                   \
    "  WHERE ok.action NOT IN ('edit', 'delete')"                            \
    "  AND ok.before->'review' = 'null'::jsonb"                              \
    "  AND v.referencial_id = ok.referencial_id RETURNING 1),"               \
    " upr AS (UPDATE degux_console.review v SET status = b.status,"          \
    "   reason = b.reason, reviewer = b.reviewer,"                           \
    "   reviewed_at = b.reviewed_at, row_updated_at = b.row_updated_at,"    \
    "   row_xmin = b.row_xmin"                                               \
    "  FROM ok, jsonb_populate_record(NULL::degux_console.review,"           \
    "   ok.before->'review') b"                                              \
    "  WHERE ok.action NOT IN ('edit', 'delete')"                            \
    "  AND ok.before->'review' <> 'null'::jsonb"                             \
    "  AND v.referencial_id = ok.referencial_id RETURNING 1),"               \
    " fix AS (UPDATE referenciales r SET" MOD_SET_FROM_B " geom = b.geom,"   \
    "   \"updatedAt\" = (now() AT TIME ZONE 'UTC')::timestamp(3)"            \
    "  FROM ok, jsonb_populate_record(NULL::referenciales,"                  \
    "   ok.before->'row') b"                                                 \
    "  WHERE ok.action = 'edit' AND r.id = ok.referencial_id"                \
    "  RETURNING to_jsonb(r) AS img),"                                       \
    " ins AS (INSERT INTO referenciales AS r SELECT b.* FROM ok,"            \
    "   jsonb_populate_record(NULL::referenciales, ok.before->'row') b"      \
    "  WHERE ok.action = 'delete' RETURNING to_jsonb(r) AS img),"            \
    " insr AS (INSERT INTO degux_console.review AS v SELECT b.* FROM ok,"    \
    "   jsonb_populate_record(NULL::degux_console.review,"                   \
    "    ok.before->'review') b"                                             \
    "  WHERE ok.action = 'delete' AND ok.before->'review' <> 'null'::jsonb"  \
    "  ON CONFLICT (referencial_id) DO UPDATE SET status = excluded.status," \
    "   reason = excluded.reason, reviewer = excluded.reviewer,"             \
    "   reviewed_at = excluded.reviewed_at,"                                 \
    "   row_updated_at = excluded.row_updated_at,"                           \
    "   row_xmin = excluded.row_xmin RETURNING 1),"                          \
    " aud AS (INSERT INTO degux_console.audit"                               \
    "  (referencial_id, action, before, after, reason, os_user)"             \
    "  SELECT ok.referencial_id, 'undo', ok.after,"                          \
    "  CASE WHEN ok.action = 'edit'"                                         \
    "   THEN jsonb_build_object('row', (SELECT img FROM fix))"               \
    "   WHEN ok.action = 'delete'"                                           \
    "   THEN jsonb_build_object('row', (SELECT img FROM ins),"               \
    "    'review', ok.before->'review')"                                     \
    "   ELSE ok.before END, ok.action, nullif($2, '')"                       \
    "  FROM ok " MOD_AUDIT_RETURNING ")"
const char SQL_MODERATION_UNDO[] = MOD_UNDO MOD_RETURN;
const char SQL_MODERATION_UNDO_AL[] = MOD_UNDO MOD_AUDITLOG(3);

const struct sql_stmt sql_all[] = {
    { "session_setup", SQL_SESSION_SETUP, 0, NULL },
    { "session_info", SQL_SESSION_INFO, 0, NULL },
    { "set_write", SQL_SET_WRITE, 0, NULL },
    { "status_tables", SQL_STATUS_TABLES, 0, NULL },
    { "complete_relations", SQL_COMPLETE_RELATIONS, 0, NULL },
    { "complete_columns", SQL_COMPLETE_COLUMNS, 0, NULL },
    { "backups_archiver", SQL_BACKUPS_ARCHIVER, 0, NULL },
    { "backups_replication", SQL_BACKUPS_REPLICATION, 0, NULL },
    { "backups_dbsize", SQL_BACKUPS_DBSIZE, 0, NULL },
    { "backups_row_counts", SQL_BACKUPS_ROW_COUNTS, 0, NULL },
    { "slow_statements", SQL_SLOW_STATEMENTS, 0, "pg_stat_statements" },
    { "slow_activity", SQL_SLOW_ACTIVITY, 0, NULL },
    { "slow_header", SQL_SLOW_HEADER, 0, NULL },
    { "slow_reset", SQL_SLOW_RESET, 0, "pg_stat_statements" },
    { "slow_cancel", SQL_SLOW_CANCEL, 0, NULL },
    { "slow_terminate", SQL_SLOW_TERMINATE, 0, NULL },
    { "schema_namespaces", SQL_SCHEMA_NAMESPACES, 0, NULL },
    { "schema_relations", SQL_SCHEMA_RELATIONS, 0, NULL },
    { "schema_columns", SQL_SCHEMA_COLUMNS, 0, NULL },
    { "schema_indexes", SQL_SCHEMA_INDEXES, 0, NULL },
    { "schema_constraints", SQL_SCHEMA_CONSTRAINTS, 0, NULL },
    { "schema_triggers", SQL_SCHEMA_TRIGGERS, 0, NULL },
    { "schema_functions", SQL_SCHEMA_FUNCTIONS, 0, NULL },
    { "schema_enums", SQL_SCHEMA_ENUMS, 0, NULL },
    { "schema_extensions", SQL_SCHEMA_EXTENSIONS, 0, NULL },
    { "schema_sequences", SQL_SCHEMA_SEQUENCES, 0, NULL },
    { "schema_database", SQL_SCHEMA_DATABASE, 0, NULL },
    { "schema_sizes", SQL_SCHEMA_SIZES, 0, NULL },
    { "schema_migrations", SQL_SCHEMA_MIGRATIONS, 0, NULL },
    { "rls_tables", SQL_RLS_TABLES, 0, NULL },
    { "rls_policies", SQL_RLS_POLICIES, 0, NULL },
    { "rls_roles", SQL_RLS_ROLES, 0, NULL },
    { "rls_auth", SQL_RLS_AUTH, 0, NULL },
    { "rls_set_sub", SQL_RLS_SET_SUB, 0, NULL },
    { "rls_privileges", SQL_RLS_PRIVILEGES, 0, NULL },
    { "migrate_table_exists", SQL_MIGRATE_TABLE_EXISTS, 0, NULL },
    { "migrate_review_exists", SQL_MIGRATE_REVIEW_EXISTS, 0, NULL },
    { "migrate_lock", SQL_MIGRATE_LOCK, 0, NULL },
    { "validate_session", SQL_VALIDATE_SESSION, 0, NULL },
    { "validate_today", SQL_VALIDATE_TODAY, 0, NULL },
    { "validate_cbrs", SQL_VALIDATE_CBRS, 0, NULL },
    { "validate_prices", SQL_VALIDATE_PRICES, 0, NULL },
    { "validate_rows", SQL_VALIDATE_ROWS, 0, "postgis" },
    { "moderation_total", SQL_MODERATION_TOTAL, 0, NULL },
    { "search_ref_detail", SQL_SEARCH_REF_DETAIL, 0, NULL },
    { "search_user", SQL_SEARCH_USER, 0, NULL },
    { "search_comunas", SQL_SEARCH_COMUNAS, 0, NULL },
    { "search_serial_save", SQL_SEARCH_SERIAL_SAVE, 0, NULL },
    { "search_serial_restore", SQL_SEARCH_SERIAL_RESTORE, 0, NULL },
    { "moderation_auditlog", SQL_MODERATION_AUDITLOG, 0, NULL },
    { "moderation_moderator", SQL_MODERATION_MODERATOR, 0, NULL },
    { "moderation_comunas", SQL_MODERATION_COMUNAS, 0, NULL },
    { "migrate_demo_lock", SQL_MIGRATE_DEMO_LOCK, 0, NULL },
    { "migrate_demo_due", SQL_MIGRATE_DEMO_DUE, 0, NULL },
    { "schema_geometry", SQL_SCHEMA_GEOMETRY, 0, NULL },
    { NULL, NULL, 0, NULL },
};

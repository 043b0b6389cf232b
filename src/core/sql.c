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
    " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)";

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

const struct sql_stmt sql_all[] = {
    { "session_setup", SQL_SESSION_SETUP, 0, NULL },
    { "session_info", SQL_SESSION_INFO, 0, NULL },
    { "set_write", SQL_SET_WRITE, 0, NULL },
    { "status_tables", SQL_STATUS_TABLES, 0, NULL },
    { "complete_relations", SQL_COMPLETE_RELATIONS, 0, NULL },
    { "complete_columns", SQL_COMPLETE_COLUMNS, 0, NULL },
    { NULL, NULL, 0, NULL },
};

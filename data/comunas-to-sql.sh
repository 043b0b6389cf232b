#!/bin/sh
# Turns data/comunas.tsv (Chile's 346 comunas) into data/comunas.sql, a
# plain SQL file that psql or a single PQexec can load:
#   data/comunas-to-sql.sh data/comunas.tsv > data/comunas.sql
set -eu
tsv=${1:-$(dirname "$0")/comunas.tsv}
[ -r "$tsv" ] || { echo "comunas-to-sql.sh: cannot read $tsv" >&2; exit 1; }

cat <<'EOF'
-- Chile's 346 comunas (CUT code, name, provincia, region, centroid).
-- Generated from data/comunas.tsv by data/comunas-to-sql.sh: edit those.
-- Lives in degux_demo, not public: Prisma owns public.
CREATE SCHEMA IF NOT EXISTS degux_demo;

CREATE TABLE IF NOT EXISTS degux_demo.comunas (
    cut         integer PRIMARY KEY,
    comuna      text NOT NULL,
    provincia   text NOT NULL,
    region      text NOT NULL,
    region_code integer NOT NULL,
    lat         double precision NOT NULL,
    lng         double precision NOT NULL
);

INSERT INTO degux_demo.comunas (cut, comuna, provincia, region, region_code, lat, lng) VALUES
EOF

# Validate every row (7 fields, numeric code and coordinates) and quote the
# text fields; O'Higgins carries a quote.
awk -F'\t' '
function q(s) { gsub(/'\''/, "'\'''\''", s); return "'\''" s "'\''" }
function num(s) { return s ~ /^-?[0-9]+(\.[0-9]+)?$/ }
NR == 1 { next }
{
    sub(/\r$/, "")
    if (NF != 7 || !num($1) || !num($5) || !num($6) || !num($7)) {
        printf "comunas-to-sql.sh: bad line %d\n", NR > "/dev/stderr"
        bad = 1
        exit 1
    }
    if (n++) printf ",\n"
    printf "    (%s, %s, %s, %s, %s, %s, %s)", $1, q($2), q($3), q($4), $5, $6, $7
}
END {
    if (bad) exit 1
    if (n != 346) {
        printf "comunas-to-sql.sh: %d rows, expected 346\n", n > "/dev/stderr"
        exit 1
    }
    printf "\nON CONFLICT (cut) DO NOTHING;\n"
}' "$tsv"

# Common set-up of an end-to-end test: TAP and tmux helpers, the binary,
# the test cluster (PG* exported), a private work dir for XDG state and
# config, and a trap that stops tmux and removes the work dir. Source it as
#   . "$(cd "$(dirname "$0")/.." && pwd)/lib/e2e.sh"
# A script with more to clean defines its own trap and calls e2e_teardown.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/tmux.sh"
bin=${top_builddir:-.}/degux-console
eval "$("$here/lib/cluster.sh" start)" || bail_out "no test cluster"
work=$(mktemp -d)
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config
e2e_teardown() { e2e_cleanup; rm -rf "$work"; }
trap e2e_teardown EXIT

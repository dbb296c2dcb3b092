#!/bin/sh
# Checks the case files against the reference interpreter alone: each file must run under
# lua5.4, print the same thing twice, and print no address (table: 0x..., function: 0x...).
# Usage: tests/differential/validate.sh [substring]
# Runs like the cargo harness does: from the case's folder, TZ=UTC, LC_ALL=C, no LUA_INIT.
cd "$(dirname "$0")/cases" || exit 2
status=0
for file in $(find . -name '*.lua' | sort); do
  case "$file" in *"${1:-}"*) ;; *) continue ;; esac
  dir=$(dirname "$file"); base=$(basename "$file")
  first=$(cd "$dir" && env -u LUA_INIT -u LUA_INIT_5_4 TZ=UTC LC_ALL=C lua5.4 "$base" </dev/null 2>&1; echo "exit $?")
  second=$(cd "$dir" && env -u LUA_INIT -u LUA_INIT_5_4 TZ=UTC LC_ALL=C lua5.4 "$base" </dev/null 2>&1; echo "exit $?")
  if [ "$first" != "$second" ]; then
    echo "NONDETERMINISTIC: $file"; status=1
  fi
  if printf '%s' "$first" | grep -Eq '(table|function|thread|userdata|builtin): 0x'; then
    echo "ADDRESS PRINTED: $file"; printf '%s\n' "$first" | grep -En '(table|function|thread|userdata|builtin): 0x' | head -3; status=1
  fi
  case "$first" in *"exit 0") ;; *) echo "NONZERO EXIT: $file" ; status=1 ;; esac
done
[ $status -eq 0 ] && echo "all case files are deterministic under lua5.4"
exit $status

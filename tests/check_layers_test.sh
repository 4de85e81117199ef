#!/usr/bin/env bash
# The layering check must fail on a deliberately bad include and pass on a clean core.
set -uo pipefail
check=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/services/demo/core" "$tmp/services/demo/other"
printf '#include <string>\n#include "base/txn.h"\n' >"$tmp/services/demo/core/good.h"
printf '#include "runtime/clock.h"\n' >"$tmp/services/demo/core/good_test.cc"  # tests may
printf '#include <zmq.hpp>\n' >"$tmp/services/demo/other/adapter.cc"            # not a core
"$check" "$tmp" || { echo "FAIL: a clean core was refused"; exit 1; }
for bad in '<zmq.hpp>' '<rocksdb/db.h>' '<spdlog/spdlog.h>' '<toml++/toml.h>' \
           '"runtime/clock.h"' '"testing/manual_clock.h"'; do
  printf '#include <vector>\n#include %s\n' "$bad" >"$tmp/services/demo/core/bad.cc"
  out=$("$check" "$tmp")
  status=$?
  if [[ $status -ne 1 || $out != *"services/demo/core/bad.cc:2:"* ]]; then
    echo "FAIL: #include $bad in a core was not caught (exit $status): $out"
    exit 1
  fi
done
echo "check-layers caught every bad include"

#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang into build-fuzz/ and runs each for a bounded
# time on a scratch copy of its seed corpus (the committed seeds stay as they are).
# Exits non-zero when any target finds a crash, a sanitizer report, a timeout or an out-of-memory;
# the input is kept under build-fuzz/artifacts/ (copy it to fuzz/crashes/<target>-<what>: every
# run replays those first, as regression cases).
#
#   fuzz/run.sh                       every target, FUZZ_SECONDS each
#   fuzz/run.sh search vn_text        only these targets
#   FUZZ_SECONDS=60 fuzz/run.sh       longer runs
#   FUZZ_JOBS=1                       build parallelism (default 2)
#   CXX=clang++-16 fuzz/run.sh        another clang (libFuzzer comes with its compiler-rt)
#
# Reproduce a saved input: build-fuzz/<target>_fuzzer fuzz/crashes/<file>
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
seconds=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-2}
export CC=${CC:-clang} CXX=${CXX:-clang++}
# Stacks for UBSan reports too, so a finding names the function without a rerun.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

all=(http_request http_query vn_text procedure_json organisation search config json_body days_off)
targets=("$@")
((${#targets[@]})) || targets=("${all[@]}")

# Longest input per target: around the largest real input, so time goes to meaningful sizes.
declare -A max_len=(
  [http_request]=8192   # one byte of read size, then a few pipelined messages (limits: 2 KiB head)
  [http_query]=2048     # a request target; the server limits the head to 16 KiB
  [vn_text]=1024        # a query or a name
  [procedure_json]=8192 # a few records
  [organisation]=8192   # a few units and service points
  [search]=804          # 4 bytes of options + 200 characters of q (the API's limit) in UTF-8
  [config]=2048         # a config file
  [json_body]=4096      # a sign-in or account body (the API's bodies are small)
  [days_off]=4096       # an operator's file of announced days off
)
declare -A dict=([http_request]=http_request.dict [http_query]=http_query.dict [procedure_json]=json.dict
  [organisation]=json.dict [config]=config.dict [json_body]=json.dict)

if ! command -v "$CXX" >/dev/null; then
  echo "fuzz: $CXX not found (install clang; see scripts/bootstrap)" >&2
  exit 2
fi
start=$(date +%s)
mkdir -p "$build"
cmake -S "$root/fuzz" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/cmake.log" 2>&1 ||
  { cat "$build/cmake.log" >&2; exit 2; }
ninja -C "$build" -j "$jobs" >"$build/build.log" 2>&1 || { tail -50 "$build/build.log" >&2; exit 2; }
echo "fuzz: built in $(($(date +%s) - start)) s; $seconds s per target"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/motcua-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$build/artifacts" "$build/logs"
failed=0
for t in "${targets[@]}"; do
  bin=$build/${t}_fuzzer
  if [[ -z ${max_len[$t]:-} ]]; then
    echo "fuzz: $t: no such target (known: ${all[*]})" >&2
    failed=1
    continue
  fi
  if [[ ! -x $bin ]]; then
    echo "fuzz: $t SKIPPED (not built; see the warning in $build/cmake.log)"
    continue
  fi
  # Inputs that once crashed stay as regression cases: each must now pass.
  shopt -s nullglob
  regressions=("$root/fuzz/crashes/$t"-*)
  shopt -u nullglob
  if ((${#regressions[@]})) && ! "$bin" "${regressions[@]}" >"$build/logs/$t-regressions.log" 2>&1; then
    echo "fuzz: $t FAILED  a saved crash input fails again (see $build/logs/$t-regressions.log)"
    failed=1
    continue
  fi
  corpus=$scratch/$t
  mkdir -p "$corpus"
  cp "$root/fuzz/corpus/$t"/* "$corpus/"
  args=(-max_total_time="$seconds" -max_len="${max_len[$t]}" -timeout=10 -rss_limit_mb=2048
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-")
  [[ -n ${dict[$t]:-} ]] && args+=(-dict="$root/fuzz/${dict[$t]}")
  log=$build/logs/$t.log
  t0=$(date +%s)
  "$bin" "${args[@]}" "$corpus" >"$log" 2>&1
  rc=$?
  took=$(($(date +%s) - t0))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  if ((rc == 0)); then
    printf 'fuzz: %-15s OK     %4d s  %9s execs  %6s exec/s  %s  corpus %s files\n' \
      "$t" "$took" "${execs:-?}" "${speed:-?}" "$cov" "$(ls "$corpus" | wc -l)"
  else
    failed=1
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    printf 'fuzz: %-15s FAILED %4d s  exit %d  input %s  log %s\n' "$t" "$took" "$rc" \
      "${artifact:-?}" "$log"
    grep -m1 -E 'invariant failed|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error' \
      "$log" | sed 's/^/fuzz:   /'
  fi
done
echo "fuzz: total $(($(date +%s) - start)) s"
exit $failed

#!/usr/bin/env bash
# Fingerprint throughput beside `openssl dgst -sha256` over the same files in the same run, and
# the fingerprinter's peak RSS. Needs a built tree (./mvnw -q -DskipTests package), python3,
# openssl and /usr/bin/time. Usage: bench/scripts/fingerprint.sh [work-dir]
#   1. a directory laid out like a sharded checkpoint: four 1 GiB safetensors files (BF16 matrices);
#   2. one 4 GiB safetensors file, fingerprinted with --sharded.
# Files are read once first so that both tools read from the page cache.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-$(mktemp -d /tmp/ditchley-fingerprint-bench.XXXX)}
launcher=cli/target/ditchley
mkdir -p "$work/sharded-checkpoint"

# A safetensors file of $2 BF16 matrices of 8192 x 8192 (128 MiB each), random values.
make_safetensors() {
  python3 - "$1" "$2" <<'PY'
import json, struct, sys, os
path, n = sys.argv[1], int(sys.argv[2])
size = 8192 * 8192 * 2
header = {f"model.layers.{i}.mlp.up_proj.weight": {"dtype": "BF16", "shape": [8192, 8192], "data_offsets": [i * size, (i + 1) * size]} for i in range(n)}
text = json.dumps(header).encode()
text += b" " * (-(len(text) + 8) % 8)
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    chunk = os.urandom(1 << 24)
    for _ in range(n * size // len(chunk)):
        f.write(chunk)
PY
}

for i in 1 2 3 4; do
  f="$work/sharded-checkpoint/model-0000$i-of-00004.safetensors"
  [ -f "$f" ] || make_safetensors "$f" 8
done
[ -f "$work/single.safetensors" ] || make_safetensors "$work/single.safetensors" 32
cat "$work"/sharded-checkpoint/* "$work/single.safetensors" > /dev/null

measure() {  # label, openssl files..., -- ditchley args...
  local label=$1; shift
  local files=()
  while [ "$1" != "--" ]; do files+=("$1"); shift; done
  shift
  local t0 t1 openssl_s
  t0=$(date +%s.%N); openssl dgst -sha256 "${files[@]}" > /dev/null; t1=$(date +%s.%N)
  openssl_s=$(echo "$t1 - $t0" | bc -l)
  DITCHLEY_JAVA_OPTS=-Xmx160m /usr/bin/time -f "%e %M" -o "$work/time.txt" "$launcher" fingerprint "$@" --out "$work/fp.json" > /dev/null 2> "$work/err.txt"
  read -r ditchley_s rss_kib < "$work/time.txt"
  local bytes; bytes=$(cat "${files[@]}" | wc -c)
  printf '%s: %.2f GiB; openssl dgst -sha256 %.2f s (%.0f MiB/s); ditchley fingerprint %.2f s (%.0f MiB/s) = %.2f x openssl; peak RSS %d MiB\n' \
    "$label" "$(echo "$bytes / 2^30" | bc -l)" "$openssl_s" "$(echo "$bytes / 2^20 / $openssl_s" | bc -l)" \
    "$ditchley_s" "$(echo "$bytes / 2^20 / $ditchley_s" | bc -l)" "$(echo "$openssl_s / $ditchley_s" | bc -l)" "$((rss_kib / 1024))"
}

measure "four 1 GiB files" "$work"/sharded-checkpoint/* -- "$work/sharded-checkpoint"
measure "one 4 GiB file, --sharded" "$work/single.safetensors" -- "$work/single.safetensors" --sharded

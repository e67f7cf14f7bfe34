#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's own test files: schema files, migration
# files and golden cases. The corpora are not committed; run this before the first
# `cargo fuzz run` (the CI script does).
set -euo pipefail
cd "$(dirname "$0")"
root=..
out=corpus
mkdir -p "$out"/{schema_parser,migration_file,split_statements,target_resolver}

# Every .sql file of the tests and examples, once per dialect (the first byte chooses
# it) for the SQL targets, as is for the migration file parser.
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  for d in 0 1 2; do
    { printf "\\x0$d"; cat "$f"; } > "$out/schema_parser/seed_${n}_$d"
    { printf "\\x0$d"; cat "$f"; } > "$out/split_statements/seed_${n}_$d"
  done
  cp "$f" "$out/migration_file/seed_$n"
done < <(find "$root/crates" "$root/examples" -name '*.sql' -size -64k -print0 | sort -z)

# Migration files that are not *.sql (bad inputs: binary, BOM only, ...).
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$out/migration_file/seed_$n"
done < <(find "$root/crates/cli/tests/bad_inputs" -path '*/migrations/*' -type f ! -name '*.sql' -size -64k -print0 | sort -z)

# Targets as the bad-input cases and the tests write them, over a few graph shapes:
# a chain of 5, a fork, a merge (see the layout in fuzz_targets/target_resolver.rs).
t=0
for target in head heads base r1 r2 r1+1 r2-1 +1 -1 +2 -2 r5+3 r1 r -3 "r1+99999999999999999999" " head " ""; do
  for shape in '\x05\x00\x01\x01\x01\x01\x03' '\x04\x00\x01\x02\x03\x00' '\x04\x00\x01\x02\x03\x0f'; do
    t=$((t + 1))
    { printf "$shape"; printf '%s' "$target"; } > "$out/target_resolver/seed_$t"
  done
done
echo "seeded: $n files, $t targets"

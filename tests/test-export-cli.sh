#!/bin/sh
# coopdesk export-summary: no display needed, exit status and messages, no
# partial file left behind.
set -u

fails=0
dir=$(mktemp -d)
trap 'chmod -R u+w "$dir"; rm -rf "$dir"' EXIT

unset DISPLAY WAYLAND_DISPLAY

check () {
  # check DESCRIPTION EXPECTED-STATUS COMMAND…
  description=$1; expected=$2; shift 2
  "$@" >"$dir/out" 2>"$dir/err"
  status=$?
  if [ "$status" -ne "$expected" ]; then
    echo "not ok - $description: exit status $status, expected $expected"
    cat "$dir/out" "$dir/err"
    fails=$((fails + 1))
  else
    echo "ok - $description"
  fi
}

expect () {
  # expect DESCRIPTION COMMAND…: the command must succeed
  description=$1; shift
  if "$@"; then
    echo "ok - $description"
  else
    echo "not ok - $description"
    fails=$((fails + 1))
  fi
}

"$COOPDESK" create-sample --database="$dir/demo.db" >/dev/null || { echo "not ok - demo"; exit 1; }
mkdir "$dir/out-dir"

check "export-summary writes the workbook" 0 \
  "$COOPDESK" export-summary --database="$dir/demo.db" --output="$dir/out-dir/summary.xlsx"
expect "it says where" grep -q "summary.xlsx" "$dir/out"
sheets=$(unzip -p "$dir/out-dir/summary.xlsx" xl/workbook.xml | grep -o '<sheet ' | wc -l)
expect "the workbook has six sheets ($sheets)" [ "$sheets" -eq 6 ]
expect "every XML part is well-formed" sh -c "
  cd '$dir' && mkdir x && cd x && unzip -q ../out-dir/summary.xlsx &&
  find . -name '*.xml' -o -name '*.rels' | xargs xmllint --noout"
mode=$(stat -c %a "$dir/out-dir/summary.xlsx")
expect "the workbook is readable by its owner only ($mode)" [ "$mode" = 600 ]

check "the output may be given as an argument, with a period and masking" 0 \
  "$COOPDESK" export-summary --database="$dir/demo.db" --from=2024-01-01 --to=2024-12-31 \
  --mask-personal "$dir/out-dir/masked.xlsx"
expect "masked student numbers are not in the file" \
  sh -c "! unzip -p '$dir/out-dir/masked.xlsx' | grep -q 0192010101"

check "a bad --from fails" 1 \
  "$COOPDESK" export-summary --database="$dir/demo.db" --from=2024-13-01 --output="$dir/out-dir/bad.xlsx"
expect "and says why" grep -q "2024-13-01" "$dir/err"

check "--year writes the year's summary" 0 \
  "$COOPDESK" export-summary --database="$dir/demo.db" --year=2023 --output="$dir/out-dir/year.xlsx"
expect "with a Year sheet" sh -c "unzip -p '$dir/out-dir/year.xlsx' xl/workbook.xml | grep -q 'name=\"Year\"'"
check "an academic year that is not two years in a row is a usage error" 2 \
  "$COOPDESK" export-summary --database="$dir/demo.db" --academic-year=2023-2025 \
  --output="$dir/out-dir/bad.xlsx"
expect "and says how to write it" grep -q "write it as 2023-2024" "$dir/err"
check "a year and a period together are a usage error" 2 \
  "$COOPDESK" export-summary --database="$dir/demo.db" --year=2023 --from=2023-03-01 \
  --output="$dir/out-dir/bad.xlsx"
expect "and says so" grep -q "without --from and --to" "$dir/err"

check "an unwritable folder fails" 1 \
  "$COOPDESK" export-summary --database="$dir/demo.db" --output="$dir/missing/summary.xlsx"
expect "and says which folder" grep -q "missing" "$dir/err"

check "a missing --output is a usage error" 2 "$COOPDESK" export-summary --database="$dir/demo.db"
check "an output not named .xlsx is a usage error" 2 "$COOPDESK" export-summary \
  --database="$dir/demo.db" --output="$dir/summary.csv"
expect "no file is written for it" test ! -e "$dir/summary.csv"
check "a missing database fails" 1 \
  "$COOPDESK" export-summary --database="$dir/none.db" --output="$dir/out-dir/none.xlsx"

left=$(ls -A "$dir/out-dir" | tr '\n' ' ')
expect "no partial file is left ($left)" [ "$left" = "masked.xlsx summary.xlsx year.xlsx " ]

if [ "$fails" -eq 0 ]; then
  exit 0
fi
exit 1

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# embed-sql.sh NAME FILE: print FILE as a C string constant named NAME,
# leaving out SQL comment lines.
set -e
printf 'const char %s[] =\n' "$1"
grep -v '^[[:space:]]*--' "$2" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/'
printf '    ;\n'

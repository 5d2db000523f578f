#!/usr/bin/env bash
# Writes the King James Version of the Bible (public domain; Debian package bible-kjv) as WikiText-2-format text
# for `./dgrab lm --data-dir OUT`: OUT/train.txt, OUT/valid.txt, OUT/test.txt.
#
# Usage: scripts/kjv-wikitext.sh OUT [RANGE]
#   OUT    folder to write (created if missing)
#   RANGE  verses to take, in the `bible` program's notation (default: gen1:1-rev22:21, the whole Bible)
#
# Needs the `bible` program: apt-get install bible-kjv (it pulls in bible-kjv-text, the text itself).
#
# Format, as in WikiText: one verse per line, words and punctuation separated by single spaces ("earth ." and
# "Abraham 's"), a leading and a trailing space on every line, a heading line " = Genesis 1 = " between blank
# lines (" ") before every chapter. Chapters are split by their running number c over RANGE: c % 10 == 9 goes to
# valid.txt, c % 10 == 0 to test.txt, the rest to train.txt (about 80/10/10 percent of the words, every book in
# every split). The same RANGE always gives the same files.
set -euo pipefail

OUT="${1:?usage: scripts/kjv-wikitext.sh OUT [RANGE]}"
RANGE="${2:-gen1:1-rev22:21}"
command -v bible >/dev/null 2>&1 || { echo "kjv-wikitext: the bible program is missing: apt-get install bible-kjv" >&2; exit 1; }
mkdir -p "$OUT"
# Empty all three first: a split that gets no chapter must not keep the text of an earlier run.
: > "$OUT/train.txt"; : > "$OUT/valid.txt"; : > "$OUT/test.txt"

# -l5000: one verse per output line (no wrapping at the terminal width).
bible -l5000 "$RANGE" | awk -v out="$OUT" '
    function tok(s) {
        gsub(/\047s /, " \047s ", s)                     # possessive: Abraham'"'"'s -> Abraham '"'"'s
        gsub(/[.,;:!?()]/, " & ", s)                   # punctuation as separate tokens
        gsub(/[ \t]+/, " ", s)
        sub(/^ /, "", s); sub(/ $/, "", s)
        return s
    }
    /^[A-Za-z0-9 ]+ [0-9]+$/ && !/^ / {                # chapter heading, e.g. "Genesis 1" or "1 Kings 3"
        c++
        f = (c % 10 == 9) ? out "/valid.txt" : (c % 10 == 0) ? out "/test.txt" : out "/train.txt"
        printf " \n = %s = \n \n", $0 > f
        next
    }
    /^ +[0-9]+ / {                                     # verse: "  1 In the beginning ..."
        line = $0
        sub(/^ +[0-9]+ /, "", line)
        printf " %s \n", tok(line) > f
    }
'
wc -w "$OUT"/train.txt "$OUT"/valid.txt "$OUT"/test.txt >&2

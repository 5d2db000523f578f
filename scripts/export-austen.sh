#!/usr/bin/env bash
# Writes Jane Austen's six novels (public domain; Debian package r-cran-janeaustenr, the R package janeaustenr) as
# a label<TAB>sentence file for `./dgrab text --tsv OUT`: one sentence per line, labelled with its novel.
#
# Usage: scripts/export-austen.sh [OUT]     (default OUT: data/austen.tsv)
#
# Installs r-cran-janeaustenr with apt-get if R cannot load janeaustenr (needs root; it pulls in r-base-core).
#
# Labels: sense-sensibility, pride-prejudice, mansfield-park, emma, northanger-abbey, persuasion.
# Units are sentences, not fixed groups of lines: each novel's lines are joined into paragraphs (blank lines
# separate them), headings (CHAPTER ..., VOLUME ..., the title page) are dropped, and paragraphs are split after
# '.', '!' or '?' (optionally followed by a closing quote) where a capital letter (optionally after an opening
# quote) follows, except after Mr. Mrs. Dr. St. Ms.; sentences of fewer than 3 words are dropped. Tabs inside a
# sentence become spaces. The same package version always gives the same file.
set -euo pipefail

OUT="${1:-data/austen.tsv}"
if ! Rscript -e 'suppressMessages(library(janeaustenr))' >/dev/null 2>&1; then
    echo "export-austen: installing r-cran-janeaustenr (R's janeaustenr) with apt-get" >&2
    apt-get install -y r-cran-janeaustenr >&2 || { apt-get update >&2 && apt-get install -y r-cran-janeaustenr >&2; }
fi
mkdir -p "$(dirname "$OUT")"
tmp="$OUT.tmp"
trap 'rm -f "$tmp"' EXIT
Rscript - "$tmp" <<'EOF'
suppressMessages(library(janeaustenr))
out <- commandArgs(trailingOnly = TRUE)[1]
slug <- c("Sense & Sensibility" = "sense-sensibility", "Pride & Prejudice" = "pride-prejudice",
          "Mansfield Park" = "mansfield-park", "Emma" = "emma", "Northanger Abbey" = "northanger-abbey",
          "Persuasion" = "persuasion")
books <- austen_books()
heading <- "^(CHAPTER|Chapter|VOLUME|Volume|by Jane Austen|\\(\\d{4}\\)|[A-Z][A-Z &.,'-]*$)"
splitter <- paste0("(?<=[.!?]|[.!?][\"'])(?<!\\bMr\\.)(?<!\\bMrs\\.)(?<!\\bDr\\.)(?<!\\bSt\\.)(?<!\\bMs\\.)",
                   "\\s+(?=[\"']?[A-Z])")
con <- file(out, open = "w", encoding = "UTF-8")
total <- 0
for (book in levels(books$book)) {
    lines <- as.character(books$text[books$book == book])
    # A paragraph is a run of non-blank lines; its number is the count of blank lines before it.
    para <- cumsum(lines == "")
    keep <- lines != ""
    paragraphs <- vapply(split(lines[keep], para[keep]), paste, character(1), collapse = " ")
    paragraphs <- gsub("\\s+", " ", trimws(paragraphs))
    paragraphs <- paragraphs[!grepl(heading, paragraphs, perl = TRUE)]
    sentences <- trimws(unlist(strsplit(paragraphs, splitter, perl = TRUE)))
    sentences <- gsub("\t", " ", sentences, fixed = TRUE)
    words <- lengths(regmatches(sentences, gregexpr("[[:alnum:]]+", sentences)))
    sentences <- sentences[words >= 3]
    writeLines(paste0(slug[[book]], "\t", sentences), con)
    message(sprintf("export-austen: %-20s %6d sentences", slug[[book]], length(sentences)))
    total <- total + length(sentences)
}
close(con)
message(sprintf("export-austen: %d sentences in all", total))
EOF
mv "$tmp" "$OUT"
trap - EXIT
echo "export-austen: wrote $OUT" >&2

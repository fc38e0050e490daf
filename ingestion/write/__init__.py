"""The warehouse side of loading: schema `raw` with a table per contract, raw._quarantine and
raw._load_log (rawdb.py); one load transaction's deletes, inserts, duplicate sweep and load log
(rawwriter.py); what a load reports per file and day (results.py); and files outside the landing
layout, quarantined once per file (strays.py)."""

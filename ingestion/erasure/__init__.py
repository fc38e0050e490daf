"""People erased on request, as the raw layer sees them: which column of which raw table holds
which identifier (id_columns.py), the SQL that finds a person's records there (id_sql.py, shared
with erasure in orchestration/forget_erase.py), and the suppression list that keeps their records
out when they are delivered again (suppression.py)."""

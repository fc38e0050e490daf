"""A batch of raw columns against its contract: typed Arrow columns for the raw table and, per row,
the first reason to quarantine it (batch.py). Converters by field type (convert.py, timemoney.py,
pyfields.py, nested.py), phones normalised and keyed-hashed (phones.py, phone_columns.py), personal
data masked or hashed where no field expects it (personal.py), and rejected rows in the scrubbed
form the quarantine stores (quarantine.py)."""

"""Reading a landing file into batches of raw columns, one list per contract field, every record
offered accounted for: text encodings (encoding.py), CSV and .xlsx (readers.py, csv_reader.py) and
JSON / JSONL (json_split.py cuts records, json_reader.py cuts them into fields)."""

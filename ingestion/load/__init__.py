"""A load: landing days of one entity into raw.<source>__<entity>, each day replaced whole.
loader.py is the transaction (load_days, load_partition), daily.py what an ingestion asset calls
(load_range: a range of days in transactions of bounded size), pieces.py the reading side (each file
read, normalised and sorted into rows to load and rows to quarantine) and background.py the threads
that read ahead of the writer."""

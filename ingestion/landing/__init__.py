"""The landing folder as the loader sees it: its layout `<source>/<entity>/<YYYY-MM-DD>/<file>` and
what does not fit it (layout.py), and which day folders changed since the warehouse last built
from them (changes.py)."""

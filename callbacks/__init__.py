"""Callbacks: the platforms' pushes, received as they happen and landed as day files.

WeCom pushes `change_external_contact` events and the Official Account pushes follow, scan and menu
events to a URL the brand runs; neither platform offers them as an export or a pull. `siyu receive`
(orchestration/receive_cmd.py) serves that URL: crypto.py checks the signature and opens the
platforms' AES envelope, messages.py turns a message into the JSON line docs/sources.md specifies,
store.py appends it to `<landing>/<source>/<entity>/<today, Beijing>/` (as `.callbacks.jsonl`, renamed
`callbacks.jsonl` once the day has ended) and makes it durable before app.py answers `success`.
Plain Python besides the ASGI app; no dagster import.
"""

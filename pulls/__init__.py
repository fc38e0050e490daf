"""Pulls: fetch a platform's data through its API and land it as the files an export would be
(docs/sources.md), so the loader, contracts and checks see no difference.

One module per platform (wecom.py, oa.py, youzan.py), each declaring a `SOURCE` (pulls/source.py);
they are found here by that name, so adding a platform is adding a module. Shared parts: the HTTP
session (http.py), the token and error-code loop (client.py), the atomic day writer (landing.py)
and the run over days and entities (run.py)."""

from __future__ import annotations

import importlib
import pkgutil

from pulls.source import Source

_SHARED = {"client", "errors", "http", "landing", "run", "source", "wechat"}


def sources() -> dict[str, Source]:
    """Every platform module's SOURCE, by name."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name in _SHARED or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        source = getattr(module, "SOURCE", None)
        if isinstance(source, Source):
            found[source.name] = source
    return dict(sorted(found.items()))

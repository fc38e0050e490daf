"""`siyu receive`: serve the WeCom and Official Account callback URLs (callbacks/) with uvicorn.

One process, one worker: the landing has one writer (callbacks/store.py), and a second receiver on
the same landing folder is refused. uvicorn's own access log is off — it would print each query
string, which carries signatures and, for the OA, the user's openid; callbacks/app.py logs method,
path, status and message type instead. On SIGTERM uvicorn stops taking requests and finishes those
in flight (at most 10 s) before exiting, so a service manager's stop loses nothing acknowledged.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from orchestration.settings import VAR_DIR, ConfigError


def serve(host: str, port: int, landing_root: Path, landing_class=None) -> int:
    """Run the receiver until stopped. `landing_class` lets a test put a crashing landing in."""
    import uvicorn

    from callbacks.app import build_app
    from callbacks.config import CallbackConfigError, platforms
    from callbacks.store import Landing, LandingBusy, claim

    try:
        served = platforms()
        claim(landing_root)
    except (CallbackConfigError, LandingBusy) as exc:
        raise ConfigError(str(exc)) from None
    landing = (landing_class or Landing)(landing_root)
    landing.prepare([(p.source, p.entity) for p in served])
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("siyu.receive")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    for p in served:
        mode = "encrypted" if p.envelope else "plaintext (明文模式: set OA_CALLBACK_AES_KEY for 安全模式)"
        logger.info("receiving %s/%s on http://%s:%d/%s, %s, into %s/%s/%s/<today>/",
                    p.source, p.entity, host, port, p.name, mode, landing_root, p.source, p.entity)
    config = uvicorn.Config(build_app(served, landing), host=host, port=port, workers=1,
                            access_log=False, server_header=False, timeout_graceful_shutdown=10,
                            log_level="info")
    uvicorn.Server(config).run()
    return 0


def cmd_receive(args: argparse.Namespace) -> int:
    root = Path(os.environ.get("SIYU_LANDING_DIR") or VAR_DIR / "landing").resolve()
    return serve(args.host, args.port, root)


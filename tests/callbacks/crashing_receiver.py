"""`siyu receive` whose process dies right after its Nth line is durable and before the answer goes out:
the one moment a platform retries an event the landing already holds (test_restarts.py).

python tests/callbacks/crashing_receiver.py <port>, with CRASH_AFTER_WRITES=N and the receiver's settings
in the environment.
"""

import os
import sys
from pathlib import Path

from callbacks.store import Landing
from orchestration.receive_cmd import serve


class CrashingLanding(Landing):
    writes_left = int(os.environ.get("CRASH_AFTER_WRITES", "0"))

    def append(self, source, entity, line):
        written = super().append(source, entity, line)
        if written:
            CrashingLanding.writes_left -= 1
            if CrashingLanding.writes_left == 0:
                os._exit(137)  # written and fsync'ed, never answered
        return written


if __name__ == "__main__":
    sys.exit(serve("127.0.0.1", int(sys.argv[1]), Path(os.environ["SIYU_LANDING_DIR"]), CrashingLanding))

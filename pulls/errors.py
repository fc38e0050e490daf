"""What stops a pull, and what it says: never a credential, a token or a URL's query string."""

from __future__ import annotations


class PullError(RuntimeError):
    """One entity's pull failed; the message names the call (and the guide, chat or message it was
    about) and the platform's error code. The other entities of the run still land."""


class MissingCredentials(RuntimeError):
    """A source's credentials are not all in the environment; the message names every missing variable."""

    def __init__(self, source: str, names: list[str]):
        self.source, self.names = source, names
        super().__init__(f"{source}: set {', '.join(names)} in the environment (.env.example lists them); "
                         "nothing was pulled")

"""Rendering Jinja2 bounded in time and output: memo templates and section prose alike.

Both run in Jinja2's immutable sandbox, which stops attribute escapes but not a loop that
runs for ever or prints without end; these limits do. Only the standard library and a
Jinja2 template object are used here, so `check` pays nothing for it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

MAX_OUTPUT = 2_000_000  # characters a template or a section's prose may write
MAX_SECONDS = 10


class Exceeded(Exception):
    """A template ran past one of the limits (the message names it)."""


def render(template: Any, context: dict[str, Any]) -> str:
    """Return `template` rendered with `context`, or raise Exceeded past a limit.

    The output is taken chunk by chunk, so a runaway loop is stopped as soon as it has
    written too much, not when it has filled the memory.
    """
    out = []
    size = 0
    with _time_limit(MAX_SECONDS):
        for chunk in template.generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise Exceeded(f"output is larger than {MAX_OUTPUT:,} characters (the limit)")
            out.append(chunk)
    return "".join(out)


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Stop what runs longer than `seconds` (where signals can be used: the main thread)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise Exceeded(f"took longer than {seconds} s (the limit); is a loop running away?")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

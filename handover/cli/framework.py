"""The frame every command runs in: one error boundary, help that reads as sentences.

:func:`new_app` makes every ``typer.Typer`` of the command line. Its group class
(:class:`HandoverGroup`) is where errors cross into the CLI, for the whole command line
at once: bad input or usage (:class:`~handover.errors.InputError`) exits 2 and any
other :class:`~handover.errors.HandoverError` exits 1, each with one ``error:`` line on
stderr and no traceback; SIGTERM stops it as cleanly as an error (every
temporary removed, exit 143); anything else is an unexpected failure, named (its class,
what was missing or which file) without echoing data. Its command class
(:class:`HandoverCommand`) joins the lines of each paragraph of a docstring, so
``--help`` wraps sentences rather than the source's line breaks, and shows flags
without a type placeholder.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from pathlib import Path
from typing import Any, Callable

import typer
from typer.core import TyperCommand, TyperGroup

from handover.errors import HandoverError, InputError
from handover.privacy.redaction import redacted

__all__ = ["HandoverGroup", "HandoverCommand", "new_app", "command", "sentences", "unexpected_failure",
           "debug_traceback", "say", "write_stdout"]


def sentences(text: str | None) -> str | None:
    """``text`` with the lines of each paragraph joined, so that help wraps as sentences.

    Paragraphs are separated by blank lines; lines starting with ``-`` stay lines of a list.

    Examples
    --------
    >>> sentences("First line\\n    goes on.\\n\\n    - one\\n    - two")
    'First line goes on.\\n\\n- one\\n- two'
    """
    if text is None:
        return None
    import inspect

    paragraphs = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        if any(line.startswith("- ") for line in lines):
            paragraphs.append("\n".join(lines))
        else:
            paragraphs.append(" ".join(lines))
    return "\n\n".join(paragraphs)


def _plain_flags(params: list) -> list:
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""  # a flag takes no value: no <bool> in --help
    return params


class HandoverCommand(TyperCommand):
    """A command whose help wraps as sentences and whose flags show no value placeholder."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["help"] = sentences(kwargs.get("help"))
        super().__init__(*args, **kwargs)

    def get_params(self, ctx):
        return _plain_flags(super().get_params(ctx))


class HandoverGroup(TyperGroup):
    """A command group that is the error boundary of everything run through it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["help"] = sentences(kwargs.get("help"))
        super().__init__(*args, **kwargs)

    def get_params(self, ctx):
        return _plain_flags(super().get_params(ctx))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        previous = _stop_cleanly_on_sigterm()
        try:
            return super().main(*args, **kwargs)
        except Stopped:
            typer.echo("error: stopped (SIGTERM); nothing half-written was left", err=True)
            sys.exit(128 + signal.SIGTERM)
        except InputError as error:
            typer.echo(f"error: {error}", err=True)
            sys.exit(2)
        except HandoverError as error:
            typer.echo(f"error: {error}", err=True)
            sys.exit(1)
        except BrokenPipeError:  # `handover find ... | head`: the reader left, nothing to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except Exception as error:  # the one place an unexpected failure is turned into a message
            if os.environ.get("HANDOVER_DEBUG"):
                typer.echo(debug_traceback(error), err=True)
            typer.echo(f"error: unexpected failure ({unexpected_failure(error)}); run again with "
                       "HANDOVER_DEBUG=1 to see the traceback, and report it", err=True)
            sys.exit(1)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


class Stopped(BaseException):
    """Raised in the main thread when the process is asked to stop (SIGTERM), so that every
    ``finally`` runs: temporaries are removed and nothing half-written is left."""


def _stop(signum, frame) -> None:
    raise Stopped()


def _stop_cleanly_on_sigterm():
    """Turn SIGTERM into :class:`Stopped` (the default would end the process on the spot,
    leaving a half-written temporary folder beside an output); return the handler it replaced,
    or ``None`` when it left things as they were (not the main thread, a handler of the caller's)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.getsignal(signal.SIGTERM)
    if previous is not signal.SIG_DFL:
        return None
    signal.signal(signal.SIGTERM, _stop)
    return previous


def unexpected_failure(error: BaseException) -> str:
    """What failed, for a message: the error's class and what it is about, never its data.

    A missing module is named (a broken installation), an operating-system error says
    what the system said and about which file; any other error is named by its class
    and the place in handover's code where it happened, since its text may hold values
    from the data.

    Examples
    --------
    >>> unexpected_failure(ModuleNotFoundError("No module named 'scipy'", name="scipy"))
    'ModuleNotFoundError: scipy is not installed; install handover again (pip install -e .)'
    >>> unexpected_failure(PermissionError(13, "Permission denied", "out/report.csv"))
    'PermissionError: Permission denied: out/report.csv'
    """
    kind = type(error).__name__
    if isinstance(error, ImportError) and error.name:
        return f"{kind}: {error.name} is not installed; install handover again (pip install -e .)"
    if isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        return f"{kind}: {error.strerror}{where}"
    place = _place_in_handover(error)
    return f"{kind} in {place}" if place else kind


def debug_traceback(error: BaseException) -> str:
    """The traceback ``HANDOVER_DEBUG=1`` prints: every frame, and each message redacted.

    Python's own traceback would print each exception's text, which may quote a value from
    the data (``KeyError: '15038511499'``) or a password in a URI; here the frames (file,
    line, function, the line of code) are shown as they are, and the messages through
    :func:`handover.privacy.redaction.redacted`. Chained exceptions come first, as Python
    shows them.

    Examples
    --------
    >>> try:
    ...     {}["15038511499"]
    ... except KeyError as error:
    ...     print(debug_traceback(error).splitlines()[-1])
    KeyError: '…'
    """
    chain, seen = [], set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen and len(chain) < 8:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    lines = []
    for position, link in enumerate(reversed(chain)):
        if position:
            lines.append("\nDuring the handling of the error above, another one happened:\n")
        lines.append("Traceback (most recent call last; values in messages are hidden):")
        for frame in traceback.extract_tb(link.__traceback__):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
        text = redacted(str(link)).splitlines()
        lines.append(f"{type(link).__name__}: {text[0]}" if text else type(link).__name__)
    return "\n".join(lines)


def _place_in_handover(error: BaseException) -> str | None:
    package = Path(__file__).resolve().parents[1]
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        path = Path(frame.filename).resolve()
        if package in path.parents:
            module = ".".join(path.relative_to(package.parent).with_suffix("").parts)
            return f"{module}.{frame.name}, line {frame.lineno}"
    return None


def new_app(**options: Any) -> typer.Typer:
    """A ``typer.Typer`` of the handover command line (the error boundary, sentence help)."""
    options.setdefault("no_args_is_help", True)
    options.setdefault("add_completion", False)
    options.setdefault("pretty_exceptions_enable", False)
    return typer.Typer(cls=HandoverGroup, **options)


def command(app: typer.Typer, function: Callable, name: str | None = None) -> Callable:
    """Register ``function`` as a command of ``app`` (help from its docstring, as sentences)."""
    app.command(name, cls=HandoverCommand)(function)
    return function


def write_stdout(data: str | bytes) -> None:
    """Write text, or bytes exactly as they are (a BOM and CRLF line ends), to standard output."""
    if isinstance(data, str):
        sys.stdout.write(data)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def say(message: str) -> None:
    """Tell the user something on standard error (standard output is for the results)."""
    typer.echo(message, err=True)

"""Which Neo4j server to talk to, with which credentials, and a verified driver for it.

Precedence: explicit arguments, then ``NEO4J_URI`` / ``NEO4J_USER`` / ``NEO4J_PASSWORD``,
then the local server's own credentials (:mod:`handover.engines.neo4j.localserver`) when no URI is
given or the URI is the local server's. Messages never contain the password.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from handover.errors import EngineError, InputError
from handover.privacy.redaction import redacted

__all__ = ["server_errors", "resolve_connection", "open_driver", "is_local_server"]

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_DEFAULT_PORT = 7687


def resolve_connection(
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    state_dir: str | os.PathLike | None = None,
) -> tuple[str, str, str | None]:
    """Decide the URI, user and password to connect with.

    Parameters
    ----------
    uri, user, password : str, optional
        Explicit values; each wins over its environment variable.
    state_dir : path-like, optional
        The local server's state directory (default
        :func:`handover.engines.neo4j.localserver.default_state_dir`).

    Returns
    -------
    (uri, user, password)
        ``password`` is ``None`` only for a server other than the local one when
        neither an argument nor ``NEO4J_PASSWORD`` gives one (a server without auth).

    Raises
    ------
    EngineError
        When no URI is given, ``NEO4J_URI`` is unset and the local server was never
        started.

    Examples
    --------
    >>> resolve_connection("neo4j+s://db.example.org", "reader", "s3cret")
    ('neo4j+s://db.example.org', 'reader', 's3cret')
    """
    from handover.engines.neo4j.localserver import local_credentials

    uri = uri or os.environ.get("NEO4J_URI") or None
    user = user or os.environ.get("NEO4J_USER") or None
    password = password if password is not None else os.environ.get("NEO4J_PASSWORD")
    local = local_credentials(state_dir)
    if uri is None:
        if local is None:
            where = Path(state_dir) if state_dir is not None else "the default state directory"
            raise EngineError(f"no Neo4j server to connect to: no local server was started in {where}. "
                              "Start one with `handover neo4j start`, or set NEO4J_URI (and NEO4J_USER, "
                              "NEO4J_PASSWORD) or pass --neo4j-uri for another server")
        return local.uri, user or local.user, password if password is not None else local.password
    _check_uri(uri)
    if local is not None and _same_endpoint(uri, local.uri):
        return uri, user or local.user, password if password is not None else local.password
    return uri, user or "neo4j", password


def is_local_server(uri: str | None = None, state_dir: str | os.PathLike | None = None) -> bool:
    """Whether ``uri`` (else ``NEO4J_URI``) is the project's own local server of ``state_dir``.

    No URI at all means the local server (started when it was never started). The local
    server is the one whose store handover may replace on disk (``handover load --import``).

    Examples
    --------
    >>> is_local_server("neo4j+s://abc.databases.neo4j.io")
    False
    """
    from handover.engines.neo4j.localserver import local_credentials

    uri = uri or os.environ.get("NEO4J_URI") or None
    if uri is None:
        return True
    local = local_credentials(state_dir)
    return local is not None and _same_endpoint(uri, local.uri)


def open_driver(
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    state_dir: str | os.PathLike | None = None,
    **driver_options,
):
    """A :class:`neo4j.Driver` that has connected and authenticated once.

    Close it explicitly (``driver.close()`` or ``with open_driver() as driver:``);
    the 6.x driver no longer closes itself.

    Parameters
    ----------
    uri, user, password, state_dir
        As for :func:`resolve_connection`.
    **driver_options
        Passed on to :func:`neo4j.GraphDatabase.driver`.

    Raises
    ------
    EngineError
        When the server cannot be reached or refuses the local server's stored
        credentials; the message says what to do and never shows the password.
    InputError
        When the URI is not a Neo4j URI, or the server refuses a password given as an
        argument or in ``NEO4J_PASSWORD``.
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ConfigurationError, DriverError, Neo4jError

    given = ("the password given" if password is not None
             else "the password in NEO4J_PASSWORD" if os.environ.get("NEO4J_PASSWORD") is not None else None)
    uri, user, password = resolve_connection(uri, user, password, state_dir)
    shown = _redact(uri)
    auth = (user, password) if password is not None else None
    driver_options.setdefault("connection_timeout", 15.0)
    # Server notifications ("property key does not exist" on a dataset without contacts,
    # for one) would be logged as warnings on stderr in the middle of command output.
    driver_options.setdefault("notifications_min_severity", "OFF")
    try:
        driver = GraphDatabase.driver(uri, auth=auth, **driver_options)
    except (ConfigurationError, ValueError) as error:
        raise InputError(f"--neo4j-uri: {shown} is not usable: {_scrubbed(_first_line(error), uri, password)}") from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        if given:  # the user's password, not the stored one: their input to correct (exit 2)
            raise InputError(f"Neo4j at {shown} refused {given} for user {user}; check it (for the local "
                             "server, leave NEO4J_PASSWORD unset and its stored credentials are used)") from None
        raise EngineError(_auth_message(shown, user, uri, state_dir)) from None
    except (DriverError, Neo4jError, OSError) as error:
        driver.close()
        raise EngineError(f"cannot reach Neo4j at {shown}: {_scrubbed(_first_line(error), uri, password)}. "
                          "Start the local server with `handover neo4j start`, or check NEO4J_URI "
                          "/ --neo4j-uri") from None
    except BaseException:
        driver.close()
        raise
    return driver


def _auth_message(shown: str, user: str, uri: str, state_dir) -> str:
    from handover.engines.neo4j.localserver import local_credentials

    local = local_credentials(state_dir)
    if local is not None and _same_endpoint(uri, local.uri):
        return (f"the local Neo4j at {shown} refused the credentials stored in "
                f"{local.state_dir / 'credentials.json'} for user {user}; set NEO4J_PASSWORD if you "
                "changed the password")
    return (f"Neo4j at {shown} refused the credentials of user {user}; check NEO4J_USER and "
            "NEO4J_PASSWORD")


def _check_uri(uri: str) -> None:
    scheme = urlsplit(uri).scheme
    if scheme not in _SCHEMES:
        raise InputError(f"--neo4j-uri: {_redact(uri)} is not a Neo4j URI; it must start with one of "
                         f"{', '.join(s + '://' for s in _SCHEMES)}")


def _same_endpoint(uri: str, local_uri: str) -> bool:
    """Whether ``uri`` points at the local server (loopback host, same port, bolt or neo4j)."""
    try:
        given, local = urlsplit(uri), urlsplit(local_uri)
        given_port = given.port or _DEFAULT_PORT
    except ValueError:
        return False
    return (given.scheme in ("bolt", "neo4j") and (given.hostname or "") in _LOOPBACK
            and given_port == local.port)


def _redact(uri: str) -> str:
    """``uri`` without any ``user:password@`` part, for messages."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "(unparsable URI)"
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


def _scrubbed(text: str, uri: str, password: str | None) -> str:
    """``text`` (a driver's message) with the URI's user:password part and the password masked,
    and quoted values hidden (:func:`handover.privacy.redaction.redacted`).

    Examples
    --------
    >>> _scrubbed("Given URI: bolt://neo4j:s3cret@host:1", "bolt://neo4j:s3cret@host:1", None)
    'Given URI: bolt://***@host:1'
    >>> _scrubbed("Bad password s3cret for 'neo4j'", "bolt://host:1", "s3cret")
    "Bad password *** for '…'"
    """
    text = text.replace(uri, _redact(uri))
    try:
        secrets = [urlsplit(uri).password, password]
    except ValueError:
        secrets = [password]
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return redacted(text)


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


@contextmanager
def server_errors(doing: str) -> Iterator[None]:
    """Turn the driver's errors while ``doing`` something into an :class:`EngineError` that says what to do.

    A lost connection (the server stopped, the network went) and a server that refuses
    the work (a full disk, an old version) both become one message naming what was
    being done; the driver's own text is cut to its first line and never holds the
    password (it is not part of any request).
    """
    from neo4j.exceptions import DriverError, Neo4jError

    try:
        yield
    except Neo4jError as error:
        raise EngineError(f"Neo4j refused {doing}: {error.code}: {redacted(_first_line(error))}") from None
    except (DriverError, OSError) as error:
        raise EngineError(f"lost the connection to Neo4j while {doing} ({type(error).__name__}); check "
                          "that the server still runs (`handover neo4j status`, or `handover neo4j "
                          "start`) and run the command again") from None

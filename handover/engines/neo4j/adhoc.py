"""Running a user's own Cypher (``handover cypher``): read-only unless asked, parameters only.

The Community server from Maven ships no Browser and no shell, so this is the way in for a
Cypher user: a query from a file or standard input, its ``$parameters`` given as
``--param name=value``, run in a read transaction (a write is refused by the server and
changes nothing) or, with ``write=True``, in a write transaction. The records come back as
a DataFrame of plain values: nodes and relationships as maps of their labels (or type) and
properties, dates as ISO text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pandas as pd

from handover.errors import EngineError, InputError
from handover.privacy.redaction import redacted

__all__ = ["parse_params", "run_cypher", "plain_value", "MAX_QUERY_BYTES"]

#: A query file is text a person wrote; anything bigger is not one.
MAX_QUERY_BYTES = 1 << 20

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_params(given: list[str] | None) -> dict[str, Any]:
    """``--param name=value`` options as the query's parameters.

    A value that is JSON (``3``, ``true``, ``null``, ``["a", "b"]``, ``"text"``) is that
    value; ``YYYY-MM-DD`` is a date (compare it with the graph's dates as it is); anything
    else is text.

    Raises
    ------
    InputError
        When an option has no ``=``, its name is not a Cypher parameter name, or a name is
        given twice.

    Examples
    --------
    >>> parse_params(["user_id=u1", "day=2024-03-01", "days=30", "kinds=[\\"individual_plan\\"]"])
    {'user_id': 'u1', 'day': datetime.date(2024, 3, 1), 'days': 30, 'kinds': ['individual_plan']}
    >>> parse_params(['label="2024-03-01"'])
    {'label': '2024-03-01'}
    >>> parse_params(["user id=u1"])
    Traceback (most recent call last):
    ...
    handover.errors.InputError: --param user id=u1: 'user id' is not a parameter name (letters, digits and _, not first a digit)
    """
    params: dict[str, Any] = {}
    for option in given or ():
        name, equals, text = option.partition("=")
        if not equals:
            raise InputError(f"--param {option}: give it as NAME=VALUE, such as --param user_id=u1")
        if not _NAME.fullmatch(name):
            raise InputError(f"--param {option}: '{name}' is not a parameter name (letters, digits and _, "
                             "not first a digit)")
        if name in params:
            raise InputError(f"--param {name} is given twice")
        params[name] = _value_of(text)
    return params


def _value_of(text: str):
    if _DAY.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(f"--param: {text} is not a date that exists") from None
    try:
        return json.loads(text)
    except ValueError:
        return text


def run_cypher(driver, text: str, params: dict[str, Any], *, write: bool = False,
               database: str | None = None) -> pd.DataFrame:
    """Run ``text`` with ``params``; its records as a DataFrame of :func:`plain_value` values.

    Parameters
    ----------
    driver : neo4j.Driver
    text : str
        The query (comments and a trailing ``;`` allowed; one statement).
    params : dict
        Its parameters (:func:`parse_params`).
    write : bool, default False
        False: a read transaction, in which the server refuses any write. True: a write
        transaction, committed when the query succeeds.
    database : str, optional

    Raises
    ------
    InputError
        When the query writes without ``write``, has a syntax error, or uses a parameter
        not given (each named).
    EngineError
        When the server fails it otherwise (the message redacted).

    Examples
    --------
    >>> from handover.engines.neo4j.connection import open_driver
    >>> with open_driver() as driver:                                     # doctest: +SKIP
    ...     run_cypher(driver, "MATCH (u:ServiceUser) RETURN count(u) AS users", {})
    """
    from neo4j import RoutingControl
    from neo4j.exceptions import ClientError, DriverError, Neo4jError

    statement = text.strip().rstrip(";").strip()
    if not statement:
        raise InputError("the query is empty")
    try:
        records, summary, keys = driver.execute_query(
            statement, params, database_=database,
            routing_=RoutingControl.WRITE if write else RoutingControl.READ)
    except ClientError as error:
        raise InputError(_client_problem(error, write)) from None
    except Neo4jError as error:
        raise EngineError(f"Neo4j failed the query ({error.code}: {redacted(_first_line(error))})") from None
    except DriverError as error:
        raise EngineError(f"lost the connection to Neo4j while running the query ({type(error).__name__}); "
                          "check that the server runs (`handover neo4j status`)") from None
    return pd.DataFrame({key: [plain_value(record[i]) for record in records] for i, key in enumerate(keys)},
                        columns=list(keys))


def _client_problem(error, write: bool) -> str:
    code = error.code or ""
    text = _first_line(error)
    if not write and ("AccessMode" in code or ("write" in text.lower() and "read" in text.lower())):
        return ("the query writes, but it ran in a read-only transaction and changed nothing; pass --write "
                "to allow writes")
    if "ParameterMissing" in code:
        return f"{text}; give each with --param NAME=VALUE"
    if "SyntaxError" in code:
        # The user's own query, quoted back with the place: the server says line and column.
        lines = [line for line in str(error.message or text).splitlines() if line.strip()]
        return "the query is not valid Cypher: " + " ".join(lines[:3])
    return f"Neo4j refused the query ({code}: {redacted(text)})"


def _first_line(error: BaseException) -> str:
    text = (getattr(error, "message", None) or str(error) or type(error).__name__).strip()
    return text.splitlines()[0] if text else type(error).__name__


def plain_value(value):
    """A Bolt value as plain data: nodes, relationships and paths as maps, dates as ISO text.

    Examples
    --------
    >>> plain_value([1, "a", None]), plain_value({"day": dt.date(2024, 3, 1)})
    ([1, 'a', None], {'day': '2024-03-01'})
    """
    from neo4j.graph import Node, Path, Relationship
    from neo4j.time import Date, DateTime, Duration, Time

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: plain_value(v) for k, v in sorted(value.items())}}
    if isinstance(value, Relationship):
        return {"type": value.type, **{k: plain_value(v) for k, v in sorted(value.items())}}
    if isinstance(value, Path):
        return {"nodes": [plain_value(n) for n in value.nodes],
                "relationships": [plain_value(r) for r in value.relationships]}
    if isinstance(value, (Date, DateTime, Time, dt.date, dt.time)):
        return value.iso_format() if hasattr(value, "iso_format") else value.isoformat()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, list):
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    return value

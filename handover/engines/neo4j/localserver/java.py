"""Java and Maven: finding them, resolving Neo4j's classpath once, and the JVM command lines.

Neo4j Community 5.26 comes from Maven Central as ordinary jars (``org.neo4j:neo4j``);
Maven resolves them into ``~/.m2`` and prints the classpath, which is cached in the
state directory under the hash of ``pom.xml`` so that later starts never call Maven.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

from handover.errors import EngineError, InputError
from handover.engines.neo4j.localserver.state import StateDir

__all__ = ["POM", "SIZES", "find_java", "resolve_classpath", "jvm_options", "heap_size", "page_cache_size",
           "parse_size"]

#: The pom that names the Neo4j version; shipped inside the package.
POM = Path(__file__).with_name("pom.xml")

#: Neo4j 5.26 runs on Java 17 and 21; newer calendar releases would need 21+.
SUPPORTED_JAVA = (17, 21)

_INSTALL_JAVA = "install it with `apt-get install openjdk-17-jre-headless` (Debian/Ubuntu) or set JAVA_HOME"
_INSTALL_MAVEN = "install it with `apt-get install maven` (Debian/Ubuntu)"

# Neo4j's own JVM defaults for Java 17+ (from its neo4j.conf), minus those that slow a
# small local server down (AlwaysPreTouch would touch the whole heap at start-up).
_NEO4J_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    # Without this open, start-up dies with "Cannot to link java.nio.DirectByteBuffer".
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)


def find_java() -> str:
    """The ``java`` executable to run Neo4j with: ``$JAVA_HOME/bin/java``, else ``java`` on PATH.

    Raises
    ------
    EngineError
        When no ``java`` is found, or its version is not 17 or 21.
    """
    java_home = os.environ.get("JAVA_HOME")
    candidate = Path(java_home) / "bin" / "java" if java_home else None
    if candidate is not None and candidate.is_file():
        java = str(candidate)
    else:
        java = shutil.which("java")
    if java is None:
        raise EngineError(f"Java is missing: no `java` on PATH and no JAVA_HOME. Neo4j 5.26 needs "
                          f"Java 17 or 21; {_INSTALL_JAVA}.")
    version = _java_major_version(java)
    if version is not None and version < SUPPORTED_JAVA[0]:
        raise EngineError(f"{java} is Java {version}; Neo4j 5.26 needs Java 17 or 21; {_INSTALL_JAVA}.")
    return java


def _java_major_version(java: str) -> int | None:
    try:
        shown = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 and match.group(2) else major  # "1.8" is Java 8


def pom_hash() -> str:
    """The first 16 hex digits of the pom's sha256: the key of the cached classpath."""
    return hashlib.sha256(POM.read_bytes()).hexdigest()[:16]


def resolve_classpath(state: StateDir, log=None) -> str:
    """Neo4j's runtime classpath, from the cache when it is still valid, else from Maven.

    Parameters
    ----------
    state : StateDir
        Where the cache file lives.
    log : callable, optional
        Receives one progress line before Maven runs.

    Returns
    -------
    str
        Jar paths joined with ``os.pathsep``.

    Raises
    ------
    EngineError
        When Maven is missing or fails (its output's tail is in the message).
    """
    cache = state.root / f"classpath-{pom_hash()}.txt"
    if cache.exists():
        classpath = cache.read_text(encoding="utf-8").strip()
        # A cleaned ~/.m2 leaves a cache naming jars that are gone: resolve again.
        if classpath and all(Path(jar).exists() for jar in classpath.split(os.pathsep)):
            return classpath
    mvn = shutil.which("mvn")
    if mvn is None:
        raise EngineError(f"Maven is missing: no `mvn` on PATH. It is needed once to fetch Neo4j 5.26 "
                          f"from Maven Central; {_INSTALL_MAVEN}.")
    if log is not None:
        log("Resolving Neo4j 5.26 with Maven (first start only; downloads go to ~/.m2) ...")
    # Maven runs on a copy so that it never writes (target/) next to an installed package.
    pom = state.maven_dir / "pom.xml"
    shutil.copyfile(POM, pom)
    written = cache.with_name(cache.name + ".tmp")
    command = [mvn, "-q", "-B", "-f", str(pom), "dependency:build-classpath",
               f"-Dmdep.outputFile={written}", f"-Dmdep.pathSeparator={os.pathsep}"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise EngineError("Maven did not resolve Neo4j's jars within 30 minutes; "
                          "check the network connection to Maven Central") from None
    if done.returncode != 0 or not written.exists():
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise EngineError(f"Maven could not resolve Neo4j's jars (exit {done.returncode}):\n{tail}")
    os.replace(written, cache)
    for stale in state.root.glob("classpath-*.txt"):  # resolved for an earlier pom.xml
        if stale != cache:
            stale.unlink(missing_ok=True)
    return cache.read_text(encoding="utf-8").strip()


#: The server's memory settings: environment variable, default, and what its value is.
SIZES = {"HANDOVER_NEO4J_HEAP": ("2g", "a JVM heap size"),
         "HANDOVER_NEO4J_PAGECACHE": ("128m", "a page cache size")}


def heap_size() -> str:
    """The JVM heap for the server: ``$HANDOVER_NEO4J_HEAP`` (default ``2g``).

    Raises
    ------
    InputError
        When the variable is not a JVM size such as ``512m`` or ``4g``.
    """
    return parse_size("HANDOVER_NEO4J_HEAP", os.environ.get("HANDOVER_NEO4J_HEAP"))


def page_cache_size() -> str:
    """The server's page cache: ``$HANDOVER_NEO4J_PAGECACHE`` (default ``128m``).

    The page cache holds the store files in memory. A region's graph is served well from disk
    through the operating system's cache; a national one (1,000,000 users, several GiB of store)
    answers faster with a page cache near the store's size.

    Raises
    ------
    InputError
        When the variable is not a size such as ``512m`` or ``4g``.
    """
    return parse_size("HANDOVER_NEO4J_PAGECACHE", os.environ.get("HANDOVER_NEO4J_PAGECACHE"))


def parse_size(variable: str, value: str | None) -> str:
    """Check the value of one of :data:`SIZES` as the JVM takes sizes; empty means its default.

    Examples
    --------
    >>> parse_size("HANDOVER_NEO4J_HEAP", None), parse_size("HANDOVER_NEO4J_HEAP", " 512m ")
    ('2g', '512m')
    >>> parse_size("HANDOVER_NEO4J_PAGECACHE", None), parse_size("HANDOVER_NEO4J_PAGECACHE", "6g")
    ('128m', '6g')
    >>> parse_size("HANDOVER_NEO4J_HEAP", "lots")
    Traceback (most recent call last):
    ...
    handover.errors.InputError: HANDOVER_NEO4J_HEAP: lots is not a JVM heap size (such as 512m or 4g)
    """
    default, what = SIZES[variable]
    size = (value or "").strip() or default
    if not re.fullmatch(r"[1-9]\d*[kKmMgG]?", size):
        raise InputError(f"{variable}: {size} is not {what} (such as 512m or 4g)")
    return size


def jvm_options(heap: str) -> list[str]:
    """The JVM flags for the server: Neo4j's defaults for Java 17+ and the heap limit."""
    return [f"-Xmx{heap}", *_NEO4J_JVM_FLAGS]

#!/usr/bin/env python3
"""Run a real Neo4j Community 5.26 server on loopback, built from Maven Central jars.

Why this exists: tests and people need a real Neo4j (Cypher, constraints, Bolt, Browser)
on machines without Docker. Neo4j's own entry point runs fine from the jars that
``tools/neo4j-server/pom.xml`` pins, so no Java code of ours is needed:

    mvn dependency:copy-dependencies   ->  tools/neo4j-server/target/lib/*.jar (cached in ~/.m2)
    org.neo4j.cli.AdminTool            ->  sets the initial password, runs `database import full`
    org.neo4j.server.CommunityEntryPoint --home-dir=H --config-dir=H/conf --console-mode

Stdlib only; the ``neo4j`` Python driver is imported lazily for the Bolt readiness check
(without it, readiness is checked over HTTP).

Library use::

    with Neo4jServer() as server:          # temp home, free ports, auth on
        driver = GraphDatabase.driver(server.bolt_uri, auth=server.auth)

Command line::

    python tools/neo4j_server.py                 # foreground server for a person (Ctrl-C stops)
    python tools/neo4j_server.py --resolve-only  # fetch the jars only (warms ~/.m2)
    python tools/neo4j_server.py --check         # start, RETURN 1, print timings, stop

The foreground server applies the project's Browser style (neo4j/browser/style.grass) through
``browser.post_connect_cmd``; library users pass ``extra_conf=browser_style_conf()`` for the same.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

TOOL_DIR = Path(__file__).resolve().parent / "neo4j-server"
# The project's Neo4j Browser style (GraSS); see browser_style_conf() and docs/neo4j.md.
BROWSER_STYLE = Path(__file__).resolve().parent.parent / "neo4j" / "browser" / "style.grass"
POM = TOOL_DIR / "pom.xml"
LIB_DIR = TOOL_DIR / "target" / "lib"
_STAMP = LIB_DIR / ".pom.sha256"  # written last: its presence means a complete resolution
_LOCK = TOOL_DIR / "target" / ".resolve.lock"

JVM_DIR = Path("/usr/lib/jvm")  # where Debian/Ubuntu packages (and Temurin's .deb) put JDKs
SUPPORTED_JAVA = (17, 21)  # Neo4j 5.26 runs on these; newer JDKs (e.g. 25) are not supported
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
USER = "neo4j"

# The flags that Neo4j's packaged conf/neo4j.conf passes via server.jvm.additional and that matter
# here. Without the opens the server still starts, but the page cache falls back to a slower mode
# and the native file accessors log 'Incorrect file descriptor' warnings.
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+ExitOnOutOfMemoryError",
    "-Dfile.encoding=UTF-8",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
)


class Neo4jUnavailable(RuntimeError):
    """Neo4j cannot be run here: no Java 17/21, no Maven, or the jars did not resolve.

    The one error a test fixture may turn into a skip; the two below are real failures.
    """


class Neo4jStartError(RuntimeError):
    """The server failed to start or to become ready (the message has the log tail)."""


class Neo4jAdminError(RuntimeError):
    """A neo4j-admin command (e.g. `database import full`) failed; the message has its output."""


# --------------------------------------------------------------------------- toolchain


def neo4j_version() -> str:
    """The Neo4j version pinned in the pom (the single place it is written)."""
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    node = ET.parse(POM).getroot().find("m:properties/m:neo4j.version", ns)
    if node is None or not node.text:
        raise Neo4jUnavailable(f"no <neo4j.version> property in {POM}")
    return node.text.strip()


def _java_major(java_home: Path) -> int | None:
    """Major version of the JDK/JRE at java_home, from its `release` file or `java -version`."""
    java = java_home / "bin" / "java"
    if not java.is_file():
        return None
    release = java_home / "release"
    text = release.read_text(errors="replace") if release.is_file() else ""
    if not (match := re.search(r'JAVA_VERSION="(\d+)', text)):
        probe = subprocess.run([str(java), "-version"], capture_output=True, text=True)
        match = re.search(r'version "(\d+)', probe.stderr)
    return int(match.group(1)) if match else None


def find_java_home() -> Path:
    """A Java 17 or 21 home: $JAVA_HOME if it is one, else the first found under /usr/lib/jvm.

    Why: the machine's default JDK may be one Neo4j does not support (e.g. Temurin 25).
    """
    candidates: list[Path] = []
    if env := os.environ.get("JAVA_HOME"):
        candidates.append(Path(env))
    if JVM_DIR.is_dir():
        found = sorted(p.resolve() for p in JVM_DIR.iterdir() if p.is_dir())
        candidates += sorted(dict.fromkeys(found), key=lambda p: "17" not in p.name)
    for home in candidates:
        if _java_major(home) in SUPPORTED_JAVA:
            return home
    raise Neo4jUnavailable(
        f"no Java {' or '.join(map(str, SUPPORTED_JAVA))} found "
        f"(looked at $JAVA_HOME and {JVM_DIR}/*): install openjdk-17-jre-headless"
    )


def _pom_digest() -> str:
    return hashlib.sha256(POM.read_bytes()).hexdigest()


def jars_resolved() -> bool:
    """True when target/lib holds a complete copy of the jars for the current pom."""
    return _STAMP.is_file() and _STAMP.read_text().strip() == _pom_digest()


@contextlib.contextmanager
def _resolve_lock() -> Iterator[None]:
    """Serialise resolution across processes (e.g. pytest-xdist workers)."""
    _LOCK.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def resolve_jars(java_home: Path | None = None) -> Path:
    """Copy Neo4j's jars into tools/neo4j-server/target/lib once; return that directory.

    Skipped when the stamp matches the pom. The directory is wiped first so that jars of an
    older pinned version never end up on the classpath next to the new ones.
    """
    if jars_resolved():
        return LIB_DIR
    java_home = java_home or find_java_home()
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jUnavailable("Maven (mvn) is not on PATH: install maven")
    with _resolve_lock():
        if jars_resolved():  # another process finished it while we waited
            return LIB_DIR
        shutil.rmtree(LIB_DIR, ignore_errors=True)
        cmd = [mvn, "-q", "-B", "-Dstyle.color=never", "-f", str(POM),
               "dependency:copy-dependencies", f"-DoutputDirectory={LIB_DIR}"]
        env = {**os.environ, "JAVA_HOME": str(java_home)}
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if proc.returncode != 0 or not any(LIB_DIR.glob("neo4j-*.jar")):
            output = (proc.stdout + proc.stderr).strip().splitlines()
            raise Neo4jUnavailable(
                f"resolving Neo4j jars failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                + "\n".join(output[-30:])
            )
        _STAMP.write_text(_pom_digest() + "\n")
    return LIB_DIR


# --------------------------------------------------------------------------- helpers


def free_port() -> int:
    """A loopback TCP port that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_is_free(port: int) -> bool:
    """True when 127.0.0.1:port can be bound (used to prefer 7687/7474 for a person)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # as servers do: a port whose old connections sit in TIME_WAIT is still usable
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def generate_password() -> str:
    """16 letters/digits: ≥ 8 characters as Neo4j requires, and never parsed as a CLI option."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(16))


def _die_with_parent() -> None:
    """preexec_fn: ask Linux to SIGTERM the JVM if this Python process dies (no orphan JVMs)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def _tail(path: Path, lines: int = 40) -> str:
    if not path.is_file():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# --------------------------------------------------------------------------- Browser style


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """A GraSS style sheet as Neo4j Browser 5.24 reads it: ``{selector: {property: value}}``.

    The same algorithm as Browser's own ``parseGrass`` (used by ``:style``, drag and drop and the
    post-connect command), so what parses here parses there: quotes (' or ") are dropped and
    protect braces, rules are split on ';' and each on ':' (a value may hold no ':'), and there
    are no comments (text between rules becomes part of the next selector).
    """
    rules: dict[str, str] = {}
    in_quotes = in_rule = False
    selector = body = ""
    for char in text:
        if char in "'\"":
            in_quotes = not in_quotes
            continue
        if char == "{" and not in_quotes:
            in_rule = True
            continue
        if char == "}" and not in_quotes:
            in_rule = False
            rules[selector], selector, body = body, "", ""
            continue
        if in_rule:
            body += char
        elif not char.isspace():
            selector += char
    parsed: dict[str, dict[str, str]] = {}
    for name, block in rules.items():
        props: dict[str, str] = {}
        for declaration in block.split(";"):
            parts = declaration.split(":")
            if len(parts) == 2:
                props[parts[0].strip()] = parts[1].strip()
        parsed[name] = props
    return parsed


def browser_style_command(grass: Path = BROWSER_STYLE) -> str:
    """``style {...}``: a Browser command applying the style sheet inline, as one line of JSON.

    Browser 5.24's ``:style`` takes a URL (fetched only from hosts in
    ``browser.remote_content_hostname_whitelist``) or the style itself, as GraSS or JSON. JSON is
    the form that survives ``browser.post_connect_cmd``, which splits commands on ';' outside
    quotes (GraSS rules are full of them) and prefixes each with ':'.
    """
    style = parse_grass(grass.read_text(encoding="utf-8"))
    if not style:
        raise ValueError(f"{grass} holds no GraSS rules")
    return "style " + json.dumps(style, ensure_ascii=False, separators=(",", ":"))


def browser_style_yaml(grass: Path = BROWSER_STYLE, indent: int = 8) -> str:
    """The post-connect command as a YAML folded scalar, one rule a line, for docker-compose.yml.

    Folding joins the lines with single spaces, which JSON ignores between its tokens.
    """
    style = parse_grass(grass.read_text(encoding="utf-8"))
    rules = [json.dumps({k: v}, ensure_ascii=False, separators=(",", ":"))[1:-1] for k, v in style.items()]
    text = "style {" + ",\n".join(rules) + "}"
    return ">-\n" + "\n".join(" " * indent + line for line in text.splitlines())


def browser_style_conf(grass: Path = BROWSER_STYLE) -> dict[str, str]:
    """neo4j.conf settings that make Browser apply ``grass`` for every user on connect."""
    return {"browser.post_connect_cmd": browser_style_command(grass)}


# --------------------------------------------------------------------------- server


class Neo4jServer:
    """A throwaway Neo4j Community server on 127.0.0.1 with auth on, in a temp home.

    Lifecycle: ``prepare()`` (home, conf, password; implied by ``start()``) -> optional
    ``import_full()`` -> ``start()`` -> ``stop()``. Use as a context manager.
    Ports 0 mean "pick free ones"; a bind clash on picked ports is retried once.
    """

    def __init__(
        self,
        *,
        password: str | None = None,
        bolt_port: int = 0,
        http_port: int = 0,
        heap: str = "512m",
        pagecache: str = "128m",
        startup_timeout: float = 600.0,
        keep_home: bool = False,
        java_home: Path | None = None,
        extra_conf: Mapping[str, str] | None = None,
    ) -> None:
        self.user = USER
        self.password = password or generate_password()
        if len(self.password) < 8 or self.password == USER:
            raise ValueError("Neo4j needs a password of at least 8 characters, not 'neo4j'")
        self.heap = heap
        self.pagecache = pagecache
        self.startup_timeout = startup_timeout
        self.keep_home = keep_home
        self._requested_ports = (bolt_port, http_port)
        self.bolt_port, self.http_port = bolt_port, http_port
        self._java_home = java_home
        # neo4j.conf lines on top of (and replacing) the ones this class writes: strict validation
        # stops the server on a repeated key, so a key given here is written once, with this value.
        self.extra_conf = dict(extra_conf or {})
        for key, value in self.extra_conf.items():
            if not key or any(c in f"{key}{value}" for c in "\r\n") or "=" in key:
                raise ValueError(f"extra_conf entry {key!r} must be one line with a key free of '='")
        self._home: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    # -- public properties

    @property
    def home(self) -> Path:
        if self._home is None:
            raise RuntimeError("server home not prepared yet")
        return self._home

    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def log_path(self) -> Path:
        """The server's console output (what `neo4j console` prints); read it when a test fails."""
        return self.home / "neo4j-console.log"

    @property
    def debug_log_path(self) -> Path:
        return self.home / "logs" / "debug.log"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_uri(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def browser_url(self) -> str:
        return f"{self.http_uri}/browser/"

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        return _tail(self.log_path, lines)

    def wait(self) -> int:
        """Block until the server process exits by itself; return its exit code."""
        if self._proc is None:
            raise RuntimeError("server not started")
        return self._proc.wait()

    # -- lifecycle

    def prepare(self) -> Neo4jServer:
        """Resolve jars, make the temp home with conf/neo4j.conf and set the initial password."""
        if self._home is not None:
            return self
        self._java_home = self._java_home or find_java_home()
        resolve_jars(self._java_home)
        self._home = Path(tempfile.mkdtemp(prefix="neo4j-"))
        for sub in ("conf", "data", "logs", "run", "import", "plugins"):
            (self.home / sub).mkdir()
        self._pick_ports()
        self._write_conf()
        try:
            self._admin_checked("dbms", "set-initial-password", "--", self.password)
        except Neo4jAdminError as exc:
            raise Neo4jStartError(str(exc)) from exc
        return self

    def start(self) -> Neo4jServer:
        """Start the JVM and block until Bolt and HTTP answer (retry once on a port clash)."""
        self.prepare()
        try:
            self._launch_and_wait()
        except Neo4jStartError:
            if not (self._auto_ports and self._clashed()):
                raise
            self._pick_ports()
            self._write_conf()
            self._launch_and_wait()
        return self

    def stop(self, *, remove_home: bool | None = None) -> None:
        """SIGTERM (a clean shutdown takes ~1-2 s), wait, SIGKILL if needed; drop the temp home."""
        self._terminate()
        if remove_home is None:
            remove_home = not self.keep_home
        if remove_home and self._home is not None:
            shutil.rmtree(self._home, ignore_errors=True)
            self._home = None

    def __enter__(self) -> Neo4jServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- admin tool

    def run_admin(self, *args: str, heap: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run `neo4j-admin ARGS` (org.neo4j.cli.AdminTool) against this home; no check."""
        self.prepare()
        cmd = [str(self._java()), *JVM_FLAGS]
        if heap:
            cmd.append(f"-Xmx{heap}")
        cmd += ["-cp", f"{LIB_DIR}/*", ADMIN_TOOL, *args]
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.conf_dir)}
        return subprocess.run(cmd, env=env, capture_output=True, text=True)

    def import_full(
        self,
        nodes: Sequence[str],
        relationships: Sequence[str] = (),
        *,
        database: str = "neo4j",
        extra_args: Sequence[str] = (),
    ) -> str:
        """`neo4j-admin database import full` into this (stopped) server; returns its output.

        ``nodes`` / ``relationships`` are the values of --nodes / --relationships, e.g.
        ``"Country=/abs/countries.csv"``. Call before ``start()`` (or after
        ``stop(remove_home=False)`` with ``extra_args=["--overwrite-destination"]``).
        The bad-entries report goes to ``home/import.report`` (neo4j-admin's default is the
        current directory, which would litter the work tree).
        """
        if self.running:
            raise RuntimeError("import full needs the server stopped")
        args = ["database", "import", "full", *extra_args]
        if not any(arg.startswith("--report-file") for arg in extra_args):
            args.append(f"--report-file={self.home / 'import.report'}")
        args += [f"--nodes={spec}" for spec in nodes]
        args += [f"--relationships={spec}" for spec in relationships]
        return self._admin_checked(*args, "--", database).stdout

    # -- internals

    @property
    def _auto_ports(self) -> bool:
        return 0 in self._requested_ports

    def _java(self) -> Path:
        assert self._java_home is not None
        return self._java_home / "bin" / "java"

    def _admin_checked(self, *args: str) -> subprocess.CompletedProcess[str]:
        proc = self.run_admin(*args)
        if proc.returncode != 0:
            raise Neo4jAdminError(
                f"neo4j-admin {' '.join(args[:3])} failed (exit {proc.returncode}):\n"
                + (proc.stdout + proc.stderr).strip()
            )
        return proc

    def _pick_ports(self) -> None:
        bolt, http = self._requested_ports
        self.bolt_port = bolt or free_port()
        self.http_port = http or free_port()
        while self.http_port == self.bolt_port:
            self.http_port = free_port()

    def _write_conf(self) -> None:
        """conf/neo4j.conf: loopback only, auth on, bounded memory, everything inside the home.

        Strict validation is on in Neo4j 5: an unknown or repeated key stops the server (exit 3).
        """
        home = self.home
        settings = {
            "server.default_listen_address": "127.0.0.1",
            "server.default_advertised_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{self.bolt_port}",
            "server.bolt.advertised_address": f"127.0.0.1:{self.bolt_port}",
            "server.http.listen_address": f"127.0.0.1:{self.http_port}",
            "server.http.advertised_address": f"127.0.0.1:{self.http_port}",
            "server.https.enabled": "false",
            "dbms.security.auth_enabled": "true",
            "server.memory.heap.initial_size": self.heap,
            "server.memory.heap.max_size": self.heap,
            "server.memory.pagecache.size": self.pagecache,
            "dbms.usage_report.enabled": "false",
            "client.allow_telemetry": "false",  # Browser: no usage data, no consent banner
            "server.directories.data": str(home / "data"),
            "server.directories.logs": str(home / "logs"),
            "server.directories.run": str(home / "run"),
            "server.directories.import": str(home / "import"),
            "server.directories.plugins": str(home / "plugins"),
            # Netty waits a 5 s quiet period per event-loop group on shutdown (10 s in all).
            "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
        }
        settings |= self.extra_conf
        text = "".join(f"{key}={value}\n" for key, value in settings.items())
        (self.conf_dir / "neo4j.conf").write_text(text)

    def _server_command(self) -> list[str]:
        return [
            str(self._java()), *JVM_FLAGS, f"-Xms{self.heap}", f"-Xmx{self.heap}",
            "-cp", f"{LIB_DIR}/*", ENTRY_POINT,
            f"--home-dir={self.home}", f"--config-dir={self.conf_dir}", "--console-mode",
        ]

    def _launch_and_wait(self) -> None:
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.conf_dir)}
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                self._server_command(), cwd=self.home, env=env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C in a terminal reaches us, not the JVM
                preexec_fn=_die_with_parent,
            )
        try:
            self._wait_ready()
        except BaseException:
            self._terminate()
            raise

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        last_error = "not tried"
        while time.monotonic() < deadline:
            assert self._proc is not None
            if (code := self._proc.poll()) is not None:
                raise Neo4jStartError(
                    f"Neo4j exited with code {code} during start (e.g. port in use, invalid "
                    f"config); log {self.log_path}:\n{self.log_tail()}"
                )
            try:
                self._check_ready()
                return
            except _NotReady as exc:
                last_error = str(exc)
            time.sleep(0.5)
        raise Neo4jStartError(
            f"Neo4j not ready after {self.startup_timeout:.0f} s ({last_error}); "
            f"log {self.log_path}:\n{self.log_tail()}"
        )

    def _check_ready(self) -> None:
        """HTTP discovery answers, then Bolt with auth (driver) or, lacking it, HTTP Query API."""
        try:
            with urllib.request.urlopen(self.http_uri + "/", timeout=2) as resp:
                resp.read()
        except (OSError, urllib.error.URLError) as exc:
            raise _NotReady(f"HTTP: {exc}") from exc
        try:
            import neo4j
        except ImportError:
            try:
                http_query(self, "RETURN 1")
            except (OSError, urllib.error.URLError) as exc:
                raise _NotReady(f"HTTP query: {exc}") from exc
            return
        try:
            with neo4j.GraphDatabase.driver(
                self.bolt_uri, auth=self.auth, connection_timeout=2
            ) as driver:
                driver.verify_connectivity()
                driver.execute_query("RETURN 1")
        except neo4j.exceptions.AuthError as exc:
            raise Neo4jStartError(f"Neo4j rejected the password: {exc}") from exc
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise _NotReady(f"Bolt: {exc!r}") from exc

    def _clashed(self) -> bool:
        return "Address already in use" in self.log_tail(200)

    def _terminate(self, timeout: float = 60.0) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class _NotReady(Exception):
    """Internal: the server is up but not answering yet."""


def http_query(server: Neo4jServer, statement: str, database: str = "neo4j") -> dict[str, Any]:
    """Run one Cypher statement over Neo4j's HTTP Query API (stdlib only); returns its JSON."""
    token = base64.b64encode(f"{server.user}:{server.password}".encode()).decode()
    request = urllib.request.Request(
        f"{server.http_uri}/db/{database}/query/v2",
        data=json.dumps({"statement": statement}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json",
                 "Authorization": f"Basic {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as resp:
        result: dict[str, Any] = json.load(resp)
        return result


# --------------------------------------------------------------------------- command line


def _person_port(requested: int | None, default: int) -> int:
    """An explicit port wins; else the usual Neo4j port if free; else 0 (pick a free one)."""
    if requested is not None:
        return requested
    return default if port_is_free(default) else 0


def _print_block(server: Neo4jServer) -> None:
    print(
        f"\nNeo4j {neo4j_version()} Community is running (pid {server.pid})\n"
        f"  Bolt URI : {server.bolt_uri}\n"
        f"  Browser  : {server.browser_url}\n"
        f"  User     : {server.user}\n"
        f"  Password : {server.password}\n"
        f"  Style    : {'applied on connect (browser.post_connect_cmd)' if 'browser.post_connect_cmd' in server.extra_conf else 'default'}\n"
        f"  Home     : {server.home}  (deleted on stop)\n"
        f"  Log      : {server.log_path}\n"
        "Press Ctrl-C to stop.\n",
        flush=True,
    )


def _check(server: Neo4jServer) -> None:
    """--check: start, RETURN 1, stop, with timings."""
    t0 = time.monotonic()
    resolve_jars()
    t1 = time.monotonic()
    server.start()
    t2 = time.monotonic()
    try:
        values = http_query(server, "RETURN 1 AS one")["data"]["values"]
        if values != [[1]]:
            raise Neo4jStartError(f"RETURN 1 gave {values!r}")
    finally:
        t3 = time.monotonic()
        server.stop()
    t4 = time.monotonic()
    print(f"Neo4j {neo4j_version()} OK: resolve {t1 - t0:.1f} s, start to ready {t2 - t1:.1f} s, "
          f"RETURN 1 {t3 - t2:.2f} s, stop {t4 - t3:.1f} s")


def _serve(server: Neo4jServer) -> int:
    """Foreground server for a person: block until Ctrl-C / SIGTERM or the server dies."""
    def on_sigterm(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        server.start()
        _print_block(server)
        code = server.wait()
        print(f"Neo4j exited by itself with code {code}; log tail:\n{server.log_tail()}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopping Neo4j...", flush=True)
        return 0
    finally:
        server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--password", help="initial password for user neo4j (default: random)")
    parser.add_argument("--bolt-port", type=int, help="default 7687 if free, else random (0)")
    parser.add_argument("--http-port", type=int, help="default 7474 if free, else random (0)")
    parser.add_argument("--heap", default="512m", help="JVM heap (default 512m)")
    parser.add_argument("--pagecache", default="128m", help="page cache (default 128m)")
    parser.add_argument("--style", type=Path, default=BROWSER_STYLE,
                        help="GraSS file Browser applies on connect (default neo4j/browser/style.grass)")
    parser.add_argument("--no-style", action="store_true", help="leave Browser's default style")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--resolve-only", action="store_true", help="only fetch the jars")
    mode.add_argument("--check", action="store_true", help="start, RETURN 1, print timings, stop")
    mode.add_argument("--print-style", action="store_true",
                      help="print the post-connect style command as YAML for docker-compose.yml")
    args = parser.parse_args(argv)
    extra_conf = None
    if not args.no_style and args.style.is_file():
        extra_conf = browser_style_conf(args.style)
    elif not args.no_style and args.style != BROWSER_STYLE:
        parser.error(f"--style {args.style}: no such file")
    if args.print_style:
        print(f"NEO4J_browser_post__connect__cmd: {browser_style_yaml(args.style)}")
        return 0
    try:
        if args.resolve_only:
            started = time.monotonic()
            print(f"Neo4j {neo4j_version()} jars in {resolve_jars()} "
                  f"({time.monotonic() - started:.1f} s)")
            return 0
        if args.check:  # a check must not collide with a server someone is using
            bolt_port, http_port = args.bolt_port or 0, args.http_port or 0
        else:
            bolt_port = _person_port(args.bolt_port, 7687)
            http_port = _person_port(args.http_port, 7474)
        server = Neo4jServer(
            password=args.password,
            bolt_port=bolt_port,
            http_port=http_port,
            heap=args.heap,
            pagecache=args.pagecache,
            extra_conf=extra_conf,
        )
        if args.check:
            _check(server)
            return 0
        return _serve(server)
    except Neo4jUnavailable as exc:
        print(f"Neo4j unavailable: {exc}", file=sys.stderr)
        return 2
    except (Neo4jStartError, Neo4jAdminError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""Who may write, checked on the server: the session (Flask-Login over the accounts file,
``etl.storage.accounts``; the sign-in pages are ``dashboard.login``), roles, the check every write callback
makes (``needs``), an Origin check on every POST, the private mode's gate, and the security headers.

Two modes. ``local`` (``python -m dashboard`` on 127.0.0.1 while no account exists): nobody signs in; writes
are accepted only from this machine (client address and Host header both loopback), as the machine's login.
``team`` (``make serve``, another address, or once an account exists): reading is open (unless ``private``),
each write needs a signed-in account with the role, and the server refuses to start without an admin.
"""

from __future__ import annotations

import csv
import functools
import getpass
import io
import ipaddress
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import flask
import flask_login
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import Forbidden

from dashboard.i18n import t
from etl.storage import accounts

log = logging.getLogger("dashboard.auth")
audit = logging.getLogger("dashboard.audit")

SESSION_MINUTES = float(os.environ.get("POVERTY_SESSION_MINUTES", "30"))  # inactivity before a session ends
PUBLIC_PREFIXES = ("/login", "/logout", "/assets/", "/_dash-component-suites/", "/_favicon.ico")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Settings:
    mode: str  # local, team
    accounts: Path
    private: bool = False  # reading needs an account too
    read_only: bool = False  # no writes at all
    origins: tuple[str, ...] = ()  # origins accepted besides the server's own (a proxy's public address)


class SignedIn(flask_login.UserMixin):
    """A signed-in account as Flask-Login holds it; its id is the session's (``accounts.open_session``) and
    the password stamp."""

    def __init__(self, account: accounts.Account, sid: str):
        self.account, self.sid = account, sid

    def get_id(self) -> str:
        return f"{self.account.stamp}:{self.sid}"


@dataclass(frozen=True)
class Actor:
    """Who is making the current request: name, role and how the name is known (account or local)."""

    name: str
    role: str
    auth: str

    def may(self, role: str) -> bool:
        return accounts.ROLES.index(self.role) >= accounts.ROLES.index(role)


def settings() -> Settings:
    return flask.current_app.config["POVERTY_AUTH"]


def address() -> str:
    """The client's address ('' outside a request)."""
    return (flask.request.remote_addr or "") if flask.has_request_context() else ""


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _local_request() -> bool:
    """From this machine, to this machine's name (a page on another site that rebinds its name to 127.0.0.1
    sends its own Host)."""
    host = urlsplit("//" + flask.request.host).hostname or ""
    return _is_loopback(address()) and host in LOOPBACK_HOSTS


def current() -> Actor | None:
    """The account (or, in local mode, the machine's login) behind this request; None for anonymous (and
    outside a request: a page rendered by code is rendered for nobody)."""
    if not flask.has_request_context():
        return None
    conf = settings()
    if conf.mode == "local":
        return Actor(flask.current_app.config["POVERTY_LOCAL_USER"], "editor", "local") if _local_request() else None
    user = flask_login.current_user
    if user is None or not user.is_authenticated:
        return None
    return Actor(user.account.name, user.account.role, "account")


def may(role: str) -> bool:
    """Whether the current request may do what ``role`` may (always, for viewer, unless private)."""
    conf = settings()
    if role != "viewer" and conf.read_only:
        return False
    actor = current()
    if actor is None:
        return role == "viewer" and not conf.private
    return actor.may(role)


def require(role: str) -> Actor:
    """The actor, when it has ``role``; 403 (werkzeug Forbidden) otherwise, before anything is written."""
    actor = current()
    if not may(role) or actor is None:
        log.warning("refused: %s needs %s, request from %s as %s", flask.request.path, role, address(),
                    actor.name if actor else "anonymous")
        raise Forbidden(f"需要{t('role_' + role)}权限 / needs the {role} role")
    return actor


def needs(role: str):
    """Decorator for a write callback: ``require(role)`` runs first, inside the callback itself."""

    def wrap(func):
        @functools.wraps(func)
        def checked(*args, **kwargs):
            require(role)
            return func(*args, **kwargs)

        return checked

    return wrap


def record(action: str, detail: str) -> None:
    """One audit line for a write (who, how known, from where, what; never a secret): on the server's log, and
    appended to ``audit.csv`` beside the database, which rebuilds leave alone."""
    actor = current()
    who, how = (actor.name, actor.auth) if actor else ("-", "-")
    where = address() or "-"
    audit.info("%s by %s (%s) from %s: %s", action, who, how, where, detail)
    if flask.has_app_context() and "POVERTY_DB" in flask.current_app.config:
        path = Path(flask.current_app.config["POVERTY_DB"]).parent / "audit.csv"
        line = io.StringIO()
        if not path.exists():
            line.write("at,who,auth,address,action,detail\r\n")
        csv.writer(line).writerow([datetime.now(UTC).isoformat(timespec="seconds"), who, how, where, action, detail])
        with path.open("a", encoding="utf-8", newline="") as f:
            f.write(line.getvalue())  # one write: lines from several workers do not interleave


# --- requests ------------------------------------------------------------------------------------------


def _origin_of(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def same_origin() -> bool:
    """Whether a POST says it comes from a page of this server (its Origin, else its Referer)."""
    sent = flask.request.headers.get("Origin")
    sent = _origin_of(sent) if sent and sent != "null" else _origin_of(flask.request.headers.get("Referer"))
    own = flask.request.host_url.rstrip("/")
    return sent is not None and (sent == own or sent in settings().origins)


def _before() -> flask.Response | None:
    req = flask.request
    if req.method not in ("GET", "HEAD", "OPTIONS") and not same_origin():
        log.warning("refused a cross-site %s %s from %s (Origin %r, Referer %r)", req.method, req.path, address(),
                    req.headers.get("Origin"), req.headers.get("Referer"))
        return flask.Response("跨站请求被拒绝 / cross-site request refused\n", 403, mimetype="text/plain")
    if settings().private and current() is None and not req.path.startswith(PUBLIC_PREFIXES):
        if req.method == "GET" and not req.path.startswith("/_dash"):
            return flask.redirect(login_url(req.full_path if req.query_string else req.path))
        return flask.Response("需要登录 / sign in first\n", 401, mimetype="text/plain")
    return None


def _csp(app) -> str:
    hashes = flask.current_app.config.get("POVERTY_CSP_HASHES")
    if hashes is None:  # once every page's inline scripts (clientside callbacks) are registered
        hashes = flask.current_app.config["POVERTY_CSP_HASHES"] = " ".join(app.csp_hashes())
    return ("default-src 'self'; "
            f"script-src 'self' {hashes}; "
            "style-src 'self' 'unsafe-inline'; "  # Dash, plotly, AG Grid inject inline styles
            "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def _headers(app, response: flask.Response) -> flask.Response:
    response.headers["Content-Security-Policy"] = _csp(app)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if flask.request.path.startswith(("/login", "/logout")):
        response.headers["Cache-Control"] = "no-store"
    return response


def login_url(target: str, lang: str = "zh") -> str:
    """The sign-in page, in ``lang``, coming back to ``target`` afterwards."""
    return "/login?" + urlencode({"next": target} | ({"lang": "en"} if lang == "en" else {}))


class _Sessions(SecureCookieSessionInterface):
    """Flask's signed cookie session, its cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or flask.request.is_secure


def init(app, conf: Settings) -> None:
    """Install sign-in, the checks on every request and the headers on ``app`` (a Dash app)."""
    server = app.server
    _log_to_stderr()
    server.config["POVERTY_AUTH"] = conf
    server.config["POVERTY_LOCAL_USER"] = _login_name()
    server.secret_key = (accounts.secret_key(conf.accounts) if conf.mode == "team" else secrets.token_hex(32))
    server.config.update(SESSION_COOKIE_NAME="poverty_session", SESSION_COOKIE_HTTPONLY=True,
                         SESSION_COOKIE_SAMESITE="Lax", PERMANENT_SESSION_LIFETIME=timedelta(minutes=SESSION_MINUTES),
                         SESSION_REFRESH_EACH_REQUEST=True)
    server.session_interface = _Sessions()
    manager = flask_login.LoginManager()
    manager.session_protection = "strong"  # a session moved to another address or browser ends
    manager.init_app(server)  # dashboard.login adds the user loader and the /login, /logout routes
    server.before_request(_before)
    server.after_request(functools.partial(_headers, app))


def _log_to_stderr() -> None:
    """Sign-ins, refusals and the audit of writes on stderr (the server's log), unless logging is set up."""
    root = logging.getLogger("dashboard")
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


# --- modes ---------------------------------------------------------------------------------------------


def choose_mode(host: str, team: bool, path: Path) -> str:
    """local on a loopback address while no account exists (unless ``team``); team otherwise."""
    return "local" if not team and _is_loopback_name(host) and not accounts.all_accounts(path) else "team"


def _is_loopback_name(host: str) -> bool:
    return host in LOOPBACK_HOSTS or _is_loopback(host)


def startup_refusal(mode: str, read_only: bool, path: Path) -> str | None:
    """Why a team server must not start (writes enabled and no admin account), with how to make one."""
    if mode != "team" or read_only or accounts.has_admin(path):
        return None
    return (f"没有管理员账号（{path}），团队模式不能开放写入。先创建一个：\n"
            f"No admin account in {path}: a team server will not start with writes enabled. Make one:\n"
            f"  python -m etl users add NAME --role admin --accounts {path}\n"
            "(or serve read-only: POVERTY_READ_ONLY=1 make serve, python -m dashboard --read-only)")

"""The sign-in page (Chinese, English with ``?lang=en``), sign-in with its limits per account and per address,
sign-out, and the loader that turns a session back into its account (``dashboard.auth`` holds the rest)."""

from __future__ import annotations

import logging

import flask
import flask_login
from markupsafe import escape

from dashboard.auth import SignedIn, address, login_url, settings
from dashboard.i18n import lang_of, t
from etl.storage import accounts

log = logging.getLogger("dashboard.auth")

ACCOUNT_LIMIT = 5  # failed sign-ins a minute, per account name
ADDRESS_LIMIT = 10  # and per client address


def _safe_next(target: str | None) -> str:
    """A path on this server to go back to (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target \
            or any(c < " " or c == "\x7f" for c in target):  # browsers read \ as / and drop tabs and newlines
        return "/"
    return target


def login_page(lang: str, target: str, message: str = "", status: int = 200) -> flask.Response:
    """The sign-in form (Chinese, or English with ``?lang=en``)."""
    other = "zh" if lang == "en" else "en"
    local = settings().mode == "local"
    form = "" if local else f"""
  <form method="post" action="/login" class="panel login-form">
    <input type="hidden" name="next" value="{escape(target)}"><input type="hidden" name="lang" value="{lang}">
    <div class="control"><label for="login-name">{t('login_name', lang)}</label>
      <input id="login-name" name="name" autocomplete="username" required autofocus></div>
    <div class="control"><label for="login-password">{t('login_password', lang)}</label>
      <input id="login-password" name="password" type="password" autocomplete="current-password" required></div>
    <button type="submit" class="button" id="login-submit">{t('login_submit', lang)}</button>
  </form>"""
    note = f'<p class="muted" id="login-local">{t("login_local", lang)}</p>' if local else ""
    error = f'<p class="error-box" id="login-error" role="alert">{escape(message)}</p>' if message else ""
    html = f"""<!DOCTYPE html>
<html lang="{'en' if lang == 'en' else 'zh-CN'}"><head><meta charset="utf-8">
<title>{t('login_title', lang)} · {t('app_title', lang)}</title><link rel="stylesheet" href="/assets/style.css">
</head><body><div class="page page-login">
<header class="topbar"><a class="brand" href="{'/?lang=en' if lang == 'en' else '/'}">{t('app_title', lang)}</a>
<nav></nav><a class="lang-toggle" id="login-lang" href="{escape(login_url(target, other))}">
{t('lang_toggle', lang)}</a>
</header><main class="content"><h1>{t('login_title', lang)}</h1>{error}{note}{form}
<p><a href="{escape(target)}">{t('login_back', lang)}</a></p></main></div></body></html>"""
    return flask.Response(html, status, mimetype="text/html")


def _login_get() -> flask.Response:
    args = flask.request.args
    return login_page(lang_of(args.get("lang")), _safe_next(args.get("next")))


def _login_post() -> flask.Response:
    form = flask.request.form
    lang, target = lang_of(form.get("lang")), _safe_next(form.get("next"))
    if settings().mode == "local":  # nobody signs in (and no accounts file is made)
        return login_page(lang, target)
    name, password = (form.get("name") or "").strip(), form.get("password") or ""
    path, where = settings().accounts, address()
    by_name, by_address = accounts.recent_failures(path, name, where)
    if by_name >= ACCOUNT_LIMIT or by_address >= ADDRESS_LIMIT:
        accounts.record_attempt(path, name, where, "limited")
        log.warning("sign-in refused (too many failures) for %r from %s", name, where)
        return login_page(lang, target, t("login_limited", lang), 429)
    account = accounts.check(path, name, password)
    if account is None:
        accounts.record_attempt(path, name, where, "bad")
        log.warning("sign-in failed for %r from %s", name, where)
        return login_page(lang, target, t("login_failed", lang), 401)
    accounts.record_attempt(path, name, where, "ok")
    flask.session.clear()
    flask_login.login_user(SignedIn(account, accounts.open_session(path, account.name)))
    flask.session.permanent = True  # expires SESSION_MINUTES after the last request
    log.info("signed in: %s (%s) from %s", account.name, account.role, where)
    return flask.redirect(target)


def _logout() -> flask.Response:
    user = flask_login.current_user
    if user.is_authenticated:
        accounts.close_session(settings().accounts, user.sid)
    flask_login.logout_user()
    flask.session.clear()
    return flask.redirect(_safe_next(flask.request.form.get("next")))


def _load(user_id: str) -> SignedIn | None:
    stamp, _, sid = user_id.partition(":")
    account = accounts.session_account(settings().accounts, sid)
    if account is None or account.disabled or account.stamp != stamp:
        return None
    return SignedIn(account, sid)


def register(server: flask.Flask) -> None:
    """The user loader and the /login, /logout routes (after ``dashboard.auth.init``)."""
    server.login_manager.user_loader(_load)
    server.add_url_rule("/login", "login", _login_get, methods=["GET"])
    server.add_url_rule("/login", "login_post", _login_post, methods=["POST"])
    server.add_url_rule("/logout", "logout", _logout, methods=["POST"])

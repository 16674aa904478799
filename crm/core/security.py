"""Security headers with a per-request CSP nonce: inline script runs only with the nonce."""

from __future__ import annotations

import secrets

from flask import g, request

__all__ = ["csp_nonce", "init_app"]


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def init_app(app) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def security_headers(response):
        nonce = csp_nonce()
        # A response with a policy of its own keeps it (an evidence file's download: sandbox).
        response.headers.setdefault(
            "Content-Security-Policy",
            (
                "default-src 'self'; "
                f"script-src 'self' 'nonce-{nonce}'; "
                "style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
                "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
            ),
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        # Pages, exports and API answers hold a user's data: no browser or proxy cache may
        # keep them (the back button after logout, a shared office computer). Static files
        # and the few answers that chose a lifetime (vendored scripts, the calendar feed)
        # keep theirs.
        if request.endpoint != "static" and response.cache_control.max_age is None:
            response.headers["Cache-Control"] = "no-store"
        return response

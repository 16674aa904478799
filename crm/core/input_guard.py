"""Text the application cannot store or read, refused before any view sees it.

PostgreSQL refuses the NUL character (U+0000) in text, a lone UTF-16 surrogate
(``"\\ud800"`` in JSON) cannot be encoded as UTF-8 at all, a percent-escape that is not
UTF-8 (``%ED%A0%80``) is no text, and a JSON document nested thousands deep exhausts
Python's recursion. Each used to end in a 500, on one database or both. The rule lives
here, once, for every way input arrives:

- query strings (every page and API answer): refused with 422 naming the parameter;
- JSON bodies (API and the board's drag and drop): 422 naming the field, 400 when nested
  deeper than ``MAX_JSON_DEPTH``;
- form fields: each form (``crm.core.forms.Form``) shows the message beside the field, with
  the user's other input kept, and the page answers 422;
- uploaded JSON documents (chain import): ``load_json`` gives the importer the message.

Refused, never silently stripped: a name saved without the character the user sent is
not the name they typed.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote_to_bytes

import flask
from flask import abort, g, request
from flask_babel import gettext as _

from crm.core.errors import ServiceError

__all__ = [
    "answer_422_for_refused_forms",
    "BadInput",
    "init_app",
    "json_errors",
    "load_json",
    "MAX_JSON_DEPTH",
    "note_refusal_shown",
    "pair_errors",
    "refuse_bad_input",
    "refused_form_fields",
    "Request",
    "shown_name",
    "text_problem",
    "too_deep",
    "undecodable_fields",
    "without_bad_characters",
]

MAX_JSON_DEPTH = 32  # the deepest real document (a chain import) is 4 levels
_SURROGATE = re.compile("[\ud800-\udfff]")
_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


class BadInput(ServiceError):
    """Input refused by this module: 422 for characters, 400 for a body that cannot be read."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None, status: int = 422):
        super().__init__(message, errors)
        self.status = status


def too_deep(max_depth: int = MAX_JSON_DEPTH) -> BadInput:
    """The refusal of a JSON document nested deeper than ``max_depth`` (400: it is not read)."""
    return BadInput(_("JSON 嵌套层数过多（最多 %(depth)s 层）", depth=max_depth), status=400)


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None.

    >>> text_problem("岐山县") is None
    True
    >>> text_problem("a\\x00b") is not None, text_problem("\\ud800x") is not None
    (True, True)
    """
    if "\x00" in text:
        return _("不能包含空字符（U+0000）")
    if _SURROGATE.search(text):
        return _("含有无效的 Unicode 字符（单独的代理码位 U+D800–U+DFFF）")
    return None


def without_bad_characters(text: str) -> str:
    """``text`` without the characters ``text_problem`` refuses (to show it back safely).

    >>> without_bad_characters("a\\x00b\\udc80c")
    'abc'
    """
    return _BAD_CHARACTERS.sub("", text)


def shown_name(name: str) -> str:
    """A field name fit to show in a message (a bad character becomes U+FFFD)."""
    return _BAD_CHARACTERS.sub("\ufffd", name)


def pair_errors(pairs) -> dict[str, list[str]]:
    """``{field: [message]}`` for each ``(name, value)`` whose name or value is refused."""
    errors: dict[str, list[str]] = {}
    for name, value in pairs:
        problem = text_problem(name) or (text_problem(value) if isinstance(value, str) else None)
        if problem:
            errors.setdefault(shown_name(name), []).append(problem)
    return errors


def undecodable_fields(raw: bytes) -> dict[str, list[str]]:
    """Fields of a URL-encoded string (a query string or form body) whose percent-escapes
    are not UTF-8. Werkzeug keeps such escapes as literal text, so only the raw bytes tell.

    >>> undecodable_fields(b"q=%ED%A0%80x&page=2")
    {'q': ['不是有效的 UTF-8 文本']}
    >>> undecodable_fields(b"q=%E5%B2%90%E5%B1%B1&tag=a+b")
    {}
    """
    errors: dict[str, list[str]] = {}
    for part in raw.split(b"&"):
        if not part:
            continue
        name, _sep, value = part.partition(b"=")
        name_bytes = unquote_to_bytes(name.replace(b"+", b" "))
        shown = name_bytes.decode("utf-8", errors="replace")
        for piece in (name_bytes, unquote_to_bytes(value.replace(b"+", b" "))):
            try:
                piece.decode("utf-8")
            except UnicodeDecodeError:
                errors.setdefault(shown, []).append(_("不是有效的 UTF-8 文本"))
                break
    return errors


def json_errors(value, max_depth: int = MAX_JSON_DEPTH) -> dict[str, list[str]]:
    """Refused strings (keys or values) in a parsed JSON value, keyed by their path
    (``name``, ``segments.2.name``); raises ``BadInput`` (400) past ``max_depth`` levels.
    Iterative, so a deep document cannot exhaust the stack here either.

    >>> json_errors({"name": "a\\x00", "tags": ["ok", "\\ud800"]})
    {'name': ['不能包含空字符（U+0000）'], 'tags.1': ['含有无效的 Unicode 字符（单独的代理码位 U+D800–U+DFFF）']}
    """
    errors: dict[str, list[str]] = {}
    stack = [((), value, 1)]
    while stack:
        path, item, depth = stack.pop()
        if isinstance(item, (dict, list)) and depth > max_depth:
            raise too_deep(max_depth)
        if isinstance(item, dict):
            for key, child in item.items():
                problem = text_problem(key)
                if problem:
                    errors.setdefault(".".join((*path, shown_name(key))), []).append(problem)
                stack.append(((*path, shown_name(key)), child, depth + 1))
        elif isinstance(item, list):
            stack.extend(((*path, str(i)), child, depth + 1) for i, child in enumerate(item))
        elif isinstance(item, str):
            problem = text_problem(item)
            if problem:
                errors.setdefault(".".join(path) or "body", []).append(problem)
    return dict(sorted(errors.items()))


def load_json(data: bytes | str):
    """Parse a JSON document, refusing what ``json_errors`` refuses (``BadInput``).
    Malformed JSON raises ``json.JSONDecodeError`` / ``UnicodeDecodeError`` as ``json.loads``."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise too_deep() from None
    errors = json_errors(value)
    if errors:
        raise BadInput(_("JSON 中含有不能保存的字符"), errors)
    return value


# ---- the request ----------------------------------------------------------------------


class Request(flask.Request):
    """Keeps the bytes of a URL-encoded form body when it is parsed: werkzeug turns escapes
    that are not UTF-8 into literal text (``%ED%A0%80``), so only the bytes tell a field
    sent as such from one where someone typed those characters. Bodies beyond the form
    size limit are left to the parser, which refuses them (413)."""

    def _load_form_data(self) -> None:
        limit = self.max_form_memory_size
        if (
            "form" not in self.__dict__
            and self.mimetype == "application/x-www-form-urlencoded"
            and self.content_length is not None
            and (limit is None or self.content_length <= limit)
        ):
            self.get_data(cache=True)
        super()._load_form_data()


def _is_form_body() -> bool:
    return request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")


def _query_errors() -> dict[str, list[str]]:
    errors = undecodable_fields(request.query_string)
    for name, messages in pair_errors(request.args.items(multi=True)).items():
        errors.setdefault(name, []).extend(messages)
    return errors


def _form_errors() -> dict[str, list[str]]:
    request.form  # noqa: B018 - parsed (if CSRF has not yet), keeping the raw bytes (``Request``)
    errors = undecodable_fields(getattr(request, "_cached_data", None) or b"")
    for name, messages in pair_errors(request.form.items(multi=True)).items():
        errors.setdefault(name, []).extend(messages)
    return errors


def _in_one_line(errors: dict[str, list[str]]) -> str:
    return "；".join(f"{name}：{'，'.join(messages)}" for name, messages in errors.items())


def refuse_bad_input() -> None:
    """``before_request``: raise ``BadInput`` for refused query parameters or JSON bodies;
    note refused form fields for the request's form to show (``refused_form_fields``).
    Runs once per request; the API's contract check (``crm.api.contract``) calls it first."""
    if g.get("input_checked"):
        return
    g.input_checked = True
    if any(isinstance(v, str) and text_problem(v) for v in (request.view_args or {}).values()):
        abort(404)  # no record or page is named with such a character
    errors = _query_errors()
    if errors:
        raise BadInput(_("查询参数中含有不能处理的字符（%(fields)s）", fields=_in_one_line(errors)), errors)
    if request.is_json:
        try:
            body = request.get_json(silent=True)  # malformed JSON is each view's 400, as before
        except RecursionError:
            raise too_deep() from None
        errors = json_errors(body)
        if errors:
            raise BadInput(_("请求中含有不能保存的字符（%(fields)s）", fields=_in_one_line(errors)), errors)
    elif request.method in ("POST", "PUT", "PATCH") and _is_form_body():
        g.refused_form_fields = _form_errors()


def refused_form_fields() -> dict[str, list[str]]:
    """Form fields of this request that ``refuse_bad_input`` refused: ``{name: [message]}``."""
    return g.get("refused_form_fields") or {}


def note_refusal_shown() -> None:
    """A form showed a refusal: the page answers 422 (``answer_422_for_refused_forms``)."""
    g.refused_form_shown = True


def answer_422_for_refused_forms(response):
    """``after_request``: a form page re-shown because of refused characters answers 422,
    whatever status the view gives an invalid form."""
    if g.get("refused_form_shown") and response.status_code == 200:
        response.status_code = 422
    return response


def init_app(app) -> None:
    app.request_class = Request
    app.before_request(refuse_bad_input)
    app.after_request(answer_422_for_refused_forms)

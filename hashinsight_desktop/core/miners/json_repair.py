"""Tolerant JSON for miner replies: a tokenizer and a forgiving recursive-descent parser.

Miner firmwares emit almost-JSON (see ``shared/docs/MINER_API.md``).  Blind string
replacement (``",}" -> "}"``) corrupts string *values* that contain the pattern, so this
module tokenizes first and repairs at the grammar level, where a string is one token:

* ``}{`` / ``]["`` between values with no comma, a missing comma between members
  -> the comma is implied;
* ``[,{``, ``{,"a"``, trailing ``,}`` / ``,]``, doubled ``,,`` -> stray commas skipped;
* raw newlines / control characters inside strings -> kept as the characters they are;
* invalid escapes (``"\\x"``) -> the backslash is kept literally;
* a body starting with ``,"id":1}`` (Avalon) -> read as the members of one object;
* bare ``inf``/``-inf``/``nan``/``Infinity``/``NaN`` -> ``float`` inf/nan (quoted ones stay
  strings; :mod:`values` turns every non-finite number into "unknown");
* ``"key": value`` pairs inside ``[...]`` (Whatsminer 2.0.4) -> the array becomes an object;
* duplicate keys -> **last wins** (what :func:`json.loads` does, so the fast path and the
  repair path agree; the Hammer D10 repeats ``temp1``); when the repair path ran, the
  repeated key names are also listed in ``ParseResult.repairs``;
* trailing NULs and whitespace -> ignored; two top-level objects ``{..}{..}`` -> merged;
* a truncated body (EOF inside a string/object/array) -> :class:`JsonRepairError`:
  we never invent the missing data.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from typing import Any

__all__ = ["JsonRepairError", "ParseResult", "loads_tolerant", "parse_reply"]


class JsonRepairError(ValueError):
    """The body cannot be read as (repaired) JSON; ``str(exc)`` says why."""


@dataclasses.dataclass(slots=True)
class ParseResult:
    value: Any
    repairs: list[str]  # empty when the body was valid JSON


# Token kinds: one-character punctuation is its own kind; plus STR, NUM, WORD, END.
_WS = " \t\r\n\x00\ufeff"
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.%-]*")
_WORDS: dict[str, Any] = {
    "true": True,
    "false": False,
    "null": None,
    "none": None,
    "inf": math.inf,
    "infinity": math.inf,
    "nan": math.nan,
}
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_MAX_DEPTH = 200


class _Tokenizer:
    """Turns text into (kind, value, offset) tokens; strings are decoded here."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.repairs: list[str] = []

    def next(self) -> tuple[str, Any, int]:
        text, n = self.text, len(self.text)
        pos = self.pos
        while pos < n and text[pos] in _WS:
            pos += 1
        if pos >= n:
            self.pos = pos
            return ("END", None, pos)
        ch = text[pos]
        if ch in "{}[],:":
            self.pos = pos + 1
            return (ch, ch, pos)
        if ch == '"':
            return ("STR", self._string(pos), pos)
        if ch == "-" and text.startswith(("-inf", "-Inf", "-INF"), pos):
            word = _WORD.match(text, pos + 1)
            assert word is not None
            self.pos = word.end()
            self.repairs.append("bare -inf")
            return ("NUM", -math.inf, pos)
        match = _NUMBER.match(text, pos)
        if match:
            self.pos = match.end()
            literal = match.group()
            try:
                value: Any = float(literal) if any(c in literal for c in ".eE") else int(literal)
            except ValueError:  # pragma: no cover - the regex only admits valid literals
                raise JsonRepairError(f"bad number {literal!r} at byte {pos}") from None
            return ("NUM", value, pos)
        match = _WORD.match(text, pos)
        if match:
            self.pos = match.end()
            word = match.group()
            if word.lower() in _WORDS:
                if word not in ("true", "false", "null"):
                    self.repairs.append(f"bare {word}")
                return ("WORD", _WORDS[word.lower()], pos)
            raise JsonRepairError(f"unexpected word {word[:20]!r} at byte {pos}")
        raise JsonRepairError(f"unexpected character {ch!r} at byte {pos}")

    def _string(self, start: int) -> str:
        text, n = self.text, len(self.text)
        pos = start + 1
        parts: list[str] = []
        run = pos
        while True:
            if pos >= n:
                raise JsonRepairError(f"truncated: string opened at byte {start} never closes")
            ch = text[pos]
            if ch == '"':
                parts.append(text[run:pos])
                self.pos = pos + 1
                return "".join(parts)
            if ch == "\\":
                parts.append(text[run:pos])
                if pos + 1 >= n:
                    raise JsonRepairError("truncated: body ends inside an escape")
                esc = text[pos + 1]
                if esc in _ESCAPES:
                    parts.append(_ESCAPES[esc])
                    pos += 2
                elif esc == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", text[pos + 2 : pos + 6]):
                    parts.append(chr(int(text[pos + 2 : pos + 6], 16)))
                    pos += 6
                else:  # keep an invalid escape as the two characters it is
                    self.repairs.append("invalid escape kept")
                    parts.append("\\")
                    pos += 1
                run = pos
                continue
            if ch < " " and ch != "\x00" and "raw control char in string" not in self.repairs:
                self.repairs.append("raw control char in string")
            pos += 1


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _Tokenizer(text)
        self.repairs = self.tokens.repairs
        self.peeked: tuple[str, Any, int] | None = None

    def peek(self) -> tuple[str, Any, int]:
        if self.peeked is None:
            self.peeked = self.tokens.next()
        return self.peeked

    def take(self) -> tuple[str, Any, int]:
        token = self.peek()
        self.peeked = None
        return token

    def note(self, what: str) -> None:
        if what not in self.repairs:
            self.repairs.append(what)

    def document(self) -> Any:
        kind, _, _ = self.peek()
        if kind == ",":  # Avalon: ',"id":1}' -> the tail of an object
            self.take()
            self.note("leading comma: read as object members")
            value: Any = self.members(depth=1)
        elif kind == "END":
            raise JsonRepairError("empty body")
        else:
            value = self.value(depth=0)
        while True:
            kind, _, pos = self.peek()
            if kind == "END":
                return value
            if kind == "{" and isinstance(value, dict):
                self.note("top-level }{: objects merged")
                value.update(self.value(depth=0))
                continue
            if kind == ",":
                self.take()
                continue
            raise JsonRepairError(f"unexpected data after the document at byte {pos}")

    def value(self, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            raise JsonRepairError("nesting too deep")
        kind, value, pos = self.take()
        if kind in ("STR", "NUM", "WORD"):
            return value
        if kind == "{":
            return self.members(depth + 1)
        if kind == "[":
            return self.elements(depth + 1)
        if kind == "END":
            raise JsonRepairError("truncated: body ends where a value was expected")
        raise JsonRepairError(f"unexpected {kind!r} at byte {pos}")

    def members(self, depth: int) -> dict[str, Any]:
        """Object members after '{' up to and including '}'."""
        obj: dict[str, Any] = {}
        expect_comma = False
        while True:
            kind, key, pos = self.take()
            if kind == "}":
                if obj and not expect_comma:
                    self.note("trailing comma in object")
                return obj
            if kind == ",":
                if not expect_comma:
                    self.note("stray comma in object")
                expect_comma = False
                continue
            if kind == "END":
                raise JsonRepairError("truncated: object never closes")
            if kind != "STR":
                raise JsonRepairError(f"expected a key at byte {pos}, got {kind!r}")
            if expect_comma:
                self.note("missing comma between members")
            colon, _, cpos = self.take()
            if colon == "END":
                raise JsonRepairError("truncated: body ends after a key")
            if colon != ":":
                raise JsonRepairError(f"expected ':' after key {key[:30]!r} at byte {cpos}")
            if key in obj:
                self.note(f"duplicate key {key!r}: last value kept")
            obj[key] = self.value(depth)
            expect_comma = True

    def elements(self, depth: int) -> Any:
        """Array elements after '[' up to and including ']'; key:value pairs make it a dict."""
        items: list[Any] = []
        expect_comma = False
        while True:
            kind = self.peek()[0]
            if kind == "]":
                self.take()
                if items and not expect_comma:
                    self.note("trailing comma in array")
                return items
            if kind == ",":
                self.take()
                if not expect_comma:
                    self.note("stray comma in array")
                expect_comma = False
                continue
            if kind == "END":
                raise JsonRepairError("truncated: array never closes")
            if expect_comma:
                self.note("missing comma between array elements")
            item = self.value(depth)
            if isinstance(item, str) and self.peek()[0] == ":":
                return self._array_as_object(items, item, depth)
            items.append(item)
            expect_comma = True

    def _array_as_object(self, items: list[Any], key: str, depth: int) -> dict[str, Any]:
        """Whatsminer 2.0.4: ``["a": 1, "b": 2]``: read the rest as object members."""
        self.note("key:value pairs inside [...]: read as an object")
        obj: dict[str, Any] = {}
        for index, earlier in enumerate(items):  # keep anything seen before the first pair
            obj[f"_{index}"] = earlier
        while True:
            self.take()  # the ':'
            obj[key] = self.value(depth)
            while True:
                kind, value, pos = self.take()
                if kind == "]":
                    return obj
                if kind == ",":
                    continue
                if kind == "END":
                    raise JsonRepairError("truncated: array never closes")
                if kind == "STR" and self.peek()[0] == ":":
                    key = value
                    break
                raise JsonRepairError(f"unexpected {kind!r} in key:value array at byte {pos}")


def _as_text(body: bytes | str) -> tuple[str, list[str]]:
    notes: list[str] = []
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("utf-8", errors="replace")
            notes.append("non-UTF-8 bytes replaced")
    else:
        text = body
    stripped = text.strip(_WS)
    if len(stripped) != len(text) and "\x00" in text:
        notes.append("trailing NUL stripped")
    return stripped, notes


def loads_tolerant(body: bytes | str) -> ParseResult:
    """Parse a miner reply body; valid JSON takes the fast standard-library path.

    Raises :class:`JsonRepairError` (a ``ValueError``) with a one-line reason when the
    body is not JSON even after repair: plain text, truncated, empty.
    """
    text, notes = _as_text(body)
    if not text:
        raise JsonRepairError("empty body")
    try:
        return ParseResult(json.loads(text), notes)
    except (ValueError, RecursionError):
        pass
    parser = _Parser(text)
    try:
        value = parser.document()
    except RecursionError:
        raise JsonRepairError("nesting too deep") from None
    return ParseResult(value, notes + parser.repairs)


def parse_reply(body: bytes | str) -> dict[str, Any]:
    """Like :func:`loads_tolerant` but the reply must be a JSON object."""
    value = loads_tolerant(body).value
    if not isinstance(value, dict):
        raise JsonRepairError(f"reply is a JSON {type(value).__name__}, not an object")
    return value

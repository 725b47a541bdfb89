"""The cgminer-style socket conversation: reading a request, garbling a reply.

cgminer reads one request per connection, either JSON (``{"command": "summary",
"parameter": "0"}``) or plain text (``summary|0``), answers, ends the reply with a NUL
byte and closes the socket.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

MAX_REQUEST_BYTES = 64 * 1024


class BadRequest(Exception):
    """The request can never become valid (cgminer answers 'Invalid JSON')."""


@dataclasses.dataclass(frozen=True, slots=True)
class Request:
    command: str
    parameter: str | None = None
    is_json: bool = True
    payload: dict[str, Any] | None = None  # the whole JSON object (for btminer "enc")

    @property
    def encrypted(self) -> bool:
        return self.payload is not None and "enc" in self.payload


_CACHE_LIMIT = 512
_parsed: dict[bytes, Request] = {}


def parse_request(buffer: bytes | bytearray, final: bool = False) -> Request | None:
    """Like :func:`_parse`, remembering complete requests: fleets get the same few."""
    key = bytes(buffer)
    cached = _parsed.get(key)
    if cached is not None:
        return cached
    request = _parse(key, final)
    if request is not None and not request.encrypted and len(key) < 512:
        if len(_parsed) >= _CACHE_LIMIT:
            _parsed.clear()
        _parsed[key] = request
    return request


def _parse(buffer: bytes, final: bool = False) -> Request | None:
    """A complete request from ``buffer``, or None when more bytes may still come.

    ``final`` means the peer will send nothing more (EOF): an incomplete JSON object
    then is a bad request rather than a reason to wait.
    """
    text = buffer.strip(b"\x00\r\n\t ")
    if not text:
        if final:
            raise BadRequest("empty request")
        return None
    if text[:1] == b"{":
        try:
            obj = json.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            ended = buffer.endswith((b"\x00", b"\n")) or final
            if ended or len(buffer) > MAX_REQUEST_BYTES:
                raise BadRequest(str(exc)) from exc
            return None
        if not isinstance(obj, dict):
            raise BadRequest("request is not a JSON object")
        if "enc" in obj:
            return Request(command="enc", payload=obj)
        command = obj.get("command")
        if not isinstance(command, str) or not command:
            raise BadRequest("missing command")
        parameter = obj.get("parameter")
        return Request(command=command.strip(),
                       parameter=None if parameter is None else str(parameter),
                       payload=obj)
    try:
        line = text.decode().splitlines()[0]
    except UnicodeDecodeError as exc:
        raise BadRequest("request is not text") from exc
    command, _, parameter = line.partition("|")
    return Request(command=command.strip(), parameter=parameter or None, is_json=False)


def to_pipe_format(reply: dict[str, Any]) -> bytes:
    """cgminer's non-JSON answer: ``STATUS=S,When=..,Msg=..|SUMMARY,Elapsed=..|``."""
    parts = []
    for section, value in reply.items():
        if section == "id":
            continue
        rows = value if isinstance(value, list) else [value]
        for row in rows:
            if not isinstance(row, dict):
                parts.append(f"{section}={row}|")
                continue
            fields = ",".join(f"{k}={v}" for k, v in row.items())
            parts.append(fields + "|" if section == "STATUS" else f"{section},{fields}|")
    return "".join(parts).encode() + b"\x00"


def garble(body: bytes, variant: int) -> bytes:
    """A broken reply of the kinds seen in the field (see docs/MINER_API.md).

    0: cut off half-way (no NUL); 1: ``}{`` between list items (bmminer STATS);
    2: a trailing ``,}`` (btminer).
    """
    raw = body.rstrip(b"\x00")
    kind = variant % 3
    if kind == 0:
        return raw[: max(1, len(raw) // 2)]
    if kind == 1 and b"},{" in raw:
        return raw.replace(b"},{", b"}{", 1) + b"\x00"
    cut = raw.rfind(b"}", 0, len(raw) - 1)
    if cut <= 0:
        return raw[: max(1, len(raw) // 2)]
    return raw[:cut] + b",}" + raw[cut + 1:] + b"\x00"

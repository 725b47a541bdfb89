"""Whatsminer API v2 privileged-command crypto: MD5-crypt token and AES-256-ECB framing.

The scheme (as MicroBT's API document and pyasic's btminer client describe it):

1. ``get_token`` returns ``Msg = {time, salt, newsalt}``.
2. ``key = md5_crypt(admin_password, salt)`` hash part; ``sign = md5_crypt(key + time,
   newsalt)`` hash part.
3. The command ``{"cmd": ..., <params>, "token": sign}`` is JSON-encoded, NUL-padded to
   16 bytes, encrypted with AES-256-ECB under ``sha256(key)`` and sent base64-encoded as
   ``{"enc": 1, "data": "<base64>"}``; the reply ``{"enc": "<base64>"}`` decrypts the same
   way.

MD5-crypt (``$1$``) is implemented here because the stdlib ``crypt`` module is deprecated
and ``passlib`` is not a dependency.  ECB is what the firmware speaks, not a choice.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def md5_crypt(password: str, salt: str) -> str:
    """The FreeBSD MD5-crypt string ``$1$<salt>$<22 chars>`` (salt cut to 8 characters)."""
    pw = password.encode()
    salt_b = salt.encode()[:8]
    magic = b"$1$"
    ctx = hashlib.md5(pw + magic + salt_b)
    alternate = hashlib.md5(pw + salt_b + pw).digest()
    for remaining in range(len(pw), 0, -16):
        ctx.update(alternate[: min(16, remaining)])
    length = len(pw)
    while length:
        ctx.update(b"\x00" if length & 1 else pw[:1])
        length >>= 1
    final = ctx.digest()
    for i in range(1000):
        round_ctx = hashlib.md5()
        round_ctx.update(pw if i & 1 else final)
        if i % 3:
            round_ctx.update(salt_b)
        if i % 7:
            round_ctx.update(pw)
        round_ctx.update(final if i & 1 else pw)
        final = round_ctx.digest()
    out = []
    for a, b, c in ((0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)):
        out.append(_to64((final[a] << 16) | (final[b] << 8) | final[c], 4))
    out.append(_to64(final[11], 2))
    return f"$1${salt_b.decode()}${''.join(out)}"


def _to64(value: int, count: int) -> str:
    chars = []
    for _ in range(count):
        chars.append(_ITOA64[value & 0x3F])
        value >>= 6
    return "".join(chars)


def _hash_part(crypted: str) -> str:
    return crypted.split("$")[3]


@dataclasses.dataclass(frozen=True, slots=True)
class WhatsminerToken:
    key: str  # md5-crypt hash of the admin password under the miner's salt
    sign: str  # md5-crypt hash of key+time under the miner's newsalt

    @property
    def aes_key(self) -> bytes:
        return hashlib.sha256(self.key.encode()).digest()


def make_token(password: str, token_msg: dict[str, Any]) -> WhatsminerToken:
    """Build the token from a ``get_token`` reply's ``Msg`` (``time``, ``salt``, ``newsalt``)."""
    key = _hash_part(md5_crypt(password, str(token_msg["salt"])))
    sign = _hash_part(md5_crypt(key + str(token_msg["time"]), str(token_msg["newsalt"])))
    return WhatsminerToken(key=key, sign=sign)


def encrypt_command(token: WhatsminerToken, cmd: str, **params: Any) -> bytes:
    """The bytes to send for a privileged command."""
    command = {"cmd": cmd, **params, "token": token.sign}
    plain = json.dumps(command).encode()
    plain += b"\x00" * (-len(plain) % 16)
    encryptor = Cipher(algorithms.AES(token.aes_key), modes.ECB()).encryptor()
    data = base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()
    return json.dumps({"enc": 1, "data": data}).encode()


def decrypt_payload(token: WhatsminerToken, data: str) -> dict[str, Any]:
    """Decrypt an ``enc`` field (replies) or a ``data`` field (requests, for tests)."""
    raw = base64.b64decode(data)
    decryptor = Cipher(algorithms.AES(token.aes_key), modes.ECB()).decryptor()
    plain = (decryptor.update(raw) + decryptor.finalize()).rstrip(b"\x00")
    value = json.loads(plain.decode("utf-8", errors="replace"))
    if not isinstance(value, dict):
        raise ValueError("decrypted reply is not a JSON object")
    return value

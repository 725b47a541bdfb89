"""The Whatsminer (btminer API v2) privileged-command scheme, miner side.

How real btminer does it (learned from public clients; this is our own code):

1. ``get_token`` answers ``Msg: {"time": "<last 4 digits of the epoch>", "salt": s,
   "newsalt": ns}``.
2. The client computes ``host_passwd_md5 = md5crypt(password, salt)`` (the hash part
   after ``$1$salt$``) and ``host_sign = md5crypt(host_passwd_md5 + time, newsalt)``.
3. It sends ``{"enc": 1, "data": base64(AES-256-ECB(key, json + NUL padding))}`` where
   ``key = sha256(host_passwd_md5)`` and the JSON holds ``"cmd"`` and ``"token":
   host_sign``.  The miner answers ``{"enc": base64(AES-256-ECB(key, reply json))}``.

md5crypt is the classic FreeBSD ``$1$`` algorithm, written out here because the
standard library's ``crypt`` module is deprecated and passlib is not a dependency.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _to64(value: int, length: int) -> str:
    out = []
    for _ in range(length):
        out.append(_ITOA64[value & 0x3F])
        value >>= 6
    return "".join(out)


def md5crypt_hash(password: str, salt: str) -> str:
    """The 22-character hash part of ``$1$<salt>$<hash>`` for ``password``."""
    pw = password.encode()
    sl = salt.encode()[:8]
    alt = hashlib.md5(pw + sl + pw).digest()
    ctx = hashlib.md5(pw + b"$1$" + sl)
    for i in range(len(pw), 0, -16):
        ctx.update(alt[:min(16, i)])
    i = len(pw)
    while i:
        ctx.update(b"\x00" if i & 1 else pw[:1])
        i >>= 1
    final = ctx.digest()
    for r in range(1000):
        step = hashlib.md5()
        step.update(pw if r & 1 else final)
        if r % 3:
            step.update(sl)
        if r % 7:
            step.update(pw)
        step.update(final if r & 1 else pw)
        final = step.digest()
    f = final
    return (
        _to64((f[0] << 16) | (f[6] << 8) | f[12], 4)
        + _to64((f[1] << 16) | (f[7] << 8) | f[13], 4)
        + _to64((f[2] << 16) | (f[8] << 8) | f[14], 4)
        + _to64((f[3] << 16) | (f[9] << 8) | f[15], 4)
        + _to64((f[4] << 16) | (f[10] << 8) | f[5], 4)
        + _to64(f[11], 2)
    )


def host_passwd_md5(password: str, salt: str) -> str:
    return md5crypt_hash(password, salt)


def host_sign(passwd_md5: str, time_str: str, newsalt: str) -> str:
    return md5crypt_hash(passwd_md5 + time_str, newsalt)


def _cipher(passwd_md5: str) -> Cipher:
    key = hashlib.sha256(passwd_md5.encode()).digest()
    return Cipher(algorithms.AES(key), modes.ECB())


def encrypt_json(passwd_md5: str, payload: dict[str, Any]) -> str:
    """base64(AES-ECB(json padded with NUL bytes to 16)), as both sides send it."""
    raw = json.dumps(payload).encode()
    raw += b"\x00" * (-len(raw) % 16)
    enc = _cipher(passwd_md5).encryptor()
    return base64.b64encode(enc.update(raw) + enc.finalize()).decode()


def decrypt_json(passwd_md5: str, data: str) -> dict[str, Any]:
    """Inverse of :func:`encrypt_json`; raises ValueError on anything malformed."""
    try:
        blob = base64.b64decode(data, validate=False)
        if not blob or len(blob) % 16:
            raise ValueError("ciphertext length is not a multiple of 16")
        dec = _cipher(passwd_md5).decryptor()
        plain = (dec.update(blob) + dec.finalize()).rstrip(b"\x00")
        value = json.loads(plain.decode())
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot decrypt privileged command: {exc}") from exc
    if not isinstance(value, dict):
        raise ValueError("decrypted command is not a JSON object")
    return value

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

from hashinsight_desktop.core.miners.control.whatsminer_crypto import md5_crypt


def md5crypt_hash(password: str, salt: str) -> str:
    """The 22-character hash part of ``$1$<salt>$<hash>`` for ``password`` (the same
    MD5-crypt the client uses; the simulator checks what the client sends with it)."""
    return md5_crypt(password, salt).split("$")[3]


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

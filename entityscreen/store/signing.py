"""The store's signing key: an Ed25519 key pair in the store's home folder.

It signs what the store vouches for outside itself: the audit log's head
(``entityscreen audit head``) and, later, screening certificates (issue #14). The private
key is ``signing_key.pem`` (mode 0600), created on first use; the public key is also
written beside it as ``signing_key.pub`` (base64 of the 32 raw bytes) for operators to
copy out. Ed25519: small keys and signatures, deterministic, in ``cryptography``'s wheels.

A signature made with this key proves a file came from whoever held the key; it says
nothing against someone who holds it. That is why the public key and the signed heads are
kept outside the store folder (docs/store.md): a rewritten log cannot match a head signed
before the rewrite.
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from ..errors import StoreError

PRIVATE_FILE = "signing_key.pem"
PUBLIC_FILE = "signing_key.pub"


@dataclass(frozen=True)
class SigningKey:
    """The store's key pair (load with :func:`signing_key`)."""

    private: Ed25519PrivateKey

    @property
    def public_key(self) -> str:
        """The public key as base64 of its 32 raw bytes (what head files carry)."""
        raw = self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return base64.b64encode(raw).decode("ascii")

    def sign(self, payload: bytes) -> str:
        """The base64 Ed25519 signature of ``payload``."""
        return base64.b64encode(self.private.sign(payload)).decode("ascii")


def verify_signature(public_key: str, payload: bytes, signature: str) -> bool:
    """Whether ``signature`` (base64) is ``public_key``'s (base64, raw) over ``payload``;
    False for a wrong signature and for anything that is not a key or a signature."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(base64.b64decode(signature, validate=True), payload)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def signing_key(folder: Path, *, create: bool = True) -> SigningKey | None:
    """The key pair kept in ``folder``; created there on first use (``create``), else None
    when there is none.

    Raises:
        StoreError: The key file cannot be read, written, or is not an Ed25519 key.
    """
    path = folder / PRIVATE_FILE
    try:
        if not path.exists():
            if not create:
                return None
            _create(folder)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot use the store's signing key {path}: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise StoreError(f"{path} is not an Ed25519 private key")
    return SigningKey(key)


def _create(folder: Path) -> None:
    """Write a new key pair; two processes creating it at once keep the first one's.

    Written to a private temporary file, then hard-linked to its name: the link fails if
    the name exists, so a key once written is never replaced by another process's.
    """
    folder.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    temp = folder / f".{PRIVATE_FILE}.{secrets.token_hex(4)}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        with contextlib.suppress(FileExistsError):
            os.link(temp, folder / PRIVATE_FILE)
    finally:
        temp.unlink(missing_ok=True)
    stored = signing_key(folder, create=False)
    if stored is not None:
        (folder / PUBLIC_FILE).write_text(stored.public_key + "\n", encoding="ascii")


__all__ = ["PRIVATE_FILE", "PUBLIC_FILE", "SigningKey", "signing_key", "verify_signature"]

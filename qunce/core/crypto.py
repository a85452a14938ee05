"""Encryption at rest for the fields that hold what must not be read off a database copy:
counselling content and group robots' signing secrets (Fernet: AES-128-CBC with HMAC-SHA256).

The keys come from COUNSELLING_KEY, comma-separated, newest first: the first encrypts, every one
decrypts, so a key is rotated by putting the new one in front and running `manage.py
rotate_encryption_key`, then dropping the old one. Production refuses to start without a key,
or with a malformed one (settings.py). Outside production the key is derived from SECRET_KEY,
so a development database is never plain."""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

UNREADABLE = "【无法解密：密钥已更换】"


def configured_keys():
    return [key.strip() for key in settings.COUNSELLING_KEY.split(",") if key.strip()]


@cache
def _fernet():
    keys = configured_keys() or [
        base64.urlsafe_b64encode(
            hashlib.sha256(f"counselling:{settings.SECRET_KEY}".encode()).digest()
        )
    ]
    return MultiFernet([Fernet(key) for key in keys])


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting in ("COUNSELLING_KEY", "SECRET_KEY"):
        _fernet.cache_clear()


def encrypt(text):
    return _fernet().encrypt(text.encode()).decode() if text else ""


class Unreadable(str):
    """What a field reads as when no configured key opens its ciphertext: a warning to show,
    which carries the ciphertext so that saving the record writes that back unchanged instead
    of encrypting the warning over the content."""

    def __new__(cls, ciphertext):
        value = super().__new__(cls, UNREADABLE)
        value.ciphertext = ciphertext
        return value


def decrypt(token):
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return Unreadable(token)


def rotate(token):
    """The ciphertext re-encrypted with the first key (unchanged if no key opens it)."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken:
        return token


class EncryptedTextField(models.TextField):
    """Text stored encrypted; Python code sees plain text, the database only ciphertext."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        if isinstance(value, Unreadable):
            return value.ciphertext
        return encrypt(super().get_prep_value(value) or "")

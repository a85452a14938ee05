"""The ledger's chain head, exported outside the database: a signed file per export under
LEDGER_HEAD_DIR (and the org admins' inbox). Someone who rewrites the whole chain consistently
inside the database still disagrees with the last head exported before."""

import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

SALT = "qunce.ledger.head"
PATTERN = "ledger-head-*.json"


def head_write(*, seq, content_hash, entries, now=None):
    """Write one signed head file; returns its path. Written whole or not at all."""
    now = timezone.localtime(now)
    payload = {
        "seq": seq,
        "content_hash": content_hash,
        "entries": entries,
        "exported_at": now.isoformat(),
    }
    folder = Path(settings.LEDGER_HEAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"ledger-head-{now:%Y%m%dT%H%M%S%f}.json"
    document = {**payload, "signed": signing.dumps(payload, salt=SALT)}
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=2)
    os.replace(handle.name, path)
    return path


def head_latest():
    """(the last exported head's payload, or None; a message if that file cannot be trusted)."""
    files = sorted(Path(settings.LEDGER_HEAD_DIR).glob(PATTERN))
    if not files:
        return None, ""
    path = files[-1]
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        payload = signing.loads(document["signed"], salt=SALT)
    except (OSError, ValueError, KeyError, TypeError, signing.BadSignature):
        return None, _("导出的台账链头文件 %(name)s 签名不符或已损坏。") % {"name": path.name}
    visible = {key: document.get(key) for key in payload}
    if visible != payload:
        return None, _("导出的台账链头文件 %(name)s 的内容与签名不符。") % {"name": path.name}
    return payload, ""

"""Uploaded documents (evidence, notice attachments, reports): what a file says it is must be
what its bytes are, and programs are never accepted."""

import hashlib
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# extension → (content type, test on the first bytes)
ALLOWED = {
    ".pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    ".jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda head: head.startswith(b"PK\x03\x04"),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda head: head.startswith(b"PK\x03\x04"),
    ),
}
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


def checked_upload(upload, *, field="evidence", max_bytes=MAX_EVIDENCE_BYTES):
    """(content type, SHA-256) of an acceptable upload; a ValidationError on `field` otherwise."""
    name = upload.name.lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if upload.size > max_bytes:
        raise ValidationError(
            {
                field: _("“%(name)s”超过 %(limit)s MB。")
                % {"name": upload.name, "limit": max_bytes // (1024 * 1024)}
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise ValidationError(
            {field: _("“%(name)s”是可执行程序，不能上传。") % {"name": upload.name}}
        )
    if extension not in ALLOWED:
        raise ValidationError(
            {
                field: _("“%(name)s”的格式不支持，请上传 PDF、JPG、PNG、DOCX 或 XLSX。")
                % {"name": upload.name}
            }
        )
    content_type, matches = ALLOWED[extension]
    if not matches(head) or (extension in (".docx", ".xlsx") and not _is_office_zip(upload)):
        raise ValidationError({field: _("“%(name)s”的内容与扩展名不符。") % {"name": upload.name}})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


def _is_office_zip(upload):
    try:
        with zipfile.ZipFile(upload) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except (
        zipfile.BadZipFile,
        NotImplementedError,
        UnicodeDecodeError,
        ValueError,
        EOFError,
        OSError,
    ):
        # A damaged or crafted archive in any way zipfile can object to is not an Office file.
        return False
    finally:
        upload.seek(0)


def checked_uploads(files, *, field, max_bytes):
    """[(upload, content type, SHA-256)] of every file, or the first file's ValidationError."""
    return [(upload, *checked_upload(upload, field=field, max_bytes=max_bytes)) for upload in files]


def stored_files_create(model, checked, **owner):
    """Rows of a StoredFile model for uploads that passed checked_uploads."""
    return [
        model.objects.create(
            file=upload,
            original_name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
            sha256=digest,
            **owner,
        )
        for upload, content_type, digest in checked
    ]

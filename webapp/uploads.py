"""Uploaded files, the one mechanism: checked, stored outside the static folder, served only
after the caller's permission check.

Accepted are PDF, DOCX and ODT, up to `UPLOAD_MAX_BYTES`. The content must be what the name
says (a text file called .pdf, or a PDF called .docx, is refused). The bytes are written under
`<instance>/uploads/<random key>` first and the `StoredFile` row is added after: a transaction
that rolls back leaves at most a file nobody references, and `discard_unreferenced` (called
by the view after a refused operation) removes it at once.

Used by consultation responses (attachments) and council minutes (PDF only).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from flask import Response, current_app, g, send_file

from .errors import WorkflowError
from .extensions import db
from .i18n import gettext as _
from .models import StoredFile

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_NAME_LENGTH = 120

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
CONTENT_TYPES = {".pdf": PDF, ".docx": DOCX, ".odt": ODT}
ACCEPT = ",".join([*CONTENT_TYPES, *CONTENT_TYPES.values()])  # the file input's `accept`


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: its name and its bytes (already read, size-checked)."""

    filename: str
    data: bytes


def max_bytes() -> int:
    return int(current_app.config.get("UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_label(size: int) -> str:
    """"10 MB", "512 kB": the limit as the messages say it."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB".replace(".", ",")
    return f"{max(1, size // 1024)} kB"


def read_upload(stream: IO[bytes], filename: str | None) -> Upload | None:
    """The posted file, read at most one byte beyond the limit; None when no file was chosen."""
    if not filename:
        return None
    data = stream.read(max_bytes() + 1)
    return Upload(filename=filename, data=data)


# Characters file systems and headers choke on. "<" and ">" stay: the name is escaped wherever
# it is shown, like any other text a person typed.
_UNSAFE = re.compile(r'[\\/:*?"|\x00-\x1f\x7f]')


def clean_filename(raw: str) -> str:
    """A name to show and to offer on download: no folders, no control or invisible characters,
    none of the characters file systems or headers choke on, capped in length with its
    extension kept. It is escaped wherever it is shown; this only keeps it tidy."""
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    name = _UNSAFE.sub("_", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext[:10]
    stem = stem[: MAX_NAME_LENGTH - len(ext) - 1].strip(" .") or _("fil")
    return f"{stem}.{ext}" if ext else stem


def _zip_names(data: bytes) -> tuple[zipfile.ZipFile, set[str]] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return archive, set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def _is_docx(data: bytes) -> bool:
    opened = _zip_names(data)
    if opened is None:
        return False
    _archive, names = opened
    return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)


def _is_odt(data: bytes) -> bool:
    opened = _zip_names(data)
    if opened is None:
        return False
    archive, names = opened
    if "mimetype" not in names:
        return False
    try:
        with archive.open("mimetype") as entry:
            declared = entry.read(200).strip()
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return False
    return declared == ODT.encode()


def check_upload(upload: Upload, field: str = "attachment",
                 only_pdf: bool = False) -> tuple[str, str]:
    """(cleaned name, content type) of an acceptable file, else a WorkflowError at `field`.
    `only_pdf`: where the document is a PDF by nature (a council's minutes)."""
    limit = max_bytes()
    if len(upload.data) > limit:
        raise WorkflowError(_("Filen er for stor. Den må højst fylde %(limit)s.",
                              limit=size_label(limit)), field=field)
    if not upload.data:
        raise WorkflowError(_("Filen er tom."), field=field)
    name = clean_filename(upload.filename)
    ext = os.path.splitext(name)[1].lower()
    content_type = CONTENT_TYPES.get(ext)
    if only_pdf and content_type != PDF:
        raise WorkflowError(_("Kun PDF kan vedhæftes her. Gem filen som PDF, og prøv igen."),
                            field=field)
    if content_type is None:
        raise WorkflowError(_("Kun PDF, DOCX og ODT kan vedhæftes. Gem filen i et af de "
                              "formater, og prøv igen."), field=field)
    matches = {
        PDF: upload.data.startswith(b"%PDF-"),
        DOCX: _is_docx(upload.data),
        ODT: _is_odt(upload.data),
    }[content_type]
    if not matches:
        raise WorkflowError(_("Filens indhold passer ikke til navnet: “%(name)s” er ikke en "
                              "gyldig %(kind)s-fil.", name=name, kind=ext[1:].upper()),
                            field=field)
    return name, content_type


def storage_dir() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(upload: Upload, *, region_id: int, uploaded_by_id: int | None, now: datetime,
          field: str = "attachment", only_pdf: bool = False) -> StoredFile:
    """Check, write the bytes, then add the row (never commits). The bytes go first, so a row
    can never point to a file that is not there."""
    name, content_type = check_upload(upload, field, only_pdf)
    key = secrets.token_hex(24)
    path = storage_dir() / key
    with open(path, "xb") as out:  # "x": a key that somehow exists is never overwritten
        out.write(upload.data)
    g.setdefault("written_upload_keys", []).append(key)
    stored = StoredFile(region_id=region_id, filename=name, content_type=content_type,
                        size=len(upload.data), sha256=hashlib.sha256(upload.data).hexdigest(),
                        storage_key=key, uploaded_at=now, uploaded_by_id=uploaded_by_id)
    db.session.add(stored)
    return stored


def path_of(stored: StoredFile) -> Path:
    return storage_dir() / stored.storage_key


def remove_bytes(keys: list[str]) -> None:
    """Delete stored bytes whose rows are gone (after the commit that removed them)."""
    for key in keys:
        if re.fullmatch(r"[0-9a-f]{48}", key):
            (storage_dir() / key).unlink(missing_ok=True)


def remove_after_commit(stored: StoredFile) -> None:
    """A workflow removed the file's row: its bytes go once that is committed (the view
    helper `perform` removes them; a rollback keeps them, as the row is back)."""
    g.setdefault("removed_upload_keys", []).append(stored.storage_key)


def removed_keys() -> list[str]:
    """The keys whose rows this request removed (`remove_after_commit`)."""
    return list(g.get("removed_upload_keys", []))


def written_keys() -> list[str]:
    """The keys this request (or app context) wrote bytes under."""
    return list(g.get("written_upload_keys", []))


def discard_unreferenced(keys: list[str]) -> None:
    """After a rollback: delete the bytes written in it, unless a row (committed by now) names
    them. Nothing referenced is ever deleted."""
    if not keys:
        return
    from sqlalchemy import select

    kept = set(db.session.scalars(select(StoredFile.storage_key)
                                  .where(StoredFile.storage_key.in_(keys))))
    remove_bytes([k for k in keys if k not in kept])


def serve(stored: StoredFile) -> Response:
    """The file as a download. The caller has asked the permission question already."""
    path = path_of(stored)
    if not path.is_file():
        from flask import abort

        abort(404)
    response = send_file(path, mimetype=stored.content_type, as_attachment=True,
                         download_name=stored.filename, max_age=0, conditional=False,
                         etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response

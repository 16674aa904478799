"""What a file is, told by its bytes and never by its name (pure: no Flask, no database).

Evidence files are PDF, images (PNG, JPEG, GIF, WebP), Office documents (OOXML: docx, xlsx,
pptx; legacy OLE: doc, xls, ppt) and OFD (GB/T 33190, the Chinese fixed-layout format of
e-invoices and official documents). Everything else is refused, HTML, SVG and scripts above
all: a file the browser could run must never be stored under a harmless name.

>>> sniff(b"%PDF-1.7\\n...").key
'pdf'
>>> sniff(b"<html><script>alert(1)</script></html>") is None
True
>>> sniff(b"MZ\\x90\\x00 a Windows program") is None
True
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

__all__ = ["FILE_TYPES", "FileType", "sniff"]


@dataclass(frozen=True)
class FileType:
    key: str
    label: str  # shown as is: format names are not translated
    content_type: str
    extensions: tuple[str, ...]  # the first is added to a name that lacks all of them


FILE_TYPES = {
    t.key: t
    for t in (
        FileType("pdf", "PDF", "application/pdf", (".pdf",)),
        FileType("png", "PNG", "image/png", (".png",)),
        FileType("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg")),
        FileType("gif", "GIF", "image/gif", (".gif",)),
        FileType("webp", "WebP", "image/webp", (".webp",)),
        FileType(
            "docx",
            "Word",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        FileType(
            "xlsx",
            "Excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
        ),
        FileType(
            "pptx",
            "PowerPoint",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            (".pptx",),
        ),
        FileType("doc", "Word 97-2003", "application/msword", (".doc", ".wps")),
        FileType("xls", "Excel 97-2003", "application/vnd.ms-excel", (".xls", ".et")),
        FileType("ppt", "PowerPoint 97-2003", "application/vnd.ms-powerpoint", (".ppt", ".dps")),
        FileType("ofd", "OFD", "application/ofd", (".ofd",)),
    )
}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream each legacy Office program writes, as the OLE directory spells it (UTF-16LE).
# An OLE file without one (an .msi installer, an Outlook message) is not an Office document.
OLE_STREAMS = (
    ("doc", "WordDocument"),
    ("xls", "Workbook"),
    ("xls", "Book"),  # Excel 5/95
    ("ppt", "PowerPoint Document"),
)
OOXML_PARTS = (("docx", "word/"), ("xlsx", "xl/"), ("pptx", "ppt/"))


def sniff(data: bytes) -> FileType | None:
    """The type of ``data`` if it is one evidence files may be, else None."""
    key = _sniff_key(data)
    return FILE_TYPES[key] if key else None


def _sniff_key(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data)
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def _ole_kind(data: bytes) -> str | None:
    for key, stream in OLE_STREAMS:
        if stream.encode("utf-16-le") + b"\x00\x00" in data:
            return key
    return None


def _zip_kind(data: bytes) -> str | None:
    """OOXML (a ``[Content_Types].xml`` and a word/, xl/ or ppt/ part) or OFD (``OFD.xml`` at
    the root). Only the directory is read: nothing is unpacked, so a zip bomb costs nothing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" in names:
        for key, prefix in OOXML_PARTS:
            if any(name.startswith(prefix) for name in names):
                return key
        return None
    if "OFD.xml" in names:
        return "ofd"
    return None

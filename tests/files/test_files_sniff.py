"""Type by content, never by name (crm/files/sniff.py is pure: no app needed)."""

from __future__ import annotations

import io
import zipfile

import pytest
from files_support import PDF, PNG, ooxml

from crm.files.sniff import sniff

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"GIF89a\x01\x00", "gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
        (ooxml("word/document.xml"), "docx"),
        (ooxml("xl/workbook.xml"), "xlsx"),
        (ooxml("ppt/presentation.xml"), "pptx"),
        (OLE + "WordDocument".encode("utf-16-le") + b"\x00\x00", "doc"),
        (OLE + "Workbook".encode("utf-16-le") + b"\x00\x00", "xls"),
        (OLE + "PowerPoint Document".encode("utf-16-le") + b"\x00\x00", "ppt"),
        (_zip("OFD.xml", "Doc_0/Document.xml"), "ofd"),
    ],
)
def test_accepted_types_are_told_by_their_bytes(data, key):
    assert sniff(data).key == key


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",  # an "invoice.pdf"
        b"<html><head></head></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",  # a Windows program renamed 合同.pdf
        b"\x7fELF\x02\x01\x01",
        b"#!/bin/sh\nrm -rf /\n",
        b"<?php system($_GET['c']); ?>",
        b" %PDF-1.4 not at the start",
        _zip("evil.js"),  # a zip that is no Office document
        _zip("[Content_Types].xml", "other/x.xml"),
        OLE + b"\x00" * 64,  # an OLE file without an Office stream (an .msi, say)
        b"PK\x03\x04 broken zip",
        b"",
    ],
)
def test_everything_else_is_refused(data):
    assert sniff(data) is None

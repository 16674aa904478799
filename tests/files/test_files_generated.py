"""The one-page PDF the demo's evidence files are made of is a well-formed PDF: every object
where the cross-reference table says, the text in the page, and the files service takes it
as a PDF."""

from __future__ import annotations

import re

from crm.files.generated import one_page_pdf
from crm.files.sniff import sniff


def test_a_generated_page_is_a_well_formed_small_pdf():
    data = one_page_pdf("投资合作协议", ["合同编号：610323-2026-003", "乙方：陕西某某新能源有限公司"])
    assert sniff(data).key == "pdf"
    assert len(data) < 2048
    startxref = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    assert data[startxref:].startswith(b"xref\n0 9\n")
    offsets = re.findall(rb"(\d{10}) 00000 n ", data[startxref:])
    assert len(offsets) == 8
    for number, offset in enumerate(offsets, start=1):
        assert data[int(offset) :].startswith(f"{number} 0 obj\n".encode())
    stream = re.search(rb"/Length (\d+) >>\nstream\n", data)
    body = data[stream.end() :]
    assert body[int(stream.group(1)) :].startswith(b"\nendstream")
    # The words, as UCS-2 hex strings in the page's text.
    assert "合同编号".encode("utf-16-be").hex().upper().encode() in body


def test_the_same_words_make_the_same_bytes():
    assert one_page_pdf("拨付凭证", ["一"]) == one_page_pdf("拨付凭证", ["一"])
    assert one_page_pdf("拨付凭证", ["一"]) != one_page_pdf("拨付凭证", ["二"])

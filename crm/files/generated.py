"""Small evidence files made in code, for the demo: a one-page PDF of a few lines of Chinese
text (a contract's cover page, a payment voucher, a review opinion, a confirmation letter),
attached through the files service like an upload (content-addressed, typed, audited).

The PDF embeds no font: its text is set in STSong-Light, one of the CJK fonts every PDF
reader provides (UniGB-UCS2-H encoding), so a page is about 1.5 KB and needs no library.
"""

from __future__ import annotations

from crm.files import services
from crm.files.models import Attachment

__all__ = ["DEMO_NOTE", "attach_generated_pdf", "chinese_date", "one_page_pdf"]

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
LEFT, TOP = 72, 760
TITLE_SIZE, TEXT_SIZE, LEADING = 20, 12, 22
MAX_LINES = 28
# The last line of every demo document: nobody should take one for a real paper.
DEMO_NOTE = "（演示数据，系统生成，非真实文件）"


def chinese_date(day) -> str:
    """2026年3月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _hex_text(text: str) -> str:
    """``text`` as a PDF hex string in UCS-2 big-endian (the UniGB-UCS2-H encoding)."""
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


def _content(title: str, lines: list[str]) -> bytes:
    """The page's drawing: the title centred-ish in large type, then one line per entry."""
    parts = ["BT", f"/F1 {TITLE_SIZE} Tf", f"{LEFT} {TOP} Td", f"{_hex_text(title)} Tj"]
    parts += [f"/F1 {TEXT_SIZE} Tf", f"0 -{LEADING * 2} Td"]
    for line in lines[:MAX_LINES]:
        parts += [f"{_hex_text(line)} Tj", f"0 -{LEADING} Td"]
    parts.append("ET")
    return "\n".join(parts).encode("ascii")


def one_page_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page A4 PDF showing ``title`` and ``lines`` (BMP characters only; at most
    28 lines are drawn). The same words give the same bytes, so the same file is stored once."""
    content = _content(title, lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            "/Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>"
        ).encode("ascii"),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [5 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>",
        b"<< /Length " + str(len(content)).encode("ascii") + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        ("<< /Title " + _hex_text("\ufeff" + title) + " /Producer (chaincrm) >>").encode("ascii"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode("ascii")
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode("ascii")
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode("ascii")
    return bytes(out)


def attach_generated_pdf(
    owner_kind: str, record, *, kind: str, filename: str, title: str, lines: list[str], by
) -> Attachment:
    """Attach a generated one-page PDF to ``record`` through the files service, as ``by``
    uploading it would (stored by content, checked by type, audited)."""
    return services.attach(owner_kind, record, one_page_pdf(title, lines), filename, kind, by)

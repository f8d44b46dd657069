"""Build odd and broken report files at test time from the real report texts in data/reports.

No binary fixture is checked in: every legacy-encoded text, PDF, DOCX, saved web page and junk
file is made fresh in a tmp dir, so a test shows exactly which bytes it feeds the reader.
"""

from __future__ import annotations

import codecs
import io
import random
import unicodedata
from datetime import date
from html import escape
from pathlib import Path

from etl.legacy_encodings import encode_cp1258, encode_tcvn3, encode_vni, tcvn3_representable

REPO = Path(__file__).resolve().parents[1]
REPORTS = REPO / "data" / "reports"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
KEY_REPORT = "004_f0b46b6ebb7b8b14.txt"  # says "đã giải quyết 5.121 hồ sơ" and "(99,8%)"
KEY_FACTS = ("5.121 hồ sơ", "99,8%")

# Words that only the page around an article has: none may survive HTML extraction.
HTML_FURNITURE = (
    "Đăng nhập", "Đăng ký tài khoản", "Trang chủ", "Giới thiệu chung", "Liên hệ quảng cáo",
    "menuToggle", "Bản quyền thuộc Cổng thông tin", "Tin liên quan khác", "Xem nhiều nhất",
)
HTML_TITLE = "Kết quả giải quyết thủ tục hành chính quý III"
HTML_PUBLISHED = date(2019, 10, 7)


def report_names() -> list[str]:
    return sorted(p.name for p in REPORTS.glob("*.txt"))


def report_text(name: str = KEY_REPORT) -> str:
    """A real report as NFC text."""
    return unicodedata.normalize("NFC", (REPORTS / name).read_text(encoding="utf-8"))


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


# ---------------------------------------------------------------- plain text

TEXT_ENCODINGS = (
    "utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "utf-16-le", "utf-16-be", "cp1258", "vni", "tcvn3",
)


def encode(text: str, encoding: str) -> tuple[bytes, str]:
    """(bytes of `text` in `encoding`, the text those bytes hold). The text differs from `text`
    only for TCVN3, which cannot write capitals with a tone mark (they become lower case).
    "utf-16" writes a little-endian BOM, "utf-16-be-bom" a big-endian one; "utf-16-le" and
    "utf-16-be" write no BOM."""
    text = unicodedata.normalize("NFC", text)
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8"), text
    if encoding == "utf-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le"), text
    if encoding == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be"), text
    if encoding == "cp1258":
        return encode_cp1258(text), text
    if encoding == "vni":
        return encode_vni(text), text
    if encoding == "tcvn3":
        text = tcvn3_representable(text)
        return encode_tcvn3(text), text
    return text.encode(encoding), text


def write_encoded(path: Path, text: str, encoding: str) -> str:
    """Write `text` to `path` in `encoding`; returns the text the file holds (see `encode`)."""
    data, held = encode(text, encoding)
    Path(path).write_bytes(data)
    return held


def make_markdown(path: Path, name: str = KEY_REPORT) -> str:
    """A report as Markdown (heading, paragraphs, a list); returns the text written."""
    paras = paragraphs(report_text(name))
    text = f"# {paras[0]}\n\n" + "\n\n".join(paras[1:-2]) + "\n\n" + "".join(f"- {p}\n" for p in paras[-2:])
    Path(path).write_text(text, encoding="utf-8")
    return text


def make_empty(path: Path) -> None:
    Path(path).write_bytes(b"")


def make_binary(path: Path, size: int = 4096) -> None:
    """A PNG header and random noise (NULs included): what a picture renamed to .txt looks like."""
    noise = random.Random(1258).randbytes(size)
    Path(path).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise)


def make_big_text(path: Path, mb: float) -> int:
    """A UTF-8 text file of at least `mb` MiB made of the real reports over and over; returns its size."""
    chunk = "\n\n".join(report_text(n) for n in report_names()).encode("utf-8") + b"\n\n"
    target = int(mb * 1024 * 1024)
    written = 0
    with open(path, "wb") as fh:
        while written < target:
            fh.write(chunk)
            written += len(chunk)
    return written


# ---------------------------------------------------------------- PDF


def _page_image(lines: int = 12) -> bytes:
    """A PNG of grey text-like lines on off-white: a scanned page without a text layer."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (600, 800), 245)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 18)
    for i in range(lines):
        draw.text((40, 40 + 50 * i), "Báo cáo cải cách hành chính (bản quét)", fill=40, font=font)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def make_pdf(path: Path, pages: list[str | None]) -> bytes:
    """A PDF with one entry per page: text (DejaVu Sans, so Vietnamese has real glyphs and a
    ToUnicode map; long text flows onto extra pages) or None for an image-only, scan-like page."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(FONT))
    image = None
    for page in pages:
        pdf.add_page()
        if page is None:
            image = image or _page_image()
            pdf.image(io.BytesIO(image), x=10, y=10, w=190)
            continue
        pdf.set_font("DejaVu", size=11)
        for para in paragraphs(page):
            pdf.multi_cell(0, 6, para)
            pdf.ln(3)
    data = bytes(pdf.output())
    Path(path).write_bytes(data)
    return data


def make_encrypted_pdf(path: Path, user_password: str = "mat-khau") -> bytes:
    """A one-page text PDF locked with `user_password` ("" = opens without one, owner lock only)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_page()
    pdf.set_font("DejaVu", size=11)
    pdf.multi_cell(0, 6, "Đã giải quyết 5.121 hồ sơ, đúng hạn 99,8%.")
    pdf.set_encryption(owner_password="chu-so-huu", user_password=user_password)
    data = bytes(pdf.output())
    Path(path).write_bytes(data)
    return data


def make_scanned_pdf(path: Path, pages: int = 2) -> bytes:
    return make_pdf(path, [None] * pages)


def make_truncated_pdf(path: Path, fraction: float = 0.6, name: str = KEY_REPORT) -> bytes:
    """The first `fraction` of a real text PDF: a download cut short."""
    full = make_pdf(path, [report_text(name)])
    data = full[: int(len(full) * fraction)]
    Path(path).write_bytes(data)
    return data


# ---------------------------------------------------------------- DOCX

DOCX_TITLE = "Báo cáo kết quả cải cách thủ tục hành chính"
DOCX_TABLE = (
    ("Chỉ tiêu", "Kế hoạch", "Thực hiện"),
    ("Hồ sơ giải quyết đúng hạn", "98%", "99,8%"),
    ("Dịch vụ công trực tuyến mức độ 4", "30%", "42,5%"),
)


def make_docx(path: Path, name: str = KEY_REPORT) -> dict[str, str]:
    """A Word report: title property, paragraphs of a real report, a paragraph where Word split
    "99,8%" into the runs "99" + ",8" + "%", a table, and a closing paragraph after it.
    Returns the lines the reader should produce for the split paragraph and the table rows."""
    import docx

    document = docx.Document()
    document.core_properties.title = DOCX_TITLE
    paras = paragraphs(report_text(name))
    document.add_heading(paras[0], level=1)
    for para in paras[1:4]:
        document.add_paragraph(para)
    split = document.add_paragraph("Đã giải quyết 5.121 hồ sơ, trong đó đúng hạn đạt ")
    split.add_run("99").bold = True
    split.add_run(",8")
    split.add_run("%").italic = True
    split.add_run(" tổng số hồ sơ.")
    table = document.add_table(rows=len(DOCX_TABLE), cols=3)
    for row, values in zip(table.rows, DOCX_TABLE, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("Kết thúc báo cáo.")
    document.save(str(path))
    return {
        "split": "Đã giải quyết 5.121 hồ sơ, trong đó đúng hạn đạt 99,8% tổng số hồ sơ.",
        "rows": "\n".join(" | ".join(row) for row in DOCX_TABLE),
        "first": paras[1],
        "last": "Kết thúc báo cáo.",
    }


# ---------------------------------------------------------------- HTML


def html_page(article: list[str], *, charset: str | None = "utf-8", title: str = HTML_TITLE,
              published: date | None = HTML_PUBLISHED) -> str:
    """A saved news page: menus, scripts, sidebar and footer around an article of `article` paragraphs."""
    meta = f'<meta charset="{charset}">' if charset else ""
    if published:
        meta += f'<meta property="article:published_time" content="{published.isoformat()}T08:30:00+07:00">'
    body = "\n".join(f"<p>{escape(p)}</p>" for p in article)
    return f"""<!DOCTYPE html>
<html lang="vi"><head>{meta}
<title>{escape(title)} - Cổng thông tin điện tử Sở Nội vụ</title>
<meta property="og:title" content="{escape(title)}">
<style>.menu {{ color: red; }} body {{ font-family: Arial; }}</style>
<script>var menuToggle = function () {{ document.body.classList.toggle("Đăng nhập"); }};</script>
</head><body>
<header><div class="logo">Cổng thông tin điện tử Sở Nội vụ</div>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu chung</a></li>
<li><a href="/tin-tuc">Tin tức</a></li><li><a href="/lien-he">Liên hệ quảng cáo</a></li>
<li><a href="/login">Đăng nhập</a></li><li><a href="/register">Đăng ký tài khoản</a></li></ul></nav></header>
<div class="container"><main><article class="post">
<h1>{escape(title)}</h1>
<div class="post-content">
{body}
</div></article></main>
<aside class="sidebar"><h3>Tin liên quan khác</h3><ul><li><a href="/a">Hội nghị giao ban tháng 9</a></li>
<li><a href="/b">Xem nhiều nhất</a></li></ul></aside></div>
<footer><p>Bản quyền thuộc Cổng thông tin điện tử Sở Nội vụ. Địa chỉ: 12 Lê Lợi.</p>
<p>Điện thoại: 0225 3842 123</p></footer>
<script>window.dataLayer = window.dataLayer || []; gtag("Đăng ký tài khoản");</script>
</body></html>
"""


def make_html(path: Path, name: str = KEY_REPORT, encoding: str = "utf-8") -> list[str]:
    """A saved page around a real report in `encoding` ('utf-8', 'cp1258' or 'vni'; the VNI page
    declares windows-1252, as VNI-font sites did). Returns the article paragraphs."""
    article = paragraphs(report_text(name))[1:]
    charset = {"utf-8": "utf-8", "cp1258": "windows-1258", "vni": "windows-1252"}[encoding]
    page = html_page(article, charset=charset)
    data = {"utf-8": lambda s: s.encode("utf-8"), "cp1258": encode_cp1258, "vni": encode_vni}[encoding](page)
    Path(path).write_bytes(data)
    return article


# ---------------------------------------------------------------- bad inputs for the ETL


def write_bad_inputs(dirpath: Path, big_mb: float = 50) -> dict[str, str]:
    """Write the odd inputs an end-to-end ETL test feeds in; returns {file name: 'skipped' | 'loaded'}.

    big.txt is readable (read_report does not refuse size) but is expected to be 'skipped' by the
    caller's size limit, which is assumed to be below `big_mb` MiB.
    """
    dirpath = Path(dirpath)
    dirpath.mkdir(parents=True, exist_ok=True)
    make_empty(dirpath / "empty.txt")
    make_binary(dirpath / "binary.txt")
    write_encoded(dirpath / "legacy_cp1258.txt", report_text(KEY_REPORT), "cp1258")
    make_truncated_pdf(dirpath / "truncated.pdf")
    make_big_text(dirpath / "big.txt", big_mb)
    return {
        "empty.txt": "skipped",
        "binary.txt": "skipped",
        "legacy_cp1258.txt": "loaded",
        "truncated.pdf": "skipped",
        "big.txt": "skipped",
    }

"""Read stage: one report file -> `Report` with NFC text, or `UnreadableReport` with a short reason.

Almost every report is UTF-8 and the ETL must read over a thousand a second, so UTF-8 is tried
strictly first and everything else (BOM-less UTF-16, Windows-1258, VNI, TCVN3, other code pages,
binary junk) is only looked at when that fails. The heavy libraries (trafilatura, pdfplumber,
python-docx, charset-normalizer) are imported on first use so that reading text files stays cheap.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from datetime import date
from pathlib import Path

from etl import legacy_encodings as legacy
from etl.normalize import normalize_text, unwrap_lines
from etl.records import Report

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx"})


class UnreadableReport(Exception):
    """Raised with a short human reason, e.g. 'empty file', 'binary content, not text',
    'scanned PDF: no text layer (needs OCR)', 'damaged PDF: <detail>', 'not a valid .docx: <detail>',
    'unsupported format .xls'. The caller prints '<file>: <reason>' and skips the file."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------- entry point


def read_report(path: Path, data: bytes | None = None, name: str | None = None) -> Report:
    """data: the file's bytes if the caller already read them (it hashes them too); name: the
    `file` field to use (default path.name). content_hash = hashlib.sha256(data).hexdigest()."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableReport(f"unsupported format {suffix or '(no extension)'}")
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableReport(f"cannot read file: {exc.strerror or exc}") from exc
    if not data:
        raise UnreadableReport("empty file")
    fmt = {".htm": "html"}.get(suffix, suffix[1:])
    content_hash = hashlib.sha256(data).hexdigest()
    encoding = title = published = None
    if fmt in ("txt", "md"):
        text, encoding, warnings = _decode(data)
    elif fmt == "html":
        text, encoding, title, published, warnings = _read_html(data)
    elif fmt == "pdf":
        text, warnings = _read_pdf(data)
    else:
        text, title, warnings = _read_docx(data)
    text = normalize_text(text)
    if not text or text.isspace():
        raise UnreadableReport("no text in file" if fmt in ("txt", "md") else f"{fmt.upper()} with no text")
    return Report(
        file=name if name is not None else path.name,
        content_hash=content_hash,
        text=text,
        format=fmt,
        encoding=encoding,
        title=_normalize_title(title),
        published=published,
        warnings=tuple(warnings),
    )


def _normalize_title(title: str | None) -> str | None:
    if title is None:
        return None
    title = " ".join(normalize_text(title).split())
    return title or None


# ---------------------------------------------------------------- text decoding


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes of a .txt/.md file -> (unicode text NOT yet normalised, encoding name such as 'utf-8',
    'utf-8-sig', 'utf-16', 'cp1258', 'vni', 'tcvn3'). Raises UnreadableReport for empty/binary."""
    text, encoding, _ = _decode(data)
    return text, encoding


_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
# C0 controls other than \t \n \v \f \r and ESC, plus DEL: never in text, common in binary files.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CONTROL_CHARS = re.compile("[" + re.escape(_CONTROL_BYTES.decode("ascii")) + "]")
_SAMPLE = 64 * 1024       # detection looks at this much; the chosen codec then decodes everything
_MAX_CONTROL_SHARE = 0.01  # more control characters than this: binary, not text
_MIN_VIETNAMESE = 0.5      # below this share of valid syllables a decoding is not Vietnamese
_SCORE_CHARS = 16 * 1024   # plenty of words to rank candidates (right ~0.95, wrong < 0.5)
_LEGACY_NAMES = {
    "cp1258": "decoded from legacy Windows-1258 encoding",
    "vni": "decoded from legacy VNI encoding",
    "tcvn3": "decoded from legacy TCVN3 (ABC) encoding",
}


def _decode(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings). `declared`: a charset the file names for itself (HTML meta)."""
    if not data:
        raise UnreadableReport("empty file")
    warnings: list[str] = []
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            text = _decode_lenient(data[len(bom):], codec, label, warnings)
            return _drop_controls(text, warnings), label, warnings
    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec is not None:
            text = _decode_lenient(data, codec, codec, warnings)
            return _drop_controls(text, warnings), codec, warnings
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, encoding = _detect(data, declared, warnings)
    else:
        encoding = "utf-8"
    return _drop_controls(text, warnings), encoding, warnings


def _decode_lenient(data: bytes, codec: str, label: str, warnings: list[str]) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
        warnings.append(_count(text.count("\ufffd"), f"invalid {label} sequence") + " replaced")
        return text


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit on every other byte (ASCII in UTF-16), else None."""
    sample = data[: _SAMPLE & ~1]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _drop_controls(text: str, warnings: list[str]) -> str:
    """Binary check for text that decoded cleanly; strips stray control characters from real text."""
    if _CONTROL_CHARS.search(text) is None:
        return text
    found = len(_CONTROL_CHARS.findall(text))
    if found > _MAX_CONTROL_SHARE * len(text):
        raise UnreadableReport("binary content, not text")
    warnings.append(_count(found, "control character") + " removed")
    return _CONTROL_CHARS.sub("", text)


def _detect(data: bytes, declared: str | None, warnings: list[str]) -> tuple[str, str]:
    """Not UTF-8: tell binary from text, then pick the decoding that reads as Vietnamese."""
    sample = data[:_SAMPLE]
    controls = len(sample.translate(None, _NOT_CONTROL))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise UnreadableReport("binary content, not text")

    # UTF-8 with a few bad bytes (a stray Latin-1 byte, a cut-off last character) stays UTF-8.
    loose = sample.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    multibyte = len(loose) - len(loose.encode("ascii", errors="ignore")) - bad
    if bad <= 0.02 * multibyte:
        text = data.decode("utf-8", errors="replace")
        warnings.append(_count(text.count("\ufffd"), "invalid UTF-8 byte sequence") + " replaced")
        return text, "utf-8"

    candidates = [declared] if declared else []
    candidates += [c for c in ("cp1258", "vni", "tcvn3") if c not in candidates]
    cut = len(sample) < len(data)
    decoded = {c: text for c in candidates if (text := _decode_sample(sample, c, cut)) is not None}
    scored = {codec: legacy.vietnamese_score(text[:_SCORE_CHARS]) for codec, text in decoded.items()}
    # Highest score wins; on a tie the earlier candidate (the page's own declaration first).
    best = max(scored, key=lambda codec: (scored[codec], -candidates.index(codec)), default=None)
    best_score = scored.get(best, 0.0)
    if best_score < _MIN_VIETNAMESE:
        # Not Vietnamese we can read: still text if the page's charset or a detector says so.
        best = declared if declared in scored else _charset_normalizer_guess(sample)
        if best is None:
            raise UnreadableReport("binary content, not text")
    if best_score < _MIN_VIETNAMESE:
        warnings.append(f"text does not read as Vietnamese; decoded as {best}")
    elif best in _LEGACY_NAMES:
        warnings.append(_LEGACY_NAMES[best])
    if not cut and best in decoded:
        return decoded[best], best
    return _decode_as(data, best, strict=False), best


def _decode_as(data: bytes, codec: str, strict: bool = True) -> str:
    if codec == "vni":
        return legacy.decode_vni(data)
    if codec == "tcvn3":
        return legacy.decode_tcvn3(data)
    text = data.decode(codec, errors="strict" if strict else "replace")
    # Windows-1258 writes most tone marks as combining characters: compose them.
    return unicodedata.normalize("NFC", text) if codec == "cp1258" else text


def _decode_sample(sample: bytes, codec: str, cut: bool) -> str | None:
    """`sample` decoded as `codec`, or None if it does not decode (when the sample was `cut` from a
    longer file, a character split by its end does not count)."""
    try:
        return _decode_as(sample, codec)
    except UnicodeDecodeError as exc:
        if not cut or exc.start < len(sample) - 4:
            return None
        return _decode_as(sample[: exc.start], codec)
    except LookupError:
        return None


def _charset_normalizer_guess(sample: bytes) -> str | None:
    from charset_normalizer import from_bytes

    match = from_bytes(sample).best()
    if match is None:
        return None
    return codecs.lookup(match.encoding).name


# ---------------------------------------------------------------- HTML

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_:.+-]+)""", re.I)
_XML_DECL_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# The WHATWG encoding standard reads these labels as Windows-1252.
_AS_CP1252 = {"latin-1", "iso8859-1", "ascii", "cp1252"}
_DATE_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "date", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date", "dc.date.issued",
    "dc.date.created", "dcterms.date", "dcterms.issued", "dcterms.created", "citation_publication_date",
    "citation_date", "article.published", "sailthru.date", "created", "parsely-pub-date",
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")  # Vietnamese pages write day first
_YMD_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
# Not <form>: ASP.NET portals, common among Vietnamese government sites, wrap the whole page in one.
_FURNITURE_XPATH = "|".join(
    [f"//{tag}" for tag in ("script", "style", "noscript", "template", "nav", "aside", "iframe", "svg",
                            "button", "select", "menu", "head", "noframes")]
    + [f"//{tag}[not(ancestor::article or ancestor::main)]" for tag in ("header", "footer")]
)
_BLOCK_TAGS = frozenset(
    "p div br li ul ol tr table h1 h2 h3 h4 h5 h6 section article main blockquote pre dd dt dl "
    "figcaption caption td th hr address".split()
)


def _read_html(data: bytes) -> tuple[str, str, str | None, date | None, list[str]]:
    import trafilatura

    html, encoding, warnings = _decode(data, _declared_charset(data))
    html = _XML_DECL_TEXT.sub("", html, count=1)  # lxml refuses str input with an encoding declaration
    root = _parse_html(html)
    title, published = _html_title(root), _html_published(root)
    # Menus, scripts and sidebars go before trafilatura sees the page: on a short page its
    # fallback extractors would otherwise take a menu for the article.
    _drop_furniture(root)
    article = trafilatura.extract(
        root, include_tables=True, include_comments=False, include_images=False, include_links=False,
        output_format="txt", with_metadata=False, deduplicate=False,
    )
    if article and article.strip():
        warnings.append("HTML: article text extracted, page furniture dropped")
        return article, encoding, title, published, warnings
    text = _visible_text(_drop_furniture(_parse_html(html)))  # trafilatura may have changed `root`
    if not text.strip():
        raise UnreadableReport("HTML page with no article text")
    warnings.append("HTML: no article found; kept all visible text of the page")
    return text, encoding, title, published, warnings


def _parse_html(html: str):
    import lxml.html
    from lxml import etree

    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableReport(f"HTML page that cannot be parsed: {_describe(exc)}") from exc


def _declared_charset(data: bytes) -> str | None:
    """The Python codec an HTML page names in <meta charset> or its XML declaration, if known."""
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_DECL.search(head)
    if m is None:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None
    if name in _AS_CP1252:
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):  # an ASCII-compatible file cannot really be UTF-16
        return None
    return name


def _html_title(root) -> str | None:
    for value in root.xpath("//meta[@property='og:title' or @name='og:title']/@content"):
        if value.strip():
            return value
    for el in root.xpath("//title"):
        if el.text_content().strip():
            return el.text_content()
    return None


def _html_published(root) -> date | None:
    metas = {}
    for meta in root.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key and key not in metas:
            metas[key] = meta.get("content")
    for key in _DATE_META:
        if key in metas and (day := _parse_date(metas[key])) is not None:
            return day
    for script in root.xpath("//script[@type='application/ld+json']"):
        m = _JSONLD_DATE.search(script.text_content())
        if m and (day := _parse_date(m.group(1))) is not None:
            return day
    return None


def _parse_date(value: str) -> date | None:
    for pattern, order in ((_ISO_DATE, (0, 1, 2)), (_YMD_DATE, (0, 1, 2)), (_DMY_DATE, (2, 1, 0))):
        m = pattern.search(value)
        if m:
            parts = [int(g) for g in m.groups()]
            try:
                return date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                continue
    return None


def _drop_furniture(root):
    """Remove scripts, menus, sidebars and page headers/footers (those of the article itself stay)."""
    for el in root.xpath(_FURNITURE_XPATH):
        if el.getparent() is not None:
            el.drop_tree()
    return root


def _visible_text(root) -> str:
    """Text of <body>, one line per block element."""
    body = root.find("body")
    if body is None:
        body = root
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in body.text_content().splitlines())
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- PDF


def _read_pdf(data: bytes) -> tuple[str, list[str]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdftypes import PDFException
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data), raise_unicode_errors=False) as pdf:
            pages = []
            for page in pdf.pages:
                pages.append((page.extract_text() or "").strip())
                page.close()  # drop the page's parsed objects: long PDFs stay flat in memory
    # pdfplumber wraps what pdfminer raises in PdfminerException; a damaged file can still surface
    # pdfminer's own errors or low-level ones from parsing a cut-off stream.
    except (PdfminerException, MalformedPDFException, PDFException, PSException,
            ValueError, KeyError, TypeError, IndexError, struct.error, zlib.error) as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableReport("encrypted PDF: needs a password") from exc
        raise UnreadableReport(f"damaged PDF: {_describe(cause)}") from exc
    if not pages:
        raise UnreadableReport("damaged PDF: no pages")
    empty = sum(1 for text in pages if not text)
    if empty == len(pages):
        raise UnreadableReport("scanned PDF: no text layer (needs OCR)")
    warnings = []
    if empty:
        verb = "has" if empty == 1 else "have"
        warnings.append(f"{empty} of {len(pages)} pages {verb} no text layer")
    # A PDF breaks lines where the page ran out of width; the extractor reads a line as a paragraph.
    return "\n\n".join(unwrap_lines(text) for text in pages if text), warnings


def _describe(exc: object) -> str:
    detail = " ".join(str(exc).split())[:120]
    return detail or type(exc).__name__


# ---------------------------------------------------------------- DOCX

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_docx(data: bytes) -> tuple[str, str | None, list[str]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    if data.startswith(_OLE_MAGIC):
        raise UnreadableReport("not a valid .docx: an old binary Word (.doc) file; save it as .docx")
    if not data.startswith(b"PK\x03\x04"):  # every .docx is a zip package and starts so
        raise UnreadableReport("not a valid .docx: not a zip package")
    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError as exc:
        raise UnreadableReport("not a valid .docx: not a zip package") from exc
    except zipfile.BadZipFile as exc:  # a zip, but damaged ("Bad CRC-32 for file ...")
        raise UnreadableReport(f"not a valid .docx: damaged zip ({_describe(exc)})") from exc
    except KeyError as exc:  # zipfile: "There is no item named 'word/document.xml' in the archive"
        raise UnreadableReport(f"not a valid .docx: {_describe(exc.args[0] if exc.args else exc)}") from exc
    # A damaged zip member or XML part; NotImplementedError and RuntimeError are how zipfile
    # reports unsupported compression and encrypted members.
    except (ValueError, etree.XMLSyntaxError, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise UnreadableReport(f"not a valid .docx: {_describe(exc)}") from exc
    blocks = list(_docx_blocks(document.element.body, document))
    title = document.core_properties.title or None
    return "\n".join(blocks), title, []


def _docx_blocks(parent, document):
    """Paragraph and table-row lines in document order (content controls opened up)."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document).text
        elif child.tag == qn("w:tbl"):
            for row in Table(child, document).rows:
                cells, seen = [], set()
                for cell in row.cells:  # a merged cell appears once per grid column it spans
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(" ".join(p.text for p in cell.paragraphs).strip())
                if any(cells):
                    yield " | ".join(cells)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_blocks(content, document)


if __name__ == "__main__":      # python -m etl.read FILE: what the read stage makes of one file
    import sys

    for arg in sys.argv[1:]:
        try:
            r = read_report(Path(arg))
        except UnreadableReport as exc:
            print(f"{arg}: {exc.reason}")
            continue
        print(f"# {r.file}  format={r.format} encoding={r.encoding} title={r.title!r} published={r.published}")
        for w in r.warnings:
            print(f"# warning: {w}")
        print(r.text)

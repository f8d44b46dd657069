"""Read stage on real files made at test time (see read_fixtures): every format, every encoding,
and the broken inputs a user will drop in the reports folder."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from read_fixtures import (
    DOCX_TITLE,
    HTML_FURNITURE,
    HTML_PUBLISHED,
    HTML_TITLE,
    KEY_FACTS,
    KEY_REPORT,
    TEXT_ENCODINGS,
    encode,
    html_page,
    make_big_text,
    make_binary,
    make_docx,
    make_empty,
    make_encrypted_pdf,
    make_html,
    make_markdown,
    make_pdf,
    make_scanned_pdf,
    make_truncated_pdf,
    paragraphs,
    report_names,
    report_text,
    write_bad_inputs,
    write_encoded,
)

from etl.legacy_encodings import (
    decode_tcvn3,
    decode_vni,
    encode_cp1258,
    encode_tcvn3,
    encode_vni,
    is_vietnamese_syllable,
    tcvn3_representable,
    vietnamese_score,
)
from etl.normalize import _SPACES, normalize_text
from etl.read import SUPPORTED_SUFFIXES, UnreadableReport, decode_text, read_report

EXPECTED_LABEL = {
    "utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "utf-16-be-bom": "utf-16",
    "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be", "cp1258": "cp1258", "vni": "vni", "tcvn3": "tcvn3",
}


def flat(text: str) -> str:
    """Whitespace collapsed: PDF lines wrap where the page ends, not where the sentence does."""
    return " ".join(text.split())


def reason(path: Path, **kwargs) -> str:
    with pytest.raises(UnreadableReport) as info:
        read_report(path, **kwargs)
    assert str(info.value) == info.value.reason
    return info.value.reason


# ---------------------------------------------------------------- text files


@pytest.mark.parametrize("encoding", TEXT_ENCODINGS)
def test_text_file_in_each_encoding_reads_back_to_the_source(tmp_path, encoding):
    path = tmp_path / f"report_{encoding}.txt"
    held = write_encoded(path, report_text(), encoding)
    report = read_report(path)
    assert report.text == unicodedata.normalize("NFC", held)
    assert report.encoding == EXPECTED_LABEL[encoding]
    assert report.format == "txt"
    assert report.file == path.name
    assert report.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert report.title is None and report.published is None
    for fact in KEY_FACTS:
        assert fact in report.text


@pytest.mark.parametrize("encoding", ["cp1258", "vni", "tcvn3"])
def test_legacy_encoding_is_detected_on_every_real_report(encoding):
    """The measurement behind the design (syllable scoring picks right on every file), kept as a test."""
    for name in report_names():
        data, held = encode(report_text(name), encoding)
        text, detected = decode_text(data)
        assert detected == encoding, name
        assert unicodedata.normalize("NFC", text) == held, name


def test_legacy_decodings_warn_the_user(tmp_path):
    wanted = {"cp1258": "Windows-1258", "vni": "VNI", "tcvn3": "TCVN3"}
    for encoding, word in wanted.items():
        path = tmp_path / f"{encoding}.txt"
        write_encoded(path, report_text(), encoding)
        (warning,) = read_report(path).warnings
        assert word in warning and "legacy" in warning


def test_utf8_text_has_no_warnings_and_keeps_offsets_stable(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(report_text(), encoding="utf-8")
    report = read_report(path)
    assert report.warnings == ()
    assert report.text is not None and report.text == report_text()


def test_text_is_normalised_nfc_spaces_and_line_ends(tmp_path):
    nfd = unicodedata.normalize("NFD", "Đã giải quyết\u00a05.121\u202fhồ sơ\r\nđạt 99,8%\r\n")
    path = tmp_path / "odd.txt"
    path.write_bytes(codecs.BOM_UTF8 + nfd.encode("utf-8"))
    report = read_report(path)
    assert report.text == "Đã giải quyết 5.121 hồ sơ\nđạt 99,8%\n"
    assert report.encoding == "utf-8-sig"


@pytest.mark.parametrize("name", report_names())
def test_fast_normalisation_is_normalize_text(name):
    """normalize_text skips its slow steps when it can; the result must not differ from doing them all."""
    odd = "a\u00a0b\u202fc\u2009d\u3000e\u200bf\u00adg\ufeffh\ti\r\nj\rk" + unicodedata.normalize("NFD", "Hồ sơ")
    for text in (report_text(name), odd, odd + report_text(name), unicodedata.normalize("NFD", report_text(name))):
        reference = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")
                                          .translate(_SPACES))
        assert normalize_text(text) == reference


def test_markdown_is_read_like_text(tmp_path):
    path = tmp_path / "r.md"
    written = make_markdown(path)
    report = read_report(path)
    assert report.format == "md" and report.encoding == "utf-8"
    assert report.text == written


def test_utf8_with_a_stray_byte_stays_utf8_with_a_warning(tmp_path):
    path = tmp_path / "r.txt"
    data = report_text().encode("utf-8")
    cut = data.index(b" ", 500)
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])
    report = read_report(path)
    assert report.encoding == "utf-8"
    assert report.warnings == ("1 invalid UTF-8 byte sequence replaced",)
    assert "5.121 hồ sơ" in report.text


def test_text_that_is_not_vietnamese_is_still_read(tmp_path):
    path = tmp_path / "ru.txt"
    russian = "Отчёт о ходе административной реформы в провинции за первое полугодие. " * 20
    path.write_bytes(russian.encode("cp1251"))
    report = read_report(path)
    assert any("does not read as Vietnamese" in w for w in report.warnings)
    assert report.text.strip()


def test_a_few_control_characters_are_dropped_with_a_warning(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(report_text().encode("utf-8") + b"\x00\x1a")
    report = read_report(path)
    assert report.text == report_text()
    assert report.warnings == ("2 control characters removed",)


# ---------------------------------------------------------------- legacy tables


def test_vni_and_tcvn3_decode_well_known_strings():
    """Samples typed in the old fonts, independent of this module's own encoders."""
    motto = "Cộng hòa xã hội chủ nghĩa Việt Nam - Độc lập - Tự do - Hạnh phúc"
    vni = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam - Ñoäc laäp - Töï do - Haïnh phuùc"
    tcvn3 = "Céng hßa x· héi chñ nghÜa ViÖt Nam - §éc lËp - Tù do - H¹nh phóc"
    assert decode_vni(vni.encode("cp1252")) == motto
    assert decode_tcvn3(tcvn3.encode("cp1252")) == motto
    assert decode_vni("ñöôïc quyeát ngöôøi".encode("cp1252")) == "được quyết người"
    assert decode_vni("VIEÄT NAM".encode("cp1252")) == "VIỆT NAM"


def test_vni_accepts_either_case_of_accent_byte():
    assert decode_vni(b"a\xd9 a\xf9 A\xd9 A\xf9") == "á á Á Á"


@pytest.mark.parametrize("name", report_names())
def test_legacy_encoders_round_trip_real_reports(name):
    text = report_text(name)
    assert decode_vni(encode_vni(text)) == text
    lowered = tcvn3_representable(text)
    assert decode_tcvn3(encode_tcvn3(lowered)) == lowered
    assert unicodedata.normalize("NFC", encode_cp1258(text).decode("cp1258")) == text


def test_tcvn3_cannot_write_capitals_with_tone_marks():
    assert tcvn3_representable("ẢNH Ấn Đô Ơ") == "ảNH ấn Đô Ơ"
    with pytest.raises(UnicodeEncodeError):
        encode_tcvn3("Ấn")


@pytest.mark.parametrize("word", [
    "nghiêng", "quyết", "giữa", "gì", "khuỷu", "được", "người", "hòa", "hoà", "Việt", "UỶ", "quỳnh",
    "xoong", "oanh", "ý", "kiểm", "thuế", "hoặc", "tuần", "khuya",
])
def test_syllable_validator_accepts_vietnamese(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["Vieät", "ViÖt", "UBND", "strength", "bá̀", "ác̀", "cat", "hoàá", "Ð"])
def test_syllable_validator_rejects_mojibake_and_foreign_words(word):
    assert not is_vietnamese_syllable(unicodedata.normalize("NFC", word))


def test_score_separates_right_and_wrong_decodings():
    data = encode_vni(report_text())
    assert vietnamese_score(decode_vni(data)) > 0.9
    assert vietnamese_score(data.decode("cp1252")) < 0.5
    assert vietnamese_score("") == 0.0


# ---------------------------------------------------------------- HTML


@pytest.mark.parametrize("encoding", ["utf-8", "cp1258", "vni"])
def test_html_article_without_furniture(tmp_path, encoding):
    path = tmp_path / f"page_{encoding}.html"
    article = make_html(path, encoding=encoding)
    report = read_report(path)
    assert report.format == "html"
    assert report.encoding == encoding
    for para in article:
        assert para in report.text
    for fact in KEY_FACTS:
        assert fact in report.text
    leftovers = [word for word in HTML_FURNITURE if word in report.text]
    assert leftovers == []
    assert report.title == HTML_TITLE
    assert report.published == HTML_PUBLISHED
    assert "HTML: article text extracted, page furniture dropped" in report.warnings


def test_htm_suffix_and_date_meta_variants(tmp_path):
    page = html_page(paragraphs(report_text())[1:], published=None)
    page = page.replace("</head>", '<meta name="pubdate" content="07/10/2019 08:30"></head>')
    path = tmp_path / "page.htm"
    path.write_text(page, encoding="utf-8")
    report = read_report(path)
    assert report.format == "html"
    assert report.published == date(2019, 10, 7)


def test_short_html_page_keeps_its_text_but_not_its_menus(tmp_path):
    path = tmp_path / "short.html"
    path.write_text(
        "<html><head><title>Thông báo</title><script>var x = 'mã kịch bản';</script></head>"
        "<body><nav><a href='/'>Trang chủ</a></nav><div>Tỷ lệ hồ sơ đúng hạn: 99,8%</div>"
        "<footer>Bản quyền</footer></body></html>",
        encoding="utf-8",
    )
    report = read_report(path)
    assert report.text == "Tỷ lệ hồ sơ đúng hạn: 99,8%"
    assert report.title == "Thông báo"
    assert report.published is None


def test_html_without_an_article_falls_back_to_visible_text(tmp_path):
    """The extractor drops blocks it takes for reader comments; if that is all the page has,
    the visible text of the body is kept instead of nothing."""
    path = tmp_path / "comments.html"
    path.write_text(
        "<html><head><script>var x = 'mã kịch bản';</script></head><body><nav>Trang chủ</nav>"
        "<div id='comments'><p>Tỷ lệ hồ sơ đúng hạn: 99,8%</p><p>Đã giải quyết 5.121 hồ sơ</p></div>"
        "</body></html>",
        encoding="utf-8",
    )
    report = read_report(path)
    assert report.text == "Tỷ lệ hồ sơ đúng hạn: 99,8%\nĐã giải quyết 5.121 hồ sơ"
    assert report.warnings == ("HTML: no article found; kept all visible text of the page",)


def test_html_with_no_text_at_all_is_skipped(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text(
        "<html><head><title>x</title><script>var menu = 'Đăng nhập';</script></head>"
        "<body><nav><a href='/'>Trang chủ</a></nav></body></html>",
        encoding="utf-8",
    )
    assert reason(path) == "HTML page with no article text"


# ---------------------------------------------------------------- PDF


def test_pdf_text_layer(tmp_path):
    path = tmp_path / "r.pdf"
    text = report_text()
    make_pdf(path, [text])
    report = read_report(path)
    assert report.format == "pdf" and report.encoding is None and report.warnings == ()
    assert report.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    for para in paragraphs(text):
        assert flat(para) in flat(report.text)
    for fact in KEY_FACTS:
        assert fact in report.text


def test_pdf_pages_are_joined_and_pages_without_text_are_reported(tmp_path):
    path = tmp_path / "mixed.pdf"
    make_pdf(path, ["Trang một: đã giải quyết 5.121 hồ sơ.", None, "Trang ba: đúng hạn 99,8%."])
    report = read_report(path)
    assert report.text == "Trang một: đã giải quyết 5.121 hồ sơ.\n\nTrang ba: đúng hạn 99,8%."
    assert report.warnings == ("1 of 3 pages has no text layer",)


def test_scanned_pdf_is_skipped(tmp_path):
    path = tmp_path / "scan.pdf"
    make_scanned_pdf(path)
    assert reason(path) == "scanned PDF: no text layer (needs OCR)"


def test_truncated_pdf_is_skipped(tmp_path):
    path = tmp_path / "cut.pdf"
    make_truncated_pdf(path)
    assert reason(path).startswith("damaged PDF: ")


def test_encrypted_pdf_is_skipped_unless_it_opens_without_a_password(tmp_path):
    locked = tmp_path / "locked.pdf"
    make_encrypted_pdf(locked)
    assert reason(locked) == "encrypted PDF: needs a password"
    owner_only = tmp_path / "owner.pdf"
    make_encrypted_pdf(owner_only, user_password="")
    assert read_report(owner_only).text == "Đã giải quyết 5.121 hồ sơ, đúng hạn 99,8%."


def test_text_file_named_pdf_is_damaged(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_text(report_text(), encoding="utf-8")
    assert reason(path).startswith("damaged PDF: ")


# ---------------------------------------------------------------- DOCX


def test_docx_paragraphs_split_runs_and_table_in_order(tmp_path):
    path = tmp_path / "r.docx"
    expected = make_docx(path)
    report = read_report(path)
    assert report.format == "docx" and report.encoding is None
    assert report.title == DOCX_TITLE
    lines = report.text.split("\n")
    assert expected["split"] in lines
    assert expected["rows"] in report.text
    order = [report.text.index(expected[key]) for key in ("first", "split", "rows", "last")]
    assert order == sorted(order)
    for fact in KEY_FACTS:
        assert fact in report.text


def test_corrupt_docx_is_skipped(tmp_path):
    good = tmp_path / "good.docx"
    make_docx(good)
    cut = tmp_path / "cut.docx"
    cut.write_bytes(good.read_bytes()[:3000])
    assert reason(cut).startswith("not a valid .docx: ")
    text = tmp_path / "text.docx"
    text.write_text("không phải Word", encoding="utf-8")
    assert reason(text) == "not a valid .docx: not a zip package"
    ole = tmp_path / "old.docx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert "old binary Word" in reason(ole)


# ---------------------------------------------------------------- files to skip, API details


def test_empty_and_whitespace_files(tmp_path):
    empty = tmp_path / "empty.txt"
    make_empty(empty)
    assert reason(empty) == "empty file"
    blank = tmp_path / "blank.md"
    blank.write_text(" \n\u00a0\n", encoding="utf-8")
    assert reason(blank) == "no text in file"
    with pytest.raises(UnreadableReport, match="empty file"):
        decode_text(b"")


def test_binary_file_renamed_txt(tmp_path):
    path = tmp_path / "picture.txt"
    make_binary(path)
    assert reason(path) == "binary content, not text"
    with pytest.raises(UnreadableReport, match="binary content, not text"):
        decode_text(bytes(range(256)) * 8)
    with pytest.raises(UnreadableReport, match="binary content, not text"):
        decode_text(b"\x00" * 1000)  # NULs without UTF-16's every-other-byte pattern


def test_unsupported_and_missing_files(tmp_path):
    assert reason(tmp_path / "table.xls") == "unsupported format .xls"
    assert reason(tmp_path / "README") == "unsupported format (no extension)"
    assert reason(tmp_path / "gone.txt").startswith("cannot read file: ")
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".docx"} == SUPPORTED_SUFFIXES


def test_suffix_case_does_not_matter(tmp_path):
    path = tmp_path / "REPORT.TXT"
    path.write_text(report_text(), encoding="utf-8")
    assert read_report(path).format == "txt"


def test_caller_supplied_bytes_and_name(tmp_path):
    data, _ = encode(report_text(), "vni")
    report = read_report(tmp_path / "never-written.txt", data=data, name="reports/vni.txt")
    assert report.file == "reports/vni.txt"
    assert report.content_hash == hashlib.sha256(data).hexdigest()
    assert report.encoding == "vni"


def test_decode_text_returns_unnormalised_text():
    cp1258 = encode_cp1258("Hồ sơ\r\n")
    text, encoding = decode_text(cp1258)
    assert encoding == "cp1258"
    assert text == "Hồ sơ\r\n"  # composed (cp1258's combining marks), line ends untouched
    assert decode_text(codecs.BOM_UTF8 + "Hồ sơ".encode())[1] == "utf-8-sig"


def test_utf32_and_xhtml_declarations(tmp_path):
    assert decode_text(codecs.BOM_UTF32_LE + "Hồ sơ".encode("utf-32-le")) == ("Hồ sơ", "utf-32")
    page = html_page(paragraphs(report_text())[1:], charset=None)
    page = '<?xml version="1.0" encoding="windows-1258"?>\n' + page
    path = tmp_path / "page.html"
    path.write_bytes(encode_cp1258(page))
    report = read_report(path)
    assert report.encoding == "cp1258"
    assert "5.121 hồ sơ" in report.text and report.title == HTML_TITLE


def test_big_text_helper_makes_a_readable_file(tmp_path):
    path = tmp_path / "big.txt"
    size = make_big_text(path, 1)
    assert size >= 1024 * 1024
    report = read_report(path)
    copies = report.text.count(report_text(report_names()[0])[:60])     # how many times the corpus repeats
    assert report.encoding == "utf-8" and copies >= 2 and report.text.count("5.121 hồ sơ") >= copies


def test_bad_inputs_behave_as_announced(tmp_path):
    expected = write_bad_inputs(tmp_path, big_mb=1)
    assert sorted(expected) == sorted(p.name for p in tmp_path.iterdir())
    assert expected["big.txt"] == "skipped"  # by the caller's size limit, not by read_report
    for name, outcome in expected.items():
        if name == "big.txt":
            assert read_report(tmp_path / name).text
            continue
        if outcome == "loaded":
            report = read_report(tmp_path / name)
            assert report.encoding == "cp1258" and report.text == report_text(KEY_REPORT)
        else:
            reason(tmp_path / name)

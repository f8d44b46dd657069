"""Text normalisation at ingest and a matching key that shares offsets with the stored text.

Stored text: NFC, non-breaking and other odd spaces turned into plain spaces, line ends unified.
Matching key: the stored text lower-cased with tone marks moved to one convention ("hòa" and
"hoà" both become "hoà"). The key has exactly the length of the text, so an offset found in the
key is an offset in the text.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u3000"), " ")
_SPACES.update(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None))
_SPACES[ord("\t")] = " "


_ODD_SPACE = re.compile("[" + re.escape("".join(map(chr, _SPACES))) + "]")


def normalize_text(text: str) -> str:
    """NFC, plain spaces, '\\n' line ends; drops zero-width characters and soft hyphens.

    Each step runs only when the text needs it: most reports need none, and a blanket translate
    costs more than reading the file."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ODD_SPACE.search(text) is not None:
        text = _ODD_SPACE.sub(lambda m: _SPACES[ord(m.group())] or "", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def unwrap_lines(text: str) -> str:
    """Join lines a PDF wrapped inside a sentence, so that a sentence stays one line of text."""
    return re.sub(r"(?<=[^\s.:;!?…])[ ]*\n[ ]*(?=[a-zà-ỹđ0-9(])", " ", text)


# Vowels with their tone: (base, tone index 0..5) <-> precomposed character.
_TONED = {
    "a": "aàáảãạ", "ă": "ăằắẳẵặ", "â": "âầấẩẫậ", "e": "eèéẻẽẹ", "ê": "êềếểễệ",
    "i": "iìíỉĩị", "o": "oòóỏõọ", "ô": "ôồốổỗộ", "ơ": "ơờớởỡợ", "u": "uùúủũụ",
    "ư": "ưừứửữự", "y": "yỳýỷỹỵ",
}
_BASE = {ch: (base, i) for base, row in _TONED.items() for i, ch in enumerate(row)}

# Old-style placement: tone on the first vowel of an open "oa", "oe", "uy" ("hòa", "khỏe", "thủy").
_OLD_STYLE = re.compile(r"(?<![qQ])([òóỏõọùúủũụ])([aey])(?![\w])")


def _move_tone(m: re.Match) -> str:
    first, second = m.group(1), m.group(2)
    base1, tone = _BASE[first]
    if (base1, second) not in {("o", "a"), ("o", "e"), ("u", "y")}:
        return m.group(0)
    return base1 + _TONED[second][tone]


def match_key(text: str) -> str:
    """Lower-case, one tone convention; same length as `text` so offsets carry over."""
    key = text.lower()
    if len(key) != len(text):  # a character whose lower case is longer (rare): map one by one
        key = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _OLD_STYLE.sub(_move_tone, key)


_STRIP = str.maketrans({"đ": "d", "Đ": "D"})


def ascii_fold(text: str) -> str:
    """Accents removed ("Hải Dương" -> "Hai Duong"), for file names and URL slugs."""
    text = unicodedata.normalize("NFD", text.translate(_STRIP))
    return "".join(c for c in text if not unicodedata.combining(c))

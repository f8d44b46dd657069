"""Legacy Vietnamese 8-bit encodings (VNI-Windows, TCVN3/ABC) and a Vietnamese-syllable scorer.

Old Vietnamese files are Windows-1258, VNI or TCVN3, and nothing in the bytes says which: generic
charset detectors take VNI and TCVN3 for Western code pages. The reader therefore decodes a sample
every plausible way and keeps the decoding whose words are most often real Vietnamese syllables
(`vietnamese_score`).

VNI and TCVN3 were font encodings laid over Windows-1252, so bytes 0x80-0x9F keep their cp1252
meaning (smart quotes, dashes, ellipsis) and unassigned bytes read as Latin-1.

VNI-Windows: a vowel with a hat and/or tone is its ASCII base letter followed by one accent byte
from the Latin-1 range, lower-case accents after lower-case letters ("á" = "a" + 0xF9 "ù",
"ấ" = "a" + 0xE1 "á"), upper-case ones after capitals ("Á" = "A" + 0xD9 "Ù"); the decoder accepts
either case of accent byte and keeps the case of the base letter. ơ, ư, đ, the toned i's and ỵ are
single bytes ("ô", "ö", "ñ", "ì í æ ó ò", "î").

TCVN3 (ABC, TCVN 5712:1993 VN3): each lower-case Vietnamese letter is one byte in 0xA8-0xFE; of
the capitals only Ă Â Ê Ô Ơ Ư Đ have codes (0xA1-0xA7). Capitals with a tone mark were typed with
the lower-case codes in a separate capitals font (".VnTimeH"): the font, lost in a plain-text
file, was all that made them capitals, so they decode as lower case and `encode_tcvn3` cannot
write them. This is a limit of the encoding, not of the decoder.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

# Tone marks in the order huyền, sắc, hỏi, ngã, nặng; tone 0 is "no mark".
_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _cp1252_chars() -> list[str]:
    """The 256 characters of Windows-1252, with its five unassigned bytes read as Latin-1."""
    chars = []
    for byte in range(256):
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return chars


_CP1252 = _cp1252_chars()
_CP1252_TABLE = "".join(_CP1252)
_CP1252_ENCODE = {ch: bytes([i]) for i, ch in enumerate(_CP1252)}

# ---------------------------------------------------------------- VNI-Windows

# Lower-case accent byte (as its cp1252 character) -> (hat, tone index 0..5).
_VNI_ACCENTS = {
    "ø": ("", 1), "ù": ("", 2), "û": ("", 3), "õ": ("", 4), "ï": ("", 5),
    "â": (_CIRCUMFLEX, 0), "à": (_CIRCUMFLEX, 1), "á": (_CIRCUMFLEX, 2),
    "å": (_CIRCUMFLEX, 3), "ã": (_CIRCUMFLEX, 4), "ä": (_CIRCUMFLEX, 5),
    "ê": (_BREVE, 0), "è": (_BREVE, 1), "é": (_BREVE, 2),
    "ú": (_BREVE, 3), "ü": (_BREVE, 4), "ë": (_BREVE, 5),
}
# Base byte -> (the letter it stands for, hats it can take). "ô" and "ö" are ơ and ư on their own.
_VNI_BASES = {
    "a": ("a", _CIRCUMFLEX + _BREVE), "e": ("e", _CIRCUMFLEX), "o": ("o", _CIRCUMFLEX),
    "u": ("u", ""), "y": ("y", ""), "ô": ("o" + _HORN, ""), "ö": ("u" + _HORN, ""),
}
# Letters that are a single byte in VNI.
_VNI_SINGLES = {
    "ñ": "đ", "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ô": "ơ", "ö": "ư",
}


def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    decode: dict[str, str] = {}
    encode: dict[str, str] = {}
    for base, (letter, hats) in _VNI_BASES.items():
        for accent, (hat, tone) in _VNI_ACCENTS.items():
            if hat and hat not in hats:
                continue
            marks = hat + (_TONES[tone - 1] if tone else "")
            lower = _nfc(letter + marks)
            upper = _nfc(letter.upper() + marks)
            for acc in (accent, accent.upper()):  # either case of accent byte is accepted
                decode[base + acc] = lower
                decode[base.upper() + acc] = upper
            encode.setdefault(lower, base + accent)
            encode.setdefault(upper, base.upper() + accent.upper())
    for byte, letter in _VNI_SINGLES.items():
        decode[byte] = letter
        decode[byte.upper()] = letter.upper()
        encode[letter] = byte  # a single byte beats "y" + dot for ỵ
        encode[letter.upper()] = byte.upper()
    return decode, encode


_VNI_DECODE, _VNI_ENCODE = _vni_tables()
# One capturing group, so that split() returns [text, piece, text, piece, ..., text].
_VNI_PIECE = re.compile(
    "([{bases}][{accents}]|[{singles}])".format(
        bases=re.escape("".join(_VNI_BASES) + "".join(_VNI_BASES).upper()),
        accents=re.escape("".join(_VNI_ACCENTS) + "".join(_VNI_ACCENTS).upper()),
        singles=re.escape("".join(_VNI_SINGLES) + "".join(_VNI_SINGLES).upper()),
    )
)


def decode_vni(data: bytes) -> str:
    """VNI-Windows bytes -> NFC text. Never fails: every byte means something in cp1252."""
    parts = _VNI_PIECE.split(codecs.charmap_decode(data, "strict", _CP1252_TABLE)[0])
    get = _VNI_DECODE.get
    # A base followed by an accent it cannot take ("eê") decodes byte by byte.
    parts[1::2] = [get(p) or "".join(get(c, c) for c in p) for p in parts[1::2]]
    return "".join(parts)


def encode_vni(text: str) -> bytes:
    """NFC text -> VNI-Windows bytes; raises UnicodeEncodeError for characters VNI lacks."""
    out = bytearray()
    for i, ch in enumerate(_nfc(text)):
        seq = _VNI_ENCODE.get(ch, ch)
        for c in seq:
            byte = _CP1252_ENCODE.get(c)
            if byte is None:
                raise UnicodeEncodeError("vni", text, i, i + 1, "character not in VNI")
            out += byte
    return bytes(out)


# ---------------------------------------------------------------- TCVN3 (ABC)

# Each row: the letter, then its byte for tone 0..5 (no mark, huyền, sắc, hỏi, ngã, nặng);
# None where the letter is plain ASCII.
_TCVN3_ROWS = {
    "a": (None, 0xB5, 0xB8, 0xB6, 0xB7, 0xB9),
    "ă": (0xA8, 0xBB, 0xBE, 0xBC, 0xBD, 0xC6),
    "â": (0xA9, 0xC7, 0xCA, 0xC8, 0xC9, 0xCB),
    "e": (None, 0xCC, 0xD0, 0xCE, 0xCF, 0xD1),
    "ê": (0xAA, 0xD2, 0xD5, 0xD3, 0xD4, 0xD6),
    "i": (None, 0xD7, 0xDD, 0xD8, 0xDC, 0xDE),
    "o": (None, 0xDF, 0xE3, 0xE1, 0xE2, 0xE4),
    "ô": (0xAB, 0xE5, 0xE8, 0xE6, 0xE7, 0xE9),
    "ơ": (0xAC, 0xEA, 0xED, 0xEB, 0xEC, 0xEE),
    "u": (None, 0xEF, 0xF3, 0xF1, 0xF2, 0xF4),
    "ư": (0xAD, 0xF5, 0xF8, 0xF6, 0xF7, 0xF9),
    "y": (None, 0xFA, 0xFD, 0xFB, 0xFC, 0xFE),
}
_TCVN3_OTHERS = {0xAE: "đ", 0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ"}


def _tcvn3_tables() -> tuple[str, dict[str, bytes]]:
    assigned = dict(_TCVN3_OTHERS)
    for letter, row in _TCVN3_ROWS.items():
        for tone, byte in enumerate(row):
            if byte is not None:
                assigned[byte] = _nfc(letter + (_TONES[tone - 1] if tone else ""))
    chars = [assigned.get(i, ch) for i, ch in enumerate(_CP1252)]
    # Encode only through assigned codes and the cp1252 range below them: a gap byte such as 0xE0
    # still reads as Latin-1 "à", but "à" is written 0xB5.
    encode = {ch: bytes([i]) for i, ch in enumerate(_CP1252[:0xA1])}
    encode.update((ch, bytes([i])) for i, ch in assigned.items())
    return "".join(chars), encode


_TCVN3_TABLE, _TCVN3_ENCODE = _tcvn3_tables()


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 bytes -> NFC text (capitals set by font come out lower case: see the module doc)."""
    return codecs.charmap_decode(data, "strict", _TCVN3_TABLE)[0]


def encode_tcvn3(text: str) -> bytes:
    """NFC text -> TCVN3 bytes; raises UnicodeEncodeError for capitals with a tone mark."""
    text = _nfc(text)
    out = bytearray()
    for i, ch in enumerate(text):
        byte = _TCVN3_ENCODE.get(ch)
        if byte is None:
            raise UnicodeEncodeError("tcvn3", text, i, i + 1, "character not in TCVN3")
        out += byte
    return bytes(out)


def tcvn3_representable(text: str) -> str:
    """`text` with the letters TCVN3 cannot write (capitals with a tone mark) lower-cased."""
    return "".join(ch if ch in _TCVN3_ENCODE else ch.lower() for ch in _nfc(text))


# ---------------------------------------------------------------- Windows-1258


def encode_cp1258(text: str) -> bytes:
    """NFC text -> Windows-1258 as Word writes it: precomposed where the code page has the letter,
    otherwise base letter (with its hat or horn) plus a combining tone mark."""
    out = bytearray()
    for ch in _nfc(text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in _TONES)
        base = _nfc("".join(c for c in decomposed if c not in _TONES))
        out += (base + tones).encode("cp1258")
    return bytes(out)


# ---------------------------------------------------------------- syllable scorer

# Toned vowel -> (vowel without tone, tone 1..5).
_UNTONE = {
    _nfc(v + mark): (v, tone)
    for v in ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
    for tone, mark in enumerate(_TONES, start=1)
}
_ONSETS = (
    "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)
# Every rhyme (vần) without its tone. After "qu" the glide u belongs to the onset ("quỳnh": ynh).
_RHYMES = frozenset("""
    a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et ê êch êm ên êng ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    o oc oi om on ong op ot ooc oong ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
    oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oen oeo oet
    u ua uc ui um un ung up ut uôc uôi uôm uôn uông uôt
    uân uâng uât uây uê uêch uênh uơ uy uya uych uyên uyêt uynh uyt uyu
    ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
    y yêm yên yêng yêt yêu ych ynh yt
""".split())
_STOP_FINALS = ("c", "ch", "p", "t")  # such syllables only take sắc (2) or nặng (5)
# Runs of Latin letters (ASCII, Latin-1, Latin Extended-A/B, Vietnamese): a class of ranges is
# much faster than [^\W\d_]. Words in other scripts are not counted at all.
_WORD = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+")


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(token: str) -> bool:
    """Onset + rhyme from the closed lists above, with at most one tone mark."""
    word = token.lower()
    if len(word) > 7:  # "nghiêng", the longest syllable, has 7 letters
        return False
    tone = 0
    letters = []
    for ch in word:
        hit = _UNTONE.get(ch)
        if hit is not None:
            if tone:
                return False
            ch, tone = hit
        letters.append(ch)
    plain = "".join(letters)
    for onset in _ONSETS:
        if plain.startswith(onset):
            rhyme = plain[len(onset):]
            if rhyme in _RHYMES and (tone in (2, 5) or not rhyme.endswith(_STOP_FINALS)):
                return True
    return False


def vietnamese_score(text: str) -> float:
    """Share of the word tokens in `text` that are valid Vietnamese syllables (0.0 with no words).

    Correctly decoded Vietnamese prose scores about 0.85-0.95; a wrong decoding of the same bytes
    breaks most accented words and scores far lower.
    """
    tokens = _WORD.findall(text)
    if not tokens:
        return 0.0
    return sum(map(is_vietnamese_syllable, tokens)) / len(tokens)

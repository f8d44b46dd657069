"""Gazetteer: Vietnamese provinces, districts and communes of both eras, and place mentions in text.

Source of truth is the `vietnamadminunits` package (its sqlite dataset and 2025 converter data, read
directly: importing the package builds its address parser, ~0.45 s we do not need), once per process:
- legacy era: the 63 provinces with their district-level units (quận, huyện, thị xã, thành phố
  thuộc tỉnh) and communes (phường, xã, thị trấn), as they stood until 30 June 2025;
- 2025 era: the 34 provinces from 1 July 2025 with their communes (phường, xã, đặc khu), no
  district level;
- which legacy provinces make up each 2025 one (its converter data), for `province_today`.
data/place_aliases.yaml adds only what the package lacks (spellings reports use, former districts,
words that turn a name into a person's name).

Matching runs on the key of `etl.normalize.match_key` (lower case, one tone convention; it shares
offsets with the text) and checks capitalisation on the original text. Precision first:
- provinces match bare when every syllable is capitalised, or after "tỉnh"/"thành phố"/"TP";
- district-level units match after their type word ("quận Lê Chân", "TP Hạ Long"), or bare when
  the caller passes `prefer_province` and the name is a district of it (capitalised, two syllables
  or more);
- communes match only after "phường"/"xã"/"thị trấn" and only inside `prefer_province`
  ("đặc khu" names are unique nationwide and match anywhere);
- a bare name right after a surname, a title or "đường" is a person or a street, not a place.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from etl.normalize import ascii_fold, match_key

ALIASES_PATH = Path(__file__).resolve().parent.parent / "data" / "place_aliases.yaml"
LEGACY, NEW, BOTH = "legacy", "2025", "both"

# --- text helpers ---------------------------------------------------------------------------

_TOKEN = re.compile(r"[\w'’]+")
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
# One syllable whose only vowel is y: "vỹ" = "vĩ", "kỳ" = "kì", "quý" = "quí".
_LONE_Y = re.compile(r"^(b|c|ch|d|đ|g|gh|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)?([yỳýỷỹỵ])$")
_Y_TO_I = dict(zip("yỳýỷỹỵ", "iìíỉĩị", strict=True))
# New-style tone placement ("hoà", "thuỷ") to the common old style ("hòa", "thủy") for display.
_NEW_STYLE = re.compile(r"(?<![qQ])([oOuU])([àáảãạèéẻẽẹỳýỷỹỵ])(?!\w)")
_TONE_ROWS = {"a": "aàáảãạ", "e": "eèéẻẽẹ", "y": "yỳýỷỹỵ"}
_TONED_O = {"o": "oòóỏõọ", "O": "OÒÓỎÕỌ", "u": "uùúủũụ", "U": "UÙÚỦŨỤ"}
_SEP = r"(?:[ \t]*[-–—][ \t]*|[ \t]+)"



if TYPE_CHECKING:          # pandas is imported where a frame is built: a run with nothing
    import pandas as pd  # to write (or a dashboard query) never pays for it

def _old_style(m: re.Match) -> str:
    first, second = m.group(1), m.group(2)
    for base, row in _TONE_ROWS.items():
        if second in row:
            if (first.lower(), base) not in {("o", "a"), ("o", "e"), ("u", "y")}:
                return m.group(0)
            return _TONED_O[first][row.index(second)] + base
    return m.group(0)


@functools.cache
def _display(name: str) -> str:
    """A package name as shown: '(Huyện)' disambiguators dropped, 'Hòa'-style tone placement."""
    return _NEW_STYLE.sub(_old_style, _PAREN.sub("", name).strip())


def _fold_token(tok: str) -> str:
    m = _LONE_Y.match(tok)
    if m:
        return (m.group(1) or "") + _Y_TO_I[m.group(2)]
    return tok


def _nk_tokens(tokens) -> str:
    return " ".join(_fold_token(t.replace("’", "'")) for t in tokens)


@functools.lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """Lookup key of a name: match_key, syllables joined by one space, lone 'y' read as 'i'."""
    return _nk_tokens(_TOKEN.findall(match_key(name)))


_LONE_I = re.compile(r"^(b|c|ch|d|đ|g|gh|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)?([iìíỉĩị])$")
_I_TO_Y = {v: k for k, v in _Y_TO_I.items()}


def _spellings(name: str) -> set[str]:
    """The match_key spellings of a name, syllables joined by one space: lone 'y' and 'i' both ways
    ("Bạch Long Vĩ" -> also "bạch long vỹ")."""
    out = [""]
    for tok in (t for t in re.split(r"[\s\-–—]+", match_key(name)) if t):
        tok = tok.replace("’", "'")
        forms = {tok}
        m = _LONE_Y.match(tok) or _LONE_I.match(tok)
        if m:
            swap = _Y_TO_I if m.group(2) in _Y_TO_I else _I_TO_Y
            forms.add((m.group(1) or "") + swap[m.group(2)])
        out = [f"{o} {f}" if o else f for o in out for f in forms]
    return set(out)


def _trie_body(names) -> str:
    """Regex for many names, factored as a trie so that few branches are tried per position. A space
    in a name matches any separator between syllables."""
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}

    def atom(ch: str) -> str:
        if ch == " ":
            return _SEP
        if ch == "'":
            return "['’]"
        return re.escape(ch)

    def build(node: dict) -> str:
        ends = "" in node
        alts = [atom(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if ends:
            return f"(?:{body})?" if len(alts) == 1 else body + "?"
        return body

    return build(trie)


def _capital_led_regex(names) -> re.Pattern | None:
    """Regex on the original text for names (match_key spellings) written with a capital first letter,
    the rest in any case ('Hà Nội', 'HÀ NỘI'), tone marks in either place ('Hòa', 'Hoà'). Each
    branch starts with a capital, so the scan skips everything else at C speed; the caller checks
    the left word boundary and the other syllables' capitals."""
    by_first: dict[str, set[str]] = {}
    for name in names:
        for form in {name, _NEW_STYLE.sub(_old_style, name)}:
            if len(form) > 1:
                by_first.setdefault(form[0].upper(), set()).add(form[1:])
    if not by_first:
        return None
    alts = [re.escape(first) + "(?i:" + _trie_body(rests) + ")" for first, rests in sorted(by_first.items())]
    return re.compile("(?:" + "|".join(alts) + r")(?!\w)")


def _word_start(key: str, start: int) -> bool:
    return start == 0 or not (key[start - 1].isalnum() or key[start - 1] == "_")


def _capitalised(text: str, start: int, end: int) -> bool:
    """Every syllable of text[start:end] starts with an upper-case letter or a digit."""
    for m in _TOKEN.finditer(text, start, end):
        c = text[m.start()]
        if not (c.isupper() or c.isdigit()):
            return False
    return True


# --- the mention ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceMention:
    start: int            # offsets in the text (the key and the text share offsets)
    end: int
    province: str | None  # short canonical province name; None if ambiguous and unresolved
    place: str | None     # short name of the unit below the province; None for a province mention
    level: str            # 'province' | 'district' | 'commune'
    era: str              # 'legacy' | '2025' | 'both'


# Type words before a name, as written in the key. 'tp' and 't.p' take an optional dot.
_PREFIXES = {
    "tỉnh": "province", "thành phố": "city", "tp": "city",
    "quận": "Quận", "huyện": "Huyện", "thị xã": "Thị xã",
    "phường": "Phường", "xã": "Xã", "thị trấn": "Thị trấn", "đặc khu": "Đặc khu",
}
_PREFIX_RE = re.compile(
    r"(t(?:ỉnh|hành[ \t]+phố|hị[ \t]+(?:xã|trấn)|\.?p)|đặc[ \t]+khu|huyện(?:[ \t]+đảo)?|quận|phường|xã)"
    r"(?!\w)(\.)?"
)
_NAME_AFTER = re.compile(r"[ \t]*([\w'’]+(?:" + _SEP + r"[\w'’]+){0,5})")
_NAME_AFTER_SPACE = re.compile(r"[ \t]+([\w'’]+(?:" + _SEP + r"[\w'’]+){0,5})")
_DISTRICT_TYPES = ("Quận", "Huyện", "Thị xã", "Thành phố")
_COMMUNE_TYPES = ("Phường", "Xã", "Thị trấn", "Đặc khu")
_STRIP_PREFIX = re.compile(
    r"^(?:(?:tỉnh|thành[ \t]+phố|thủ[ \t]+đô)[ \t]+|t\.?p(?:\.[ \t]*|[ \t]+))(?=\S)"
)


def _split_prefix(key: str) -> tuple[str | None, str]:
    """('Quận', ' Lê Chân') for 'quận Lê Chân'; (None, key) when no type word leads."""
    m = _PREFIX_RE.match(key)
    if m:
        after = key[m.end():]
        dotted = m.group(2) is not None or m.group(1).endswith(".")
        if after.strip() and (dotted or after[:1].isspace()):
            return _prefix_kind(m.group(1)), after
    return None, key


def _package_data_dir() -> Path:
    """vietnamadminunits/data, found without importing the package."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the gazetteer needs the package vietnamadminunits")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _prefix_kind(prefix_key: str) -> str:
    p = re.sub(r"[ \t]+", " ", prefix_key).replace(".", "")
    if p.startswith("huyện"):
        return "Huyện"
    return _PREFIXES[p]


# --- the gazetteer --------------------------------------------------------------------------


class Gazetteer:
    """Both eras of Vietnam's administrative units, loaded once per process (`Gazetteer.load()`)."""

    _instance: Gazetteer | None = None
    _lock = threading.Lock()

    provinces: tuple[str, ...]
    provinces_legacy: tuple[str, ...]
    provinces_2025: tuple[str, ...]

    @classmethod
    def load(cls) -> Gazetteer:
        if cls._instance is None:
            with cls._lock:
                if cls._instance is None:
                    cls._instance = cls._build()
        return cls._instance

    # ---- building ----------------------------------------------------------------------

    @classmethod
    def _build(cls) -> Gazetteer:
        extra = yaml.safe_load(ALIASES_PATH.read_text(encoding="utf-8")) or {}
        data_dir = _package_data_dir()
        # Read the package's files directly: importing `vietnamadminunits` itself builds its address
        # parser (~0.45 s), which the gazetteer does not need. Same rows as its database.query().
        con = sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True)
        try:
            legacy_rows = con.execute(
                "SELECT provinceKey, provinceShort, province, districtShort, districtType, wardShort, "
                "wardType FROM admin_units_legacy").fetchall()
            new_rows = con.execute(
                "SELECT provinceKey, provinceShort, province, NULL, NULL, wardShort, wardType "
                "FROM admin_units").fetchall()
            codes = {era: dict(con.execute(f"SELECT DISTINCT provinceKey, provinceCode FROM {table}").fetchall())
                     for era, table in ((LEGACY, "admin_units_legacy"), (NEW, "admin_units"))}
        finally:
            con.close()
        with (data_dir / "converter_2025.json").open(encoding="utf-8") as fh:
            dict_province = json.load(fh)["DICT_PROVINCE"]
        self = cls.__new__(cls)
        self._init(extra, legacy_rows, new_rows, dict_province, codes)
        return self

    def _init(self, extra: dict, legacy_rows: list, new_rows: list, dict_province: dict,
              codes: dict[str, dict[str, str]] | None = None) -> None:
        """Rows: (provinceKey, provinceShort, province, districtShort, districtType, wardShort, wardType).
        codes: era -> provinceKey -> the province's official two-digit code in that era."""
        renames = extra.get("legacy_province_names") or {}

        def prov_type(full: str) -> str:
            return "Thành phố" if full.startswith("Thành phố") else "Tỉnh"

        # provinces of each era: short name -> type; package key -> short name
        legacy_types: dict[str, str] = {}
        new_types: dict[str, str] = {}
        legacy_by_key: dict[str, str] = {}
        new_by_key: dict[str, str] = {}
        for pkey, pshort, pfull in {r[:3] for r in legacy_rows}:
            short, ptype = _display(pshort), prov_type(pfull)
            if short in renames:
                ptype = renames[short].get("type", ptype)
                short = renames[short]["name"]
            legacy_types[short] = ptype
            legacy_by_key[pkey] = short
        for pkey, pshort, pfull in {r[:3] for r in new_rows}:
            short = _display(pshort)
            new_types[short] = prov_type(pfull)
            new_by_key[pkey] = short
        self._legacy_types, self._new_types = legacy_types, new_types
        # (era, short name) -> official code: maps join shapes to provinces by it, never by name
        self._codes: dict[tuple[str, str], str] = {}
        for era, by_key in ((LEGACY, legacy_by_key), (NEW, new_by_key)):
            for pkey, code in ((codes or {}).get(era) or {}).items():
                if pkey in by_key:
                    self._codes[(era, by_key[pkey])] = code

        def sort_key(name: str):
            return (ascii_fold(name).lower(), name)

        self.provinces_legacy = tuple(sorted(legacy_types, key=sort_key))
        self.provinces_2025 = tuple(sorted(new_types, key=sort_key))
        self.provinces = tuple(sorted(set(legacy_types) | set(new_types), key=sort_key))

        # legacy province -> the 2025 province it is part of
        today: dict[str, str] = {p: p for p in new_types}
        members: dict[str, list[str]] = {}
        for new_key, old_keys in dict_province.items():
            new_name = new_by_key[new_key]
            for old_key in old_keys:
                old_name = legacy_by_key[old_key]
                today[old_name] = new_name
                members.setdefault(new_name, []).append(old_name)
        missing = set(legacy_types) - set(today)
        if missing:
            raise ValueError(f"gazetteer: no 2025 province for {sorted(missing)}")
        self._today = today
        self._members = {k: tuple(v) for k, v in members.items()}
        self._central = frozenset(
            [p for p, t in legacy_types.items() if t == "Thành phố"]
            + [p for p, t in new_types.items() if t == "Thành phố"]
        )

        # province names: bare-matchable and prefix-only
        self._prov_bare: dict[str, str] = {}
        self._prov_any: dict[str, str] = {}
        for p in self.provinces:
            self._prov_bare[name_key(p)] = p
        for p, aliases in (extra.get("province_aliases") or {}).items():
            if p not in legacy_types and p not in new_types:
                raise ValueError(f"place_aliases.yaml: unknown province {p!r}")
            for a in aliases:
                self._prov_bare[name_key(a)] = p
        prefixed_only = extra.get("prefixed_only") or {}
        bare_blocked = set()
        for p, names in prefixed_only.items():
            for a in names:
                k = name_key(a)
                self._prov_any[k] = p
                bare_blocked.add(k)
        for k in bare_blocked:
            self._prov_bare.pop(k, None)
        self._prov_any.update(self._prov_bare)
        self._prov_fold: dict[str, str | None] = {}
        for k, p in self._prov_any.items():
            f = ascii_fold(k)
            self._prov_fold[f] = p if self._prov_fold.get(f, p) == p else None

        self._bare_province_names: set[str] = set()
        for p in self.provinces:
            if name_key(p) not in bare_blocked:
                self._bare_province_names |= _spellings(p)
        for aliases in (extra.get("province_aliases") or {}).values():
            for a in aliases:
                self._bare_province_names |= _spellings(a)

        # districts (legacy era): key -> [(province, place, type)]
        self._districts: dict[str, list[tuple[str, str, str]]] = {}
        self._districts_of: dict[str, dict[str, list[tuple[str, str]]]] = {}
        district_rows: list[tuple[str, str, str]] = []
        seen = set()
        communes_legacy: dict[tuple[str, str, str], None] = {}
        for pkey, _pshort, _pfull, dshort, dtype, wshort, wtype in legacy_rows:
            prov = legacy_by_key[pkey]
            place = _display(dshort)
            if (prov, place, dtype) not in seen:
                seen.add((prov, place, dtype))
                district_rows.append((prov, place, dtype))
            if wshort:
                communes_legacy[(prov, _display(wshort), wtype)] = None
        former = [(d["province"], d["place"], d["type"]) for d in extra.get("former_districts") or []]
        for prov, _place, _t in former:
            if prov not in legacy_types:
                raise ValueError(f"place_aliases.yaml: unknown province {prov!r}")
        self._former = tuple(former)
        for prov, place, dtype in district_rows + former:
            k = name_key(place)
            self._districts.setdefault(k, []).append((prov, place, dtype))
            self._districts_of.setdefault(prov, {}).setdefault(k, []).append((place, dtype))
        self._district_rows = tuple(district_rows)

        # communes of both eras: province -> key -> {(place, type, era)}
        communes_new: dict[tuple[str, str, str], None] = {}
        for pkey, _pshort, _pfull, _d, _dt, wshort, wtype in new_rows:
            communes_new[(new_by_key[pkey], _display(wshort), wtype)] = None
        self._commune_rows_legacy = tuple(communes_legacy)
        self._commune_rows_new = tuple(communes_new)
        self._communes: dict[tuple[str, str], dict[str, list[tuple[str, str]]]] = {}
        self._special: dict[str, list[tuple[str, str]]] = {}
        for era, rows in ((LEGACY, communes_legacy), (NEW, communes_new)):
            for prov, place, ctype in rows:
                k = name_key(place)
                self._communes.setdefault((era, prov), {}).setdefault(k, []).append((place, ctype))
                if ctype == "Đặc khu":
                    self._special.setdefault(k, []).append((prov, place))

        # words that make a bare name a person's name, a title or a street
        words = extra.get("person_name_words") or {}
        self._surnames = frozenset(words.get("surnames", [])) | frozenset(words.get("middle_names", []))
        self._before = frozenset(match_key(w) for w in words.get("before", []))
        self._friend_names = set().union(*map(_spellings, extra.get("false_friends") or []))
        self._friend_keys = frozenset(name_key(f) for f in extra.get("false_friends") or [])

        # capital-led regex of bare names, per preferred province (its districts join the provinces)
        self._bare: dict[str | None, tuple[re.Pattern | None, dict[str, tuple[int, str]]]] = {}
        self._frame: pd.DataFrame | None = None

    # ---- provinces ---------------------------------------------------------------------

    def _era_of_province(self, p: str) -> str:
        in_old, in_new = p in self._legacy_types, p in self._new_types
        return BOTH if in_old and in_new else (LEGACY if in_old else NEW)

    def canonical_province(self, name: str) -> str | None:
        """'TP. Hà Nội', 'thành phố Hà Nội', 'tỉnh Quảng Ninh', 'Quang Ninh', 'HẢI PHÒNG' -> short name."""
        if not name or not name.strip():
            return None
        key = match_key(name.strip())
        k = name_key(key)
        if k in self._prov_any:
            return self._prov_any[k]
        stripped = _STRIP_PREFIX.sub("", key)
        if stripped != key:
            k = name_key(stripped)
            if k in self._prov_any:
                return self._prov_any[k]
        return self._prov_fold.get(ascii_fold(k))

    def province_today(self, province: str) -> str:
        """The 2025 province a province is part of today: 'Hải Dương' -> 'Hải Phòng'. Unknown names
        (such as 'Cả nước') come back unchanged."""
        canon = self.canonical_province(province) if province else None
        if canon is None:
            return province
        return self._today.get(canon, canon)

    def provinces_merged_into(self, province_2025: str) -> tuple[str, ...]:
        """The legacy provinces that make up a 2025 province: 'Hải Phòng' -> ('Hải Dương', 'Hải Phòng')."""
        return self._members.get(province_2025, ())

    # ---- places ------------------------------------------------------------------------

    def _resolve(self, provinces: list[str], prefer: str | None) -> str | None:
        uniq = list(dict.fromkeys(provinces))
        if len(uniq) == 1:
            return uniq[0]
        if prefer is None:
            return None
        if prefer in uniq:
            return prefer
        today = [p for p in uniq if self._today.get(p) == self._today.get(prefer, prefer)]
        return today[0] if len(today) == 1 else None

    def _district(self, k: str, kind: str, prefer: str | None) -> tuple[str | None, str] | None:
        cands = self._districts.get(k)
        if not cands:
            return None
        exact = [c for c in cands if c[2] == kind] if kind in _DISTRICT_TYPES else []
        pool = exact or cands
        prov = self._resolve([c[0] for c in pool], prefer)
        if prov is not None:
            place = next(c[1] for c in pool if c[0] == prov)
        else:
            place = pool[0][1]
        return prov, place

    def _commune_scopes(self, prefer: str) -> list[tuple[str, str]]:
        scopes = []
        if prefer in self._legacy_types:
            scopes.append((LEGACY, prefer))
        if prefer in self._new_types:
            scopes.append((NEW, prefer))
            members = self._members.get(prefer, ())
            if len(members) == 1 and members[0] != prefer:        # renamed one to one: Thừa Thiên Huế
                scopes.append((LEGACY, members[0]))
        elif prefer in self._today:
            new = self._today[prefer]
            if self._members.get(new) == (prefer,):
                scopes.append((NEW, new))
        return scopes

    def _commune(self, k: str, kind: str, prefer: str | None, digits: bool) -> tuple[str, str, str] | None:
        if kind == "Đặc khu":
            hits = self._special.get(k)
            if hits and len({h[0] for h in hits}) == 1:
                return hits[0][0], hits[0][1], NEW
            return None
        if prefer is None:
            return None
        if digits:
            k = f"{name_key(kind)} {k}"
        found: list[tuple[str, str, str, str]] = []   # (era, province, place, type)
        for era, prov in self._commune_scopes(prefer):
            for place, ctype in self._communes.get((era, prov), {}).get(k, ()):
                found.append((era, prov, place, ctype))
        if not found:
            return None
        exact = [f for f in found if f[3] == kind]
        pool = exact or found
        eras = {f[0] for f in pool}
        era = BOTH if len(eras) == 2 else eras.pop()
        prov = prefer if any(f[1] == prefer for f in pool) else pool[0][1]
        return prov, pool[0][2], era

    def canonical_place(self, name: str, province: str | None = None) -> tuple[str, str] | None:
        """'Uông Bí' / 'thành phố Uông Bí' / 'TP Hạ Long' / 'quận Lê Chân' -> (province, place short name).
        Communes ('phường Trúc Bạch') need `province`. None if unknown, ambiguous or not in `province`."""
        if not name or not name.strip():
            return None
        prefer = self.canonical_province(province) if province else None
        kind, rest = _split_prefix(match_key(name.strip()))
        k = name_key(rest)
        if not k:
            return None
        digits = k.isdigit()
        if kind in (None, "city", *_DISTRICT_TYPES):
            if kind == "city" and self._prov_any.get(k) in self._central:
                return None                              # "thành phố Hà Nội" is a province
            if kind is None and self._prov_any.get(k) in self._central:
                return None
            hit = self._district(f"quận {k}" if digits else k, kind or "", prefer)
            if hit is not None and hit[0] is not None:
                prov, place = hit
                if prefer is None or self._today.get(prov) == self._today.get(prefer, prefer):
                    return prov, place
        if prefer is not None and kind in (None, *_COMMUNE_TYPES):
            hit = self._commune(k, kind or "", prefer, digits and kind is not None)
            if hit is not None:
                return hit[0], hit[1]
        return None

    # ---- finding mentions in text ------------------------------------------------------

    def _blocked_before(self, text: str, start: int) -> bool:
        """A bare name right after a surname, a title word or 'đường' is no place."""
        j = start
        while j > 0 and text[j - 1] == " ":
            j -= 1
        if j == start or j == 0:
            return False
        words = []
        end = j
        for _ in range(2):
            i = end
            while i > 0 and (text[i - 1].isalnum() or text[i - 1] == "/"):
                i -= 1
            if i == end:
                break
            words.append(text[i:end])
            end = i
            if end == 0 or text[end - 1] != " ":
                break
            end -= 1
        if not words:
            return False
        w1 = words[0]
        if w1[:1].isupper() and w1.capitalize() in self._surnames:
            return True
        low = match_key(w1)
        if low in self._before:
            return True
        return len(words) == 2 and f"{match_key(words[1])} {low}" in self._before

    @staticmethod
    def _capitalised_after(text: str, end: int) -> bool:
        """The next word, right after one space, starts with a capital."""
        return end + 1 < len(text) and text[end] == " " and text[end + 1].isupper()

    def _legacy_of(self, prefer: str | None) -> str | None:
        """The legacy province whose districts a preference covers: itself, or the one legacy province a
        2025 province was renamed from ('Huế' -> 'Thừa Thiên Huế'); None for merged provinces."""
        if prefer is None or prefer in self._legacy_types:
            return prefer
        members = self._members.get(prefer, ())
        return members[0] if len(members) == 1 else None

    def _bare_for(self, prefer: str | None) -> tuple[re.Pattern | None, dict[str, tuple[int, str]]]:
        """(regex, name key -> (kind, value)) for bare names: kind 0 false friend, 1 province, 2 district
        of `prefer` (two syllables or more, no digits, not a province name)."""
        if prefer in self._bare:
            return self._bare[prefer]
        names = set(self._bare_province_names) | self._friend_names
        kinds: dict[str, tuple[int, str]] = {}
        legacy = self._legacy_of(prefer)
        if legacy is not None:
            for k, entries in self._districts_of.get(legacy, {}).items():
                if len(k.split()) < 2 or k in self._prov_any or any(ch.isdigit() for ch in k):
                    continue
                names |= _spellings(entries[0][0])
                kinds[k] = (2, entries[0][0])
        for k, prov in self._prov_bare.items():
            kinds[k] = (1, prov)
        for k in self._friend_keys:
            kinds[k] = (0, "")
        entry = (_capital_led_regex(names), kinds)
        with self._lock:
            self._bare[prefer] = entry
        return entry

    def find(
        self, text: str, key: str | None = None, prefer_province: str | None = None
    ) -> list[PlaceMention]:
        """All place mentions in text (key = match_key(text) if the caller has it), sorted by start,
        non-overlapping (longest wins)."""
        if key is None:
            key = match_key(text)
        prefer = self.canonical_province(prefer_province) if prefer_province else None
        cands: list[tuple[int, int, int, PlaceMention]] = []   # (start, end, priority, mention)

        # 1. a type word and the capitalised name after it
        for m in _PREFIX_RE.finditer(key):
            if not _word_start(key, m.start()):
                continue
            prefix = m.group(1)
            if m.group(2) is not None and not prefix.replace(".", "").startswith("tp"):
                continue    # "thành phố. Bắc Ninh": a sentence ends there; only "TP." carries a dot
            dotted = m.group(2) is not None or prefix.endswith(".")
            after = (_NAME_AFTER if dotted else _NAME_AFTER_SPACE).match(key, m.end())
            if after is None:
                continue
            spans = []
            for t in _TOKEN.finditer(key, after.start(1), after.end(1)):
                c = text[t.start()]
                if not (c.isupper() or c.isdigit()):
                    break
                spans.append((t.start(), t.end()))
            if not spans:
                continue
            kind = _prefix_kind(prefix)
            toks = [key[s:e] for s, e in spans]
            for n in range(len(toks), 0, -1):
                k = _nk_tokens(toks[:n])
                mention = self._prefixed(m.start(), spans[n - 1][1], k, kind, prefer)
                if mention is not None:
                    cands.append((mention.start, mention.end, 0, mention))
                    break

        # 2. bare names: provinces and their aliases, districts of the preferred province
        pattern, kinds = self._bare_for(prefer)
        friends: list[tuple[int, int]] = []
        if pattern is not None:
            for m in pattern.finditer(text):
                s, e = m.start(), m.end()
                if not _word_start(text, s):
                    continue
                hit = kinds.get(name_key(m.group(0)))
                if hit is None:
                    continue
                kind, value = hit
                if kind == 0:
                    friends.append((s, e))
                elif not _capitalised(text, s, e) or self._blocked_before(text, s):
                    continue
                elif kind == 1:
                    era = self._era_of_province(value)
                    cands.append((s, e, 1, PlaceMention(s, e, value, None, "province", era)))
                elif not self._capitalised_after(text, e) and not text[s:e].isupper():
                    # an all-capitals bare district is more often a byline ("HẢI HẬU") than a place
                    prov = self._legacy_of(prefer)
                    cands.append((s, e, 2, PlaceMention(s, e, prov, value, "district", LEGACY)))

        if not cands:
            return []
        if friends:
            cands = [c for c in cands if c[2] == 0 or not any(c[0] < fe and fs < c[1] for fs, fe in friends)]
        cands.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
        taken: list[tuple[int, int, PlaceMention]] = []
        occupied = bytearray(len(key) + 1)      # longest first: a shorter mention inside a taken one is dropped
        for s, e, _prio, mention in cands:
            if not any(occupied[s:e]):
                occupied[s:e] = b"\x01" * (e - s)
                taken.append((s, e, mention))
        taken.sort(key=lambda t: t[0])
        return [t[2] for t in taken]

    def _prefixed(self, start: int, end: int, k: str, kind: str, prefer: str | None) -> PlaceMention | None:
        """The mention a type word plus a name make, or None."""
        if kind == "province":
            prov = self._prov_any.get(k)
            if prov is None:
                return None
            return PlaceMention(start, end, prov, None, "province", self._era_of_province(prov))
        if kind == "city":
            prov = self._prov_any.get(k)
            if prov is not None and prov in self._central:
                return PlaceMention(start, end, prov, None, "province", self._era_of_province(prov))
            # "thành phố Thanh Hóa": the provincial capital (a district-level city), not the province
            if any(c[2] == "Thành phố" for c in self._districts.get(k, ())) or prov is None:
                resolved = self._district(k, "Thành phố", prefer)
                if resolved is None:
                    return None
                return PlaceMention(start, end, resolved[0], resolved[1], "district", LEGACY)
            return PlaceMention(start, end, prov, None, "province", self._era_of_province(prov))
        if kind in _DISTRICT_TYPES:
            resolved = self._district(f"{name_key(kind)} {k}" if k.isdigit() else k, kind, prefer)
            if resolved is None:
                return None
            return PlaceMention(start, end, resolved[0], resolved[1], "district", LEGACY)
        hit = self._commune(k, kind, prefer, k.isdigit())
        if hit is None:
            return None
        return PlaceMention(start, end, hit[0], hit[1], "commune", hit[2])

    # ---- the localities table ----------------------------------------------------------

    def province_code(self, province: str, era: str) -> str | None:
        """The official two-digit code of a province in an era ('legacy' or '2025'): 'Hải Dương' -> '30'
        (legacy); None when the province has no such name in that era. Codes of one era only: several 2025
        codes reuse the number of a different former province."""
        return self._codes.get((era, province))

    def localities_frame(self) -> pd.DataFrame:
        """Columns era, province, place, place_type, level, province_2025, province_code (the official
        two-digit code of the row's province in the row's era). One row per province of either
        era (place NULL, level 'province'), per legacy district-level unit (level 'district', era 'legacy'),
        and per commune-level unit of both eras (level 'commune'). Communes of one province with the same
        name and type (in different districts) make one row: the table has no district column."""
        import pandas as pd

        if self._frame is None:
            rows = []
            for p in self.provinces_legacy:
                rows.append((LEGACY, p, None, self._legacy_types[p], "province", self._today[p]))
            for p in self.provinces_2025:
                rows.append((NEW, p, None, self._new_types[p], "province", p))
            for prov, place, dtype in self._district_rows + self._former:
                rows.append((LEGACY, prov, place, dtype, "district", self._today[prov]))
            for prov, place, ctype in self._commune_rows_legacy:
                rows.append((LEGACY, prov, place, ctype, "commune", self._today[prov]))
            for prov, place, ctype in self._commune_rows_new:
                rows.append((NEW, prov, place, ctype, "commune", prov))
            frame = pd.DataFrame(rows, columns=["era", "province", "place", "place_type", "level",
                                                "province_2025"])
            frame = frame.drop_duplicates(ignore_index=True)
            frame["province_code"] = [self._codes.get(key) for key in zip(frame["era"], frame["province"],
                                                                           strict=True)]
            self._frame = frame
        return self._frame.copy()

"""Catalogue chemicals named by their formula, CAS number or isotope (the `formula` class).

A laboratory or a trader writes KMnO4, H2SO4 98 %, "CAS 7664-93-9" or Cs-137 where a
courier form would say 高锰酸钾 or 硫酸. The annex bans the substance whatever it is called,
so a formula, a CAS registry number or a nuclide of a catalogue substance counts as the
substance's name. The tables below are written from the chemistry, one line per catalogue
substance, and point at the catalogue item that names it.

Rules, each against a false flag:
- a formula is a token of its own (not inside a longer word or model number);
- a formula with no digit (HF, HCl, KCN, NaOH) must be written in its chemical case and
  have a strength, a mass or volume, or a reagent grade in the same entry ("HF 40% 500mL",
  "KCN 分析纯"), since HF or HCl alone are also abbreviations (HF radio);
- a short formula with a digit (N2O, CaC2) must be written in its chemical case; a longer
  one (kmno4, h2so4) may be in any case;
- a CAS number must carry a valid check digit (CAS's own checksum) and be in the table;
- a nuclide is an element symbol in its case joined to its mass number (Cs-137, Co60,
  137Cs; not "Co 60", a count);
- a hydrate is its anhydrous substance: the water of crystallisation after ·, *, . or x
  (Na2S2O4·2H2O, Na2S2O4x2H2O, Na2S2O4(H2O)2) is read off, so a catalogue substance is
  found and a harmless salt (CuSO4·5H2O) stays what it is.
A match goes to `inspect`: a person reads the label before a parcel is refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Formula → catalogue item. Written in chemical case; several spellings where usual.
FORMULAS: dict[str, str] = {
    # oxidisers (OX-001, OX-002)
    "KMnO4": "OX-001",
    "KClO3": "OX-001",
    "NaClO3": "OX-001",
    "KClO4": "OX-001",
    "Na2O2": "OX-001",
    "H2O2": "OX-001",
    "NH4NO3": "OX-001",
    "KNO3": "OX-001",
    "NaNO3": "OX-002",
    "Ba(NO3)2": "OX-002",
    "Sr(NO3)2": "OX-002",
    "NH4ClO4": "OX-002",
    "NaClO4": "OX-002",
    "Ca(ClO)2": "OX-002",
    "CaO2": "OX-002",
    "CrO3": "OX-002",
    "K2Cr2O7": "OX-002",
    # toxic substances (TX-001, TX-002)
    "KCN": "TX-001",
    "NaCN": "TX-001",
    "As2O3": "TX-001",
    "Tl2SO4": "TX-001",
    "HCN": "TX-002",
    "COCl2": "TX-002",
    "HgCl2": "TX-002",
    "C12H14Cl2N2": "TX-001",  # paraquat dichloride
    "C12H14N2": "TX-001",  # paraquat
    "C4H8N4O4S2": "TX-001",  # tetramine
    "C4H7Cl2O4P": "TX-001",  # dichlorvos
    "C6H6O": "TX-001",  # phenol
    "C2H4FNO": "TX-002",  # fluoroacetamide
    "C2H2FNaO2": "TX-002",  # sodium fluoroacetate
    "C21H22N2O2": "TX-002",  # strychnine
    "C4H10FO2P": "TX-002",  # sarin
    # flammable liquids (FL-001, FL-003)
    "C2H5OH": "FL-001",
    "CH3CH2OH": "FL-001",
    "CH3OH": "FL-001",
    "CH3COCH3": "FL-001",
    "(CH3)2CO": "FL-001",
    "(C2H5)2O": "FL-001",
    "C6H6": "FL-001",
    "C6H5CH3": "FL-003",
    "C7H8": "FL-003",
    "C8H10": "FL-003",
    "CH3NO2": "FL-003",
    "C8H18": "FL-003",  # octane, the gasoline grade's reference
    "C12H26": "FL-003",  # dodecane, the bulk of kerosene
    "C4H8O2": "FL-003",  # ethyl acetate
    "C3H8O": "FL-003",  # isopropyl alcohol
    # flammable solids and reactive (FL-002, FL-004)
    "CaC2": "FL-002",
    "Na2S2O4": "FL-004",
    # gases (GA-001)
    "N2O": "GA-001",
    "C2H2": "GA-001",
    "C3H8": "GA-001",
    "C4H10": "GA-001",
    "CH4": "GA-001",
    "Cl2": "GA-001",
    # corrosives (CO-001, CO-002)
    "H2SO4": "CO-001",
    "HNO3": "CO-001",
    "HCl": "CO-001",
    "HF": "CO-001",
    "NaOH": "CO-001",
    "KOH": "CO-001",
    "HBr": "CO-002",
    "HCHO": "CO-002",
    "NH4OH": "CO-002",
    # narcotics and precursors (NA-001, NA-002, NA-003, NA-006)
    "C10H15N": "NA-001",  # methamphetamine
    "C21H23NO5": "NA-001",  # heroin
    "C17H21NO4": "NA-001",  # cocaine
    "C11H15NO2": "NA-001",  # MDMA
    "C13H16ClNO": "NA-001",  # ketamine
    "C22H28N2O": "NA-001",  # fentanyl
    "C17H19NO3": "NA-001",  # morphine
    "C21H30O2": "NA-001",  # THC
    "C20H25N3O": "NA-001",  # LSD
    "C16H16N2O2": "NA-002",  # lysergic acid
    "C10H10O2": "NA-002",  # safrole
    "C8H6O3": "NA-002",  # piperonal
    "C8H8O2": "NA-002",  # phenylacetic acid (a precursor)
    "C11H13BrO": "NA-002",  # bromopropiophenone
    "C12H13ClO": "NA-002",  # o-chlorophenyl cyclopentyl ketone
    "C17H12Cl2N4": "NA-003",  # triazolam
    "C16H15ClN2O": "NA-007",  # diazepam
    "C17H13ClN4": "NA-007",  # alprazolam
    "C18H21NO3": "NA-003",  # codeine
    "C4H8O3": "NA-001",  # GHB
    "C10H15NO": "NA-002",  # ephedrine, pseudoephedrine
    "(CH3CO)2O": "NA-002",  # acetic anhydride
    "C9H10O": "NA-002",  # phenylacetone
    "C9H13N": "NA-003",  # amphetamine
    "C16H25NO2": "NA-001",  # tramadol
    # explosives (EX-001, EX-003)
    "C7H5N3O6": "EX-001",  # TNT
    "C3H5N3O9": "EX-001",  # nitroglycerin
    "C6H3N3O7": "EX-003",  # picric acid
    "C5H8N4O12": "EX-003",  # PETN
    "C3H6N6O6": "EX-003",  # RDX (黑索金)
    "C4H8N8O8": "EX-003",  # HMX
    # elements and simple substances, each only as an item of its own (ELEMENT_SYMBOLS)
    "Hg": "TX-001",  # mercury
    "Tl": "TX-001",  # thallium
    "Mg": "FL-002",  # magnesium metal
    "Na": "FL-002",  # sodium metal
    "P4": "FL-002",  # white phosphorus
    "H2": "GA-001",  # hydrogen
    "O2": "GA-001",  # compressed oxygen
    "Br2": "CO-002",  # bromine
    "Pu": "RA-001",  # plutonium
    "U3O8": "RA-001",  # uranium concentrate (yellowcake)
    "UF6": "RA-001",  # uranium hexafluoride
}
# Symbols that are also abbreviations or brands (Mg for milligrams, O2 a network): they
# count only standing alone, with no Latin word or number beside them ("品名: Hg", "O2，1箱").
ELEMENT_SYMBOLS = frozenset({"Hg", "Tl", "Mg", "Na", "P4", "H2", "O2", "Br2", "Pu"})

# CAS registry number → catalogue item.
CAS_NUMBERS: dict[str, str] = {
    "7722-64-7": "OX-001",  # potassium permanganate
    "3811-04-9": "OX-001",  # potassium chlorate
    "7775-09-9": "OX-001",  # sodium chlorate
    "7778-74-7": "OX-001",  # potassium perchlorate
    "1313-60-6": "OX-001",  # sodium peroxide
    "7722-84-1": "OX-001",  # hydrogen peroxide
    "6484-52-2": "OX-001",  # ammonium nitrate
    "7757-79-1": "OX-001",  # potassium nitrate
    "7631-99-4": "OX-002",  # sodium nitrate
    "10022-31-8": "OX-002",  # barium nitrate
    "10042-76-9": "OX-002",  # strontium nitrate
    "7790-98-9": "OX-002",  # ammonium perchlorate
    "7601-89-0": "OX-002",  # sodium perchlorate
    "7778-54-3": "OX-002",  # calcium hypochlorite
    "79-21-0": "OX-002",  # peracetic acid
    "7778-50-9": "OX-002",  # potassium dichromate
    "151-50-8": "TX-001",  # potassium cyanide
    "143-33-9": "TX-001",  # sodium cyanide
    "1327-53-3": "TX-001",  # arsenic trioxide
    "7439-97-6": "TX-001",  # mercury
    "4685-14-7": "TX-001",  # paraquat
    "1910-42-5": "TX-001",  # paraquat dichloride
    "80-12-6": "TX-001",  # tetramine
    "62-73-7": "TX-001",  # dichlorvos
    "7446-18-6": "TX-001",  # thallium sulfate
    "74-90-8": "TX-002",  # hydrogen cyanide
    "75-44-5": "TX-002",  # phosgene
    "7487-94-7": "TX-002",  # mercuric chloride
    "107-44-8": "TX-002",  # sarin
    "57-24-9": "TX-002",  # strychnine
    "62-74-8": "TX-002",  # sodium fluoroacetate
    "640-19-7": "TX-002",  # fluoroacetamide
    "302-27-2": "TX-002",  # aconitine
    "64-17-5": "FL-001",  # ethanol
    "67-56-1": "FL-001",  # methanol
    "67-64-1": "FL-001",  # acetone
    "60-29-7": "FL-001",  # diethyl ether
    "71-43-2": "FL-001",  # benzene
    "108-88-3": "FL-003",  # toluene
    "1330-20-7": "FL-003",  # xylene
    "67-63-0": "FL-003",  # isopropyl alcohol
    "141-78-6": "FL-003",  # ethyl acetate
    "75-52-5": "FL-003",  # nitromethane
    "75-20-7": "FL-002",  # calcium carbide
    "7723-14-0": "FL-002",  # red phosphorus
    "12185-10-3": "FL-002",  # white phosphorus
    "9004-70-0": "FL-002",  # nitrocellulose
    "7775-14-6": "FL-004",  # sodium dithionite
    "10024-97-2": "GA-001",  # nitrous oxide
    "74-86-2": "GA-001",  # acetylene
    "74-98-6": "GA-001",  # propane
    "106-97-8": "GA-001",  # butane
    "7782-50-5": "GA-001",  # chlorine
    "7664-93-9": "CO-001",  # sulfuric acid
    "7697-37-2": "CO-001",  # nitric acid
    "7647-01-0": "CO-001",  # hydrochloric acid
    "7664-39-3": "CO-001",  # hydrofluoric acid
    "1310-73-2": "CO-001",  # sodium hydroxide
    "1310-58-3": "CO-001",  # potassium hydroxide
    "10035-10-6": "CO-002",  # hydrobromic acid
    "7726-95-6": "CO-002",  # bromine
    "50-00-0": "CO-002",  # formaldehyde
    "1336-21-6": "CO-002",  # ammonia solution
    "537-46-2": "NA-001",  # methamphetamine
    "561-27-3": "NA-001",  # heroin
    "50-36-2": "NA-001",  # cocaine
    "42542-10-9": "NA-001",  # MDMA
    "6740-88-1": "NA-001",  # ketamine
    "437-38-7": "NA-001",  # fentanyl
    "57-27-2": "NA-001",  # morphine
    "1972-08-3": "NA-001",  # THC
    "50-37-3": "NA-001",  # LSD
    "591-81-1": "NA-001",  # GHB
    "299-42-3": "NA-002",  # ephedrine
    "90-82-4": "NA-002",  # pseudoephedrine
    "108-24-7": "NA-002",  # acetic anhydride
    "103-79-7": "NA-002",  # phenylacetone
    "94-59-7": "NA-002",  # safrole
    "120-57-0": "NA-002",  # piperonal
    "76-57-3": "NA-003",  # codeine
    "300-62-9": "NA-003",  # amphetamine
    "76-99-3": "NA-003",  # methadone
    "76-42-6": "NA-003",  # oxycodone
    "61-50-7": "NA-003",  # DMT
    "72-44-6": "NA-006",  # methaqualone
    "118-96-7": "EX-001",  # TNT
    "55-63-0": "EX-001",  # nitroglycerin
    "88-89-1": "EX-003",  # picric acid
    "78-11-5": "EX-003",  # PETN
    "121-82-4": "EX-003",  # RDX
    "2691-41-0": "EX-003",  # HMX
    "103-82-2": "NA-002",  # phenylacetic acid (a precursor)
    "82-58-6": "NA-002",  # lysergic acid
    "28911-01-5": "NA-003",  # triazolam
    "439-14-5": "NA-007",  # diazepam
    "28981-97-7": "NA-007",  # alprazolam
    "7429-90-5": "FL-002",  # aluminium (powder)
    "7439-95-4": "FL-002",  # magnesium
    "7440-23-5": "FL-002",  # sodium metal
    "7440-09-7": "FL-002",  # potassium metal
    "7704-34-9": "FL-002",  # sulfur
    "7439-93-2": "FL-004",  # lithium metal
    "8008-20-6": "FL-001",  # kerosene
    "86290-81-5": "FL-001",  # gasoline
    "68476-34-6": "FL-001",  # diesel fuel
    "8006-64-2": "FL-003",  # turpentine
    "8032-32-4": "FL-003",  # naphtha (petroleum ether)
    "7440-59-7": "GA-001",  # helium (compressed)
    "124-38-9": "GA-001",  # carbon dioxide (compressed)
    "7727-37-9": "GA-001",  # nitrogen (compressed)
    "7782-44-7": "GA-001",  # oxygen (compressed)
    "1333-74-0": "GA-001",  # hydrogen
    "74-82-8": "GA-001",  # methane
    "108-95-2": "TX-001",  # phenol
    "7440-28-0": "TX-001",  # thallium
    "7440-38-2": "TX-001",  # arsenic
    "7440-61-1": "RA-001",  # uranium
    "7440-14-4": "RA-001",  # radium
    "7440-07-5": "RA-001",  # plutonium
    "7440-29-1": "RA-002",  # thorium
    "7440-08-6": "RA-002",  # polonium
}

# Nuclides of the catalogue's radioactive items: (symbol in its case, mass number) → item.
NUCLIDES: dict[tuple[str, str], str] = {
    ("Co", "60"): "RA-001",
    ("Cs", "137"): "RA-001",
    ("Ra", "226"): "RA-001",
    ("U", "235"): "RA-001",
    ("U", "238"): "RA-001",
    ("Pu", "238"): "RA-001",
    ("Pu", "239"): "RA-001",
    ("Sr", "90"): "RA-002",
    ("Ir", "192"): "RA-002",
    ("Am", "241"): "RA-002",
    ("Po", "210"): "RA-002",
    ("Th", "232"): "RA-002",
}


# Every element symbol, for reading a formula as a composition.
_ELEMENT_SYMBOLS_TEXT = """H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe
Co Ni Cu Zn Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce
Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th
Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og"""
_ELEMENTS = frozenset(_ELEMENT_SYMBOLS_TEXT.split())
_FORMULA_PART = re.compile(r"([A-Z][a-z]?|\(|\))(\d*)")


def composition(formula: str) -> str | None:
    """The formula's composition in Hill order (carbon, hydrogen, then the rest by symbol),
    so that CH3COCH3, (CH3)2CO and C3H6O are one substance; None when it is not a formula
    (an unknown symbol, an unclosed bracket, anything besides symbols, counts, brackets)."""
    stack: list[dict[str, int]] = [{}]
    at = 0
    for found in _FORMULA_PART.finditer(formula):
        if found.start() != at:
            return None
        at = found.end()
        part, count = found.group(1), int(found.group(2) or 1)
        if part == "(":
            if found.group(2):
                return None
            stack.append({})
        elif part == ")":
            if len(stack) < 2:
                return None
            inner = stack.pop()
            for symbol, n in inner.items():
                stack[-1][symbol] = stack[-1].get(symbol, 0) + n * count
        elif part in _ELEMENTS:
            stack[-1][part] = stack[-1].get(part, 0) + count
        else:
            return None
    if at != len(formula) or len(stack) != 1 or not stack[0]:
        return None
    counts = stack[0]
    order = sorted(counts, key=lambda s: (s != "C", s != "H" or "C" not in counts, s))
    return "".join(f"{s}{counts[s] if counts[s] > 1 else ''}" for s in order)


def _by_composition() -> dict[str, str]:
    """Composition → item for every formula of the table with two elements or more."""
    out: dict[str, str] = {}
    for formula, item_id in FORMULAS.items():
        found = composition(formula)
        if found is not None and formula not in ELEMENT_SYMBOLS:
            out.setdefault(found, item_id)
    return out


def cas_check_digit_ok(cas: str) -> bool:
    """CAS's checksum: the last digit is the sum of the other digits, each times its place
    counted from the right, modulo 10."""
    digits = cas.replace("-", "")
    if not digits.isdigit() or len(digits) < 5:
        return False
    body, check = digits[:-1], int(digits[-1])
    return sum(i * int(d) for i, d in enumerate(reversed(body), start=1)) % 10 == check


# A token of letters, digits and brackets: looked up in the table (one pass, no alternation)
_FORMULA_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9()]*[A-Za-z][A-Za-z0-9()]*(?![A-Za-z0-9])")
_CAS = re.compile(r"(?<![\d-])(\d{2,7}-\d{2}-\d)(?![\d-])")
_NUCLIDE = re.compile(
    r"(?<![A-Za-z0-9])(?:([A-Z][a-z]?)-?(\d{2,3})|\^?(\d{2,3})([A-Z][a-z]?))(?![A-Za-z0-9])"
)
_FORMULA_CANON = {f.casefold(): f for f in FORMULAS}
_BY_COMPOSITION = _by_composition()
# Water of crystallisation run into the formula token ("Na2S2O4x2H2O", "Na2S2O4(H2O)2");
# after ·, * or . the water is a token of its own already.
_HYDRATE_WATER = re.compile(r"(?<=[A-Za-z0-9)])(?:[xX]\d*H2O|\(H2O\)\d*)$")
# A mass or volume run into the formula ("20GC17H21NO4"): read apart.
_GLUED_AMOUNT = re.compile(r"^\d+(?:\.\d+)?(?:kg|KG|Kg|mg|MG|g|G|ml|ML|mL|l|L)(?=[A-Z(])")
# A reagent grade: what makes an element symbol beside a word a chemical ("O2 reagent").
_GRADE = re.compile(
    r"分析纯|化学纯|优级纯|试剂|\breagent\b|[(（]\s*(?:ar|cp|gr|acs)\s*[)）]", re.IGNORECASE
)
# A strength, a mass or volume, or a reagent grade: what makes HF or KCN a chemical.
_CHEMICAL_AMOUNT = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|wt%|kg|mg|g|ml|l|升|克|千克|公斤|毫升)(?![a-z])|"
    r"分析纯|化学纯|优级纯|试剂|溶液|水溶液|\breagent\b|\bsolution\b|\b(?:ar|acs|gr)\s+grade\b|"
    r"\bpurity\b|纯度|[(（]\s*(?:ar|cp|gr|acs)\s*[)）]",
    re.IGNORECASE,
)
# What stands beside a formula that is part of a phrase or a model name (HF radio, 50 Mg).
_WORD_BEFORE = re.compile(r"[A-Za-z0-9][\s_-]*$")
_WORD_AFTER = re.compile(r"[\s_-]*[A-Za-z]")
_HAN_AFTER = re.compile(r"\s*[\u4e00-\u9fff]")
_ENTRY_BREAK = re.compile(r"[\n,，、;；|\t]|(?<!\d)\.\s|\s\d+\.\s*(?=\D)|\s\d+[、.．]")


def _entry_around(text: str, start: int, end: int) -> str:
    """The list entry holding text[start:end]: up to the nearest separators either side."""
    left = 0
    for brk in _ENTRY_BREAK.finditer(text, 0, start):
        left = brk.end()
    after = _ENTRY_BREAK.search(text, end)
    return text[left : after.start() if after else len(text)]


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Is text[start:end] without a Latin word or a number right beside it?"""
    return _WORD_BEFORE.search(text, 0, start) is None and _WORD_AFTER.match(text, end) is None


def _composition_item(written: str) -> str | None:
    """The item of a formula written in its chemical case with a count and two elements or
    more (C3H6O, C12H14Cl2N2), by its composition."""
    if len(written) < 4 or not any(c.isdigit() for c in written):
        return None
    found = composition(written)
    if found is None or sum(c.isupper() for c in found) < 2:
        return None
    return _BY_COMPOSITION.get(found)


def find_formulas(original: str) -> Iterator[tuple[str, str]]:
    """(item id, the formula, CAS number or nuclide as written) for each one in `original`,
    the declaration as the sender wrote it (case kept)."""
    text = unicodedata.normalize("NFKC", original)
    for found in _FORMULA_TOKEN.finditer(text):
        written = _HYDRATE_WATER.sub("", found.group())
        canon = _FORMULA_CANON.get(written.casefold())
        if canon is None:  # a bracket around the formula: (KMnO4)
            written = written.strip("()")
            canon = _FORMULA_CANON.get(written.casefold())
        if canon is None:  # the same substance written another way: C3H6O for acetone
            written = _GLUED_AMOUNT.sub("", written)
            item_id = _composition_item(written)
            if item_id is not None:
                yield item_id, written
            continue
        has_digit = any(c.isdigit() for c in canon)
        if (not has_digit or len(canon) < 4) and written != canon:
            continue
        alone = _stands_alone(text, found.start(), found.end())
        if canon in ELEMENT_SYMBOLS and not alone:
            entry = _entry_around(text, found.start(), found.end())
            if written != canon or not _GRADE.search(entry):
                continue
        if not has_digit and not _CHEMICAL_AMOUNT.search(
            _entry_around(text, found.start(), found.end())
        ):
            # HCl, NaOH: a formula in its mixed case alone; HF, KCN in capitals only where
            # no Chinese word follows either (HF 天线 is a radio aerial)
            mixed = any(c.islower() for c in canon)
            if not alone or not (mixed or _HAN_AFTER.match(text, found.end()) is None):
                continue
        yield FORMULAS[canon], written
    for found in _CAS.finditer(text):
        cas = found.group(1)
        if cas in CAS_NUMBERS and cas_check_digit_ok(cas):
            yield CAS_NUMBERS[cas], cas
    for found in _NUCLIDE.finditer(text):
        symbol, mass = (found.group(1), found.group(2)) if found.group(1) else found.group(4, 3)
        item_id = NUCLIDES.get((symbol, mass))
        if item_id is not None:
            yield item_id, found.group()

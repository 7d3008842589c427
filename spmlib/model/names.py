"""Names of languages and countries in the reader's language, from CLDR (via Babel).

Babel already ships with mkdocs-material, and its CLDR data names every ISO code in every
site language, so translators never have to maintain hundreds of country names.
"""

from __future__ import annotations

from functools import cache, lru_cache

from babel import Locale
from babel.lists import format_list

# CLDR "territories" that are not ISO 3166-1 countries: groupings, reserved and private-use codes.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@lru_cache(maxsize=1)
def language_codes() -> frozenset[str]:
    """Every two-letter ISO 639-1 code that CLDR can name."""
    return frozenset(code for code in _locale("en").languages if len(code) == 2 and code.isalpha())


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 country code that CLDR can name."""
    return frozenset(
        code for code in _locale("en").territories if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


def _capitalize(text: str, lang: str) -> str:
    # CLDR writes language names in lower case in French, Spanish and Portuguese ("russe"),
    # but they stand alone as list headings here ("Russe").
    return text[:1].upper() + text[1:] if text else text


@cache
def language_name(code: str, in_lang: str, in_sentence: bool = False) -> str:
    """Name of language `code` in `in_lang`: a heading ("Russe") or, in a sentence, as CLDR writes it ("russe")."""
    name = _locale(in_lang).languages.get(code) or _locale("en").languages.get(code) or code
    return name if in_sentence else _capitalize(name, in_lang)


@cache
def country_name(code: str, in_lang: str) -> str:
    """Name of country `code` in `in_lang` ("MX" in Spanish gives "México")."""
    return _locale(in_lang).territories.get(code) or _locale("en").territories.get(code) or code


@cache
def plural_category(n: int, lang: str) -> str:
    """CLDR plural category ('one' or 'other' for the site languages) of `n` in `lang`."""
    return _locale(lang).plural_form(n)


def list_of(items: list[str], lang: str) -> str:
    """Items joined as a sentence of `lang` writes a list ("français, anglais, espagnol et portugais")."""
    return format_list(items, locale=lang)


@cache
def region_name(code: str, in_lang: str) -> str:
    """Name of the UN M.49 region `code` in `in_lang`, as CLDR writes it ("419" in French gives "Amérique latine")."""
    return country_name(code, in_lang)

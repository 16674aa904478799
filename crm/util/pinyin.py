"""Chinese names in the order Chinese users expect (pinyin), and their initials for search.

Code point order puts 阿 after 中 and scatters one syllable's characters; a bureau's lists
are read in 拼音 order, as a dictionary or a phone book orders them. One key serves Python
sorts and SQL ``ORDER BY`` alike: :func:`pinyin_key` writes every syllable (a Chinese
character's toneless pinyin, or one Latin letter or digit) padded to six characters with
``0``, so comparing two keys as plain ASCII compares the names syllable by syllable
(``ba`` 巴 before ``bai`` 白 before ``bao`` 宝), whatever the database's collation does
with spaces or punctuation (the key has none). :func:`initials` gives the first letter of
each syllable, so that ``bjty`` finds 宝鸡钛业.

Readings come from :mod:`pypinyin` with its phrase dictionary (重庆 is *chong qing*), each
dictionary word's reading kept once read.

>>> sorted(['中国', '阿里', '宝鸡', '白水', '巴山'], key=pinyin_key)
['阿里', '巴山', '白水', '宝鸡', '中国']
>>> initials('宝鸡钛业集团有限公司')
'bjtyjtyxgs'
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import chain

from pypinyin import Style
from pypinyin.converter import UltimateConverter
from pypinyin.core import Pinyin

__all__ = ["SYLLABLE_WIDTH", "initials", "initials_query", "pinyin_key", "sort_key", "syllables"]

#: The longest pinyin syllable (zhuang, chuang, shuang) has six letters.
SYLLABLE_WIDTH = 6


def _split(text: str) -> list[str]:
    return list(text)


# What ``pypinyin.lazy_pinyin`` does (split the text into the words of its phrase dictionary,
# then read each word), with each word's reading kept: names share most of their words
# (有限公司, 科技, 新材料), and reading a word is the slow part (gen-data spent half its time
# here).
_CONVERTER = UltimateConverter()
_READER = Pinyin(_CONVERTER)


@lru_cache(maxsize=65536)
def _word_syllables(word: str) -> tuple[str, ...]:
    pieces = chain.from_iterable(_CONVERTER.convert(word, Style.NORMAL, False, _split, strict=True))
    return tuple(p for p in pieces if p and p.isascii() and p.isalnum())


def syllables(text: str | None) -> list[str]:
    """The lower-case syllables of ``text``: each Chinese character's pinyin, each Latin
    letter or digit on its own; punctuation, spaces and other characters are left out.

    >>> syllables('重庆ＡＢ-3号（集团）')
    ['chong', 'qing', 'a', 'b', '3', 'hao', 'ji', 'tuan']
    >>> syllables(None)
    []
    """
    if not text:
        return []
    text = unicodedata.normalize("NFKC", text).casefold()
    return [s for word in _READER.seg(text) for s in _word_syllables(word)]


def pinyin_key(text: str | None) -> str:
    """A plain-ASCII key that orders names by pinyin, syllable by syllable.

    >>> pinyin_key('宝鸡')
    'bao000ji0000'
    >>> pinyin_key('巴山') < pinyin_key('白水') < pinyin_key('宝鸡')
    True
    >>> pinyin_key('3号楼') < pinyin_key('阿里')
    True
    """
    return "".join(s[:SYLLABLE_WIDTH].ljust(SYLLABLE_WIDTH, "0") for s in syllables(text))


def sort_key(text: str | None) -> tuple[str, str]:
    """The key for Python sorts: pinyin first, then the text itself, so that names that
    read the same (同音字) still come in one fixed order.

    >>> sorted(['钛业', '太业', '泰业'], key=sort_key)
    ['太业', '泰业', '钛业']
    """
    return pinyin_key(text), text or ""


def initials(text: str | None) -> str:
    """The first letter of each syllable (Latin letters and digits kept as they are).

    >>> initials('宝鸡钛业')
    'bjty'
    >>> initials('ABC新材料3号')
    'abcxcl3h'
    >>> initials('')
    ''
    """
    return "".join(s[0] for s in syllables(text))


def initials_query(text: str | None) -> str:
    """What a search text means as initials: its letters and digits lower-cased when it is
    made of nothing else, otherwise empty (a Chinese search text is no initials search).

    >>> initials_query(' BJty ')
    'bjty'
    >>> initials_query('宝鸡')
    ''
    >>> initials_query('bj ty')
    ''
    """
    text = unicodedata.normalize("NFKC", (text or "").strip()).casefold()
    return text if text.isascii() and text.isalnum() else ""

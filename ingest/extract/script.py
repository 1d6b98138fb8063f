"""Chinese script normalisation: traditional text read as simplified, spans kept on the original.

The lexicon, the cues and the segmenter's dictionary are written in simplified characters, so a
Taiwanese or Hong Kong report (美國商務部, 鳳梨, 實體清單) is converted with OpenCC's ``t2s``
table before anything is matched. The rules then run on the converted text and every span they
cite indexes the original, which needs the conversion to keep the text's length: OpenCC's
phrase table can map a phrase to one of another length, so when the whole-text conversion
changes the length, the text is converted character by character instead (each character to
one character, so every offset still means the same place).

Converting costs about a third of a millisecond per thousand characters; most documents are
simplified or English, so a long text is only converted when it holds one of the common
characters that exist only in traditional script (a short one, such as a name, always is).
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["to_simplified", "is_traditional"]

# frequent characters that are traditional-only (their simplified forms differ); a
# traditional news text of any length holds several of them
_TRADITIONAL = re.compile(
    "[國會這們為與對說時發經貿關稅實當業進產過還開從們將應該際區間電歐聯華臺灣總統"
    "務長東車門無學體種記們問場價錢鐵決議變響續單禮買賣農聲從軍協]"
)


_SHORT = 200  # below this many characters the check costs more than converting


@cache
def _converter():  # noqa: ANN202 - opencc's type is not exported
    import opencc

    return opencc.OpenCC("t2s.json")


def is_traditional(text: str) -> bool:
    """Whether ``text`` holds characters only traditional script writes that way."""
    return _TRADITIONAL.search(text) is not None


def to_simplified(text: str) -> str:
    """``text`` in simplified script, of exactly the same length (see the module docstring)."""
    if len(text) > _SHORT and not is_traditional(text):
        return text
    convert = _converter().convert
    converted = convert(text)
    if len(converted) == len(text):
        return converted
    table = {ch: convert(ch) for ch in set(text)}
    return "".join(c if len(c) == 1 else ch for ch, c in ((ch, table[ch]) for ch in text))

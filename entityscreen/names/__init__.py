"""Name normalisation: pure functions from a name string to tokens ready for matching."""

from .analysis import NameAnalysis, NameForm, analyze_name
from .normalize import MAX_NAME_LENGTH, normalize_text
from .tokens import Token, TokenKind
from .transliterate import transliterate

__all__ = [
    "MAX_NAME_LENGTH",
    "NameAnalysis",
    "NameForm",
    "Token",
    "TokenKind",
    "analyze_name",
    "normalize_text",
    "transliterate",
]

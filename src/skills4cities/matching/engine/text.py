"""Text helpers for every language we serve: sentence splitting, word tokens for the lexical ranker."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_SENTENCE_CHARS = 600  # longer "sentences" (tables, lists without punctuation) are cut into pieces
MIN_SENTENCE_CHARS = 3

_BREAK = re.compile(
    r"(?:\r?\n\s*)+"  # line breaks
    r"|(?<=[.!?;:…])\s+(?=[\"'“„«(\[]?[^\W\d_])"  # end punctuation followed by a word (any script)
    r"|(?<=[.!?;])\s+(?=\d)"
    r"|\s+[•·▪‣◦–—-]\s+"  # inline bullets
)
_BULLET = re.compile(r"^\s*(?:[•·▪‣◦*–—-]|\d{1,2}[.)])\s+")
_WORD = re.compile(r"[^\W_]+(?:[+#]+|(?:[.'’-][^\W_]+)*)")
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|etc|incl|approx|vs|z\.B|d\.h|т\.е|т\.нар|π\.χ|p\.ej|de ex)\.)$", re.I)

_STOP_WORDS_TEXT = (
    # English
    "a an and are as at be by for from has have in into is it its of on or such that the their them this to was "
    "were will with within without we you our your i my me us they he she his her who which what when where how "
    "all any can able also etc per via using use used experience experienced knowledge good strong excellent "
    "skills skill ability work working"
    # German, Spanish, Romanian, Bulgarian, Greek: the commonest function words
    " und der die das den dem des ein eine einer mit von zu im in für auf ist sind wir sie ich"
    " y el la los las de del en con por para un una que es son se al lo"
    " și si în in cu de la pe un o care este sunt din pentru al ale"
    " и в на с за от по да се е са към при до като които който"
    " και το τα η ο οι του της των σε με για από στο στη στην ένα μια που είναι"
)
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``: broken at line breaks, end punctuation and bullets; long runs cut to pieces."""
    sentences: list[str] = []
    pieces = _BREAK.split(text)
    merged: list[str] = []
    for piece in pieces:
        piece = _BULLET.sub("", " ".join(piece.split()))
        if not piece:
            continue
        if merged and _ABBREVIATION.search(merged[-1]):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    for sentence in merged:
        while len(sentence) > MAX_SENTENCE_CHARS:
            cut = sentence.rfind(" ", 0, MAX_SENTENCE_CHARS)
            cut = cut if cut > MAX_SENTENCE_CHARS // 2 else MAX_SENTENCE_CHARS
            sentences.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if len(sentence) >= MIN_SENTENCE_CHARS and any(ch.isalnum() for ch in sentence):
            sentences.append(sentence)
    return sentences


def fold(text: str) -> str:
    """Lower case without accents (also Greek tonos); other scripts kept as they are."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_SUFFIXES = (
    "ations", "ation", "ments", "ment", "ings", "ing", "ness", "ers", "er", "ed", "es", "ies", "s",
)  # fmt: skip


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light stemmer: common English endings off, then at most 7 characters (a crude one for other languages)."""
    if len(word) > 4 and word.isascii() and word.isalpha():
        if word.endswith("ies"):
            word = word[:-3] + "y"
        else:
            for suffix in _SUFFIXES:
                if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                    if suffix == "s" and word.endswith(("ss", "us", "is")):
                        break
                    word = word[: -len(suffix)]
                    break
        if word.endswith("e") and len(word) > 3:
            word = word[:-1]
    return word[:7]


def words(text: str) -> list[str]:
    """Folded, stemmed words of ``text`` without stop words (repeats kept)."""
    return [
        stem(word)
        for word in _WORD.findall(fold(text))
        if (word not in STOP_WORDS and len(word) > 1) or word in {"c", "r"}
    ]

"""What can be matched: a candidate (an ESCO skill, a framework element, a fixed label) and its text variants."""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of variant. Each kind is embedded (and cached) as its own matrix; the ranker weighs them.
LABEL = "label"  # the preferred label or title (one per candidate)
ALT = "alt"  # alternative labels, titles in other languages, statements
DESCRIPTION = "description"  # "label: description", criteria
# The label once more, embedded with the "query: " prefix (like the sentences): a second, symmetric anchor that
# measurably helps when sentence and label are in different languages.
LABEL_QUERY = "label_query"
KINDS = (LABEL, LABEL_QUERY, ALT, DESCRIPTION)


@dataclass(frozen=True)
class Variant:
    kind: str
    text: str


@dataclass(frozen=True)
class Candidate:
    uri: str  # may be empty (a fixed label list without URIs)
    label: str  # what is shown
    variants: tuple[Variant, ...] = field(default_factory=tuple)
    lexical: tuple[str, ...] = field(default_factory=tuple)  # texts the lexical ranker indexes
    prior: float = 0.0  # 0 … 1, how often this candidate is expected a priori

    @classmethod
    def build(
        cls,
        *,
        uri: str,
        label: str,
        alternatives: tuple[str, ...] | list[str] = (),
        descriptions: tuple[str, ...] | list[str] = (),
        prior: float = 0.0,
        max_alternatives: int | None = None,
    ) -> Candidate:
        """A candidate with the label, its distinct alternative labels and its descriptions as variants."""
        label = _squash(label)
        seen = {label.casefold()}
        alts: list[str] = []
        for alternative in alternatives:
            text = _squash(alternative)
            folded = text.casefold()
            if text and folded not in seen:
                seen.add(folded)
                alts.append(text)
        embedded_alts = alts if max_alternatives is None else alts[:max_alternatives]
        variants = [Variant(LABEL, label)]
        variants += [Variant(ALT, text) for text in embedded_alts]
        variants += [Variant(DESCRIPTION, _squash(text)) for text in descriptions if text.strip()]
        return cls(uri=uri, label=label, variants=tuple(variants), lexical=(label, *alts), prior=prior)


def _squash(text: str) -> str:
    """``text`` without outer whitespace and with inner runs of whitespace as one space."""
    text = text.strip()
    return " ".join(text.split()) if "  " in text or "\n" in text or "\t" in text or "\r" in text else text

"""Moodle competency framework CSV ↔ the native framework document.

The format is the one of Moodle's admin tool ``tool_lpimportcsv`` ("Import competency framework"):
a header row and one row per framework or competency in 14 columns, in this order::

    Parent ID number, ID number, Short name, Description, Description format, Scale values,
    Scale configuration, Rule type (optional), Rule outcome (optional), Rule config (optional),
    Cross-referenced competency ID numbers, Exported ID (optional), Is framework, Taxonomy

Exactly one row has ``Is framework`` set (``1``); it carries the scale (``Scale values`` is the
comma-separated list of scale items, ``Scale configuration`` a JSON list whose first entry is
``{"scaleid": …}`` followed by ``{"id": <1-based item>, "scaledefault": 0|1, "proficient": 0|1}``)
and the taxonomy of each depth (``domain,competency,indicator``). Competency rows hang under their
parent through ``Parent ID number`` (empty for the top level), in any row order.

How our model maps (``docs/formats/moodle-csv.md`` has the whole table):

* framework row: ID number = slug, short name = title; unit → depth 1, element → depth 2,
  performance criterion → depth 3. Deeper Moodle levels are folded into criteria of their depth-2
  ancestor, with ``extra["moodle"]["parent"]`` and ``["depth"]`` so that export restores the nesting.
* Everything Moodle has no column for travels in the description as marked HTML blocks
  (``<div class="s4c-…">``): translations as Moodle multilang spans
  (``<span lang="bg" class="multilang">…</span>``), K/S/A statements, ESCO and e-CF alignments,
  and on the framework row the version, languages, licence, attribution and the scale's details.
* Job roles and their requirements cannot be expressed in this format; only the tree travels, and the
  framework description says so.
* Moodle data we have no field for (rules, cross-references, exported IDs, taxonomies, scale
  configuration, a competency's own scale, descriptions in Moodle's own HTML) is kept in
  ``extra["moodle"]`` of the item and written back on export.

``read`` reports every problem with file, CSV line (where the row starts) and column; nothing is read
half. ``write`` is deterministic: export → import → export gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _

from skills4cities.frameworks.enums import AlignmentRelation, AlignmentTarget
from skills4cities.frameworks.interchange import locations
from skills4cities.frameworks.interchange.document import CODE_RE, ESCO_URI_RE, SLUG_RE, DocumentErrors, Problem
from skills4cities.frameworks.interchange.sources import Path, capped, decode_text, place

#: The columns in Moodle's order: our key and the header Moodle writes (its English strings).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("parent", "Parent ID number"),
    ("idnumber", "ID number"),
    ("shortname", "Short name"),
    ("description", "Description"),
    ("format", "Description format"),
    ("scalevalues", "Scale values"),
    ("scaleconfig", "Scale configuration"),
    ("ruletype", "Rule type (optional)"),
    ("ruleoutcome", "Rule outcome (optional)"),
    ("ruleconfig", "Rule config (optional)"),
    ("related", "Cross-referenced competency ID numbers"),
    ("exportid", "Exported ID (optional)"),
    ("isframework", "Is framework"),
    ("taxonomy", "Taxonomy"),
)
HEADERS = dict(COLUMNS)

#: Moodle's taxonomy terms (``competency_framework::TAXONOMY_*``).
TAXONOMIES = (
    "behaviour",
    "competency",
    "concept",
    "domain",
    "indicator",
    "level",
    "outcome",
    "practice",
    "proficiency",
    "skill",
    "value",
)
#: Unit → element → performance criterion.
DEFAULT_TAXONOMIES = ["domain", "competency", "indicator"]
RULE_ALL = "core_competency\\competency_rule_all"
RULE_POINTS = "core_competency\\competency_rule_points"
RULE_TYPES = (RULE_ALL, RULE_POINTS)
#: ``core_competency\competency::OUTCOME_*``.
RULE_OUTCOMES = ("0", "1", "2", "3")
#: FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN.
DESCRIPTION_FORMATS = ("0", "1", "2", "4")
HTML_FORMATS = ("0", "1")
#: Moodle cuts short names (and ID numbers) to 100 characters on import.
SHORT_NAME_LENGTH = 100
#: Moodle has no version; a Moodle file without our metadata block gets this one.
DEFAULT_VERSION = "1.0.0"
DELIMITERS = (",", ";", "\t", ":")
#: The export states what does not travel (content of the file, so written in English, not translated).
EXPORT_NOTE = (
    "Exported from Skills4Cities. Only the competency tree travels in this file: job roles and their "
    "requirements cannot be expressed in Moodle's competency framework format and are left out."
)
KSA_BLOCKS = (("knowledge", "Knowledge"), ("skills", "Skills"), ("attitudes", "Attitudes"))


def _header_key(text: str) -> str:
    """``"Exported ID (optional)"``, ``"Exported id"`` → ``"exportedid"`` (old and new Moodle headers)."""
    return re.sub(r"[^a-z]", "", text.lower().replace("(optional)", ""))


_HEADER_KEYS = {_header_key(title): key for key, title in COLUMNS}


# ---------------------------------------------------------------------------------------------------------------------
# HTML: a small tree of the description, enough to find our blocks and Moodle's multilang spans.

#: Nesting deeper than this is flattened, so that walking the tree never exhausts the stack.
_MAX_DEPTH = 100
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_BREAK_TAGS = {
    "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "footer", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    offset: int = 0
    children: list[_Node | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def first(self, tag: str) -> _Node | None:
        return next((c for c in self.children if isinstance(c, _Node) and c.tag == tag), None)

    def all(self, tag: str) -> list[_Node]:
        found: list[_Node] = []
        for child in self.children:
            if isinstance(child, _Node):
                if child.tag == tag:
                    found.append(child)
                found += child.all(tag)
        return found


class _TreeBuilder(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("", {})
        self._stack = [self.root]
        self._line_starts = [0]
        for match in re.finditer("\n", text):
            self._line_starts.append(match.end())
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {name: value or "" for name, value in attrs}, self._offset())
        self._stack[-1].children.append(node)
        if tag not in _VOID_TAGS and len(self._stack) < _MAX_DEPTH:  # deeper tags are read as siblings
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack[-1].children.append(_Node(tag, {name: value or "" for name, value in attrs}, self._offset()))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, 0, -1):
            if self._stack[index].tag == tag:
                del self._stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


def _html(text: str) -> _Node:
    return _TreeBuilder(text).root


def _language(code: str) -> str | None:
    """Moodle language pack → our language: ``de`` → ``de``, ``en_us`` → ``en``; unknown → ``None``."""
    base = code.strip().lower().replace("-", "_").split("_")[0]
    return base if base in settings.LANGUAGE_CODES else None


def _is_multilang(node: _Node) -> bool:
    return node.tag == "span" and "multilang" in node.classes and "lang" in node.attrs


def _multilang_languages(node: _Node) -> list[str | None]:
    found: list[str | None] = []
    for child in node.children:
        if isinstance(child, _Node):
            if _is_multilang(child):
                found.append(_language(child.attrs["lang"]))
            else:
                found += _multilang_languages(child)
    return found


def _text(node: _Node, language: str | None, *, exact: bool) -> str:
    """The text of ``node`` in ``language`` (other multilang spans left out).

    ``exact`` is for our own blocks (the text as written); otherwise Moodle HTML is turned into plain
    text: whitespace collapsed, one line per paragraph, list item or line break.
    """
    parts: list[str] = []

    def walk(parent: _Node) -> None:
        for child in parent.children:
            if isinstance(child, str):
                parts.append(child if exact else re.sub(r"\s+", " ", child))
                continue
            if child.tag in ("script", "style") or (
                _is_multilang(child) and _language(child.attrs["lang"]) != language
            ):
                continue
            breaks = not exact and child.tag in _BREAK_TAGS
            if breaks:
                parts.append("\n")
            walk(child)
            if breaks:
                parts.append("\n")

    walk(node)
    text = "".join(parts)
    if exact:
        return text.strip()
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _texts(node: _Node, *, exact: bool) -> dict[str, str]:
    """A translated text from HTML: one entry per multilang language, or English when there are no spans."""
    languages = _multilang_languages(node)
    if not languages:
        text = _text(node, None, exact=exact)
        return {"en": text} if text else {}
    texts = {}
    for code in settings.LANGUAGE_CODES:
        if code in languages and (text := _text(node, code, exact=exact)):
            texts[code] = text
    return texts


def _ml(texts: dict[str, str]) -> str:
    """A translated text as HTML: plain when it is English only, else one multilang span per language."""
    if set(texts) == {"en"}:
        return escape(texts["en"], quote=False)
    return "".join(
        f'<span lang="{code}" class="multilang">{escape(texts[code], quote=False)}</span>'
        for code in settings.LANGUAGE_CODES
        if texts.get(code)
    )


def _clean(texts: Any) -> dict[str, str]:
    if not isinstance(texts, dict):
        return {}
    return {code: value.strip() for code, value in texts.items() if isinstance(value, str) and value.strip()}


def _short_name_texts(short_name: str) -> dict[str, str]:
    if "<" in short_name and "multilang" in short_name:
        return _texts(_html(short_name), exact=False)
    return {"en": short_name} if short_name else {}


def _free_texts(description: str, description_format: str) -> dict[str, str]:
    """The translated text of a description written in Moodle (not in our blocks)."""
    if description_format not in HTML_FORMATS:
        return {"en": description.strip()} if description.strip() else {}
    return _texts(_html(description), exact=False)


def _shorten(text: str) -> str:
    if len(text) <= SHORT_NAME_LENGTH:
        return text
    cut = text[: SHORT_NAME_LENGTH - 1]
    if " " in cut[SHORT_NAME_LENGTH // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


def _block(name: str, content: str, tag: str = "div") -> str:
    return f'<{tag} class="s4c-{name}">{content}</{tag}>'


@dataclass
class _Description:
    """A description split into our marked blocks and the part written in Moodle before them."""

    free: str
    blocks: dict[str, _Node]


def _split_description(description: str, description_format: str) -> _Description:
    if description_format not in HTML_FORMATS:
        return _Description(description, {})
    root = _html(description)
    blocks: dict[str, _Node] = {}
    start: int | None = None
    for child in root.children:
        if isinstance(child, _Node):
            names = [name.removeprefix("s4c-") for name in child.classes if name.startswith("s4c-")]
            if names:
                blocks.setdefault(names[0], child)
                start = child.offset if start is None else start
    free = description if start is None else description[:start]
    return _Description(free.strip(), blocks)


# ---------------------------------------------------------------------------------------------------------------------
# Export


def _moodle(item: dict[str, Any]) -> dict[str, Any]:
    extra = item.get("extra")
    data = extra.get("moodle") if isinstance(extra, dict) else None
    return data if isinstance(data, dict) else {}


def _alignment_html(alignment: dict[str, Any]) -> str:
    target = str(alignment.get("target", ""))
    attrs = {"data-target": target}
    if target == AlignmentTarget.ECF:
        attrs["data-code"] = str(alignment.get("code", ""))
        if alignment.get("level") is not None:
            attrs["data-level"] = str(alignment["level"])
    else:
        attrs["data-uri"] = str(alignment.get("uri", ""))
    if alignment.get("label"):
        attrs["data-label"] = str(alignment["label"])
    attrs["data-relation"] = str(alignment.get("relation") or AlignmentRelation.RELATED)
    opening = "<li " + " ".join(f'{name}="{escape(value)}"' for name, value in attrs.items()) + ">"
    if target == AlignmentTarget.ECF:
        level = f", level e-{alignment['level']}" if alignment.get("level") is not None else ""
        shown = f"e-CF 4.0 {alignment.get('code', '')}{level}"
        if alignment.get("label"):
            shown += f": {alignment['label']}"
        return f"{opening}{escape(shown, quote=False)}</li>"
    uri = str(alignment.get("uri", ""))
    label = str(alignment.get("label") or uri)
    return f'{opening}<a href="{escape(uri)}">{escape(label, quote=False)}</a></li>'


def _item_cells(item: dict[str, Any], kind: str, extra_blocks: list[str]) -> tuple[str, str, str]:
    """Short name, description and description format of a framework or competency row."""
    data = _moodle(item)
    title = _clean(item.get("text" if kind == "criterion" else "title"))
    stored_short_name = data.get("shortname")
    if isinstance(stored_short_name, str) and stored_short_name and _short_name_texts(stored_short_name) == title:
        short_name = stored_short_name
    else:
        short_name = _shorten(title.get("en", ""))
    blocks = []
    if _short_name_texts(short_name) != title:
        blocks.append(_block("text" if kind == "criterion" else "title", _ml(title)))
    free = data["description"] if isinstance(data.get("description"), str) else ""
    description_format = str(data.get("description_format") or "1") if free else "1"
    description = _clean(item.get("description"))
    if description and (kind == "criterion" or not free or _free_texts(free, description_format) != description):
        blocks.append(_block("description", _ml(description)))
    if kind == "element":
        for key, heading in KSA_BLOCKS:
            statements = [_clean(text) for text in item.get(key) or []]
            if statements:
                items = "".join(f"<li>{_ml(text)}</li>" for text in statements)
                blocks.append(_block(key, f"<h4>{heading}</h4><ul>{items}</ul>"))
    alignments = item.get("alignments") or []
    if kind != "framework" and alignments:
        items = "".join(_alignment_html(alignment) for alignment in alignments)
        blocks.append(_block("alignments", f"<h4>Alignments</h4><ul>{items}</ul>"))
    blocks += extra_blocks
    if blocks and description_format not in HTML_FORMATS:
        description_format = "1"
    return short_name, free + "".join(blocks), description_format


def _scale_configuration(scale: dict[str, Any]) -> str:
    values = [level["value"] for level in scale["levels"]]
    proficient, default = _default_proficiency(values)
    data = _moodle(scale)
    stored_proficient = data.get("proficient")
    if isinstance(stored_proficient, list) and stored_proficient and set(stored_proficient) <= set(values):
        proficient = stored_proficient
    if data.get("default") in values:
        default = data["default"]
    configuration: list[dict[str, Any]] = [{"scaleid": str(data.get("scaleid", ""))}]
    configuration += [
        {"id": position, "scaledefault": int(value == default), "proficient": int(value in proficient)}
        for position, value in enumerate(values, start=1)
    ]
    return json.dumps(configuration, separators=(",", ":"))


def _default_proficiency(values: list[int]) -> tuple[list[int], int]:
    """Our choice when nothing else is known: the third level and above are proficient (the last level when
    the scale is shorter), and the default — what Moodle gives when a rule or a course completes a
    competency — is the first proficient level."""
    proficient = values[2:] or values[-1:]
    return proficient, proficient[0]


def _framework_blocks(document: dict[str, Any]) -> list[str]:
    blocks = [_block("note", escape(EXPORT_NOTE, quote=False), "p")]
    entries = [
        ("Version", "version", escape(str(document.get("version", "")), quote=False)),
        ("Languages", "languages", escape(", ".join(document.get("languages") or ["en"]), quote=False)),
    ]
    if document.get("licence"):
        entries.append(("Licence", "licence", escape(str(document["licence"]), quote=False)))
    attribution = _clean(document.get("attribution"))
    if attribution:
        entries.append(("Attribution", "attribution", _ml(attribution)))
    items = "".join(f'<dt>{label}</dt><dd class="s4c-{key}">{value}</dd>' for label, key, value in entries)
    blocks.append(_block("framework", items, "dl"))
    scale = document["scale"]
    rows = []
    for level in scale["levels"]:
        attrs = f' data-value="{level["value"]}"'
        for key in ("eqf_level", "ecf_level"):
            if level.get(key) is not None:
                attrs += f' data-{key.removesuffix("_level")}="{level[key]}"'
        rows.append(
            f"<tr{attrs}><th>{_ml(_clean(level['name']))}</th><td>{_ml(_clean(level.get('description')))}</td></tr>"
        )
    slug = escape(str(scale.get("slug", "scale")))
    caption = _ml(_clean(scale.get("title")))
    table = f'<table class="s4c-scale" data-slug="{slug}"><caption>{caption}</caption>'
    blocks.append(f"{table}<tbody>{''.join(rows)}</tbody></table>")
    return blocks


def write(document: dict[str, Any], *, changed: datetime | None = None) -> bytes:
    """The Moodle CSV of a (valid) native document; roles and requirements are left out (see the module doc).

    Raises :class:`DocumentErrors` when a level name contains a comma, which Moodle's scale items cannot hold.
    """
    problems = [
        Problem(
            f"scale.levels[{index}].name", _("Moodle scale items cannot contain a comma: %(name)r") % {"name": name}
        )
        for index, level in enumerate(document["scale"]["levels"])
        if "," in (name := _clean(level.get("name")).get("en", ""))
    ]
    if problems:
        raise DocumentErrors(problems)
    codes = {
        code
        for unit in document["units"]
        for code in [unit["code"]]
        + [element["code"] for element in unit["elements"]]
        + [criterion["code"] for element in unit["elements"] for criterion in element["criteria"]]
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([title for _key, title in COLUMNS])

    data = _moodle(document)
    idnumber = data.get("idnumber")
    if not (isinstance(idnumber, str) and _slug_of(idnumber) == document["slug"]):
        idnumber = document["slug"]
    short_name, description, description_format = _item_cells(document, "framework", _framework_blocks(document))
    taxonomies = data.get("taxonomies")
    taxonomies = taxonomies if isinstance(taxonomies, list) else DEFAULT_TAXONOMIES
    scale_values = ",".join(_clean(level["name"]).get("en", "") for level in document["scale"]["levels"])
    writer.writerow(
        [
            "",
            idnumber,
            short_name,
            description,
            description_format,
            scale_values,
            _scale_configuration(document["scale"]),
            "",
            "",
            "",
            "",
            str(data.get("exported_id", "")),
            "1",
            ",".join(taxonomies),
        ]
    )

    def row(parent: str, item: dict[str, Any], kind: str) -> list[str]:
        data = _moodle(item)
        short_name, description, description_format = _item_cells(item, kind, [])
        scale: dict[str, Any] = data["scale"] if isinstance(data.get("scale"), dict) else {}
        rule: dict[str, Any] = data["rule"] if isinstance(data.get("rule"), dict) else {}
        related = [str(code) for code in data.get("related") or [] if code in codes]
        return [
            parent,
            item["code"],
            short_name,
            description,
            description_format,
            str(scale.get("values", "")),
            str(scale.get("configuration", "")),
            str(rule.get("type", "")),
            str(rule.get("outcome", "")),
            str(rule.get("config", "")),
            ",".join(code.replace(",", "%2C") for code in related),
            str(data.get("exported_id", "")),
            "",
            "",
        ]

    for unit in document["units"]:
        writer.writerow(row("", unit, "unit"))
        for element in unit["elements"]:
            writer.writerow(row(unit["code"], element, "element"))
            earlier: set[str] = set()
            for criterion in element["criteria"]:
                parent = _moodle(criterion).get("parent")
                writer.writerow(row(parent if parent in earlier else element["code"], criterion, "criterion"))
                earlier.add(criterion["code"])
    return buffer.getvalue().encode("utf-8")


# ---------------------------------------------------------------------------------------------------------------------
# Import


@dataclass
class _Row:
    line: int
    cells: dict[str, str]
    is_framework: bool = False
    children: list[_Row] = field(default_factory=list)
    depth: int = 0

    def __getitem__(self, key: str) -> str:
        return self.cells[key]


class _Reader:
    """Reads one file; collects problems with their place and raises them all at the end of a stage."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.headers: dict[str, str] = dict(HEADERS)
        self.languages: set[str] = {"en"}

    def at(self, line: int, key: str) -> str:
        return place(self.source, line, _("column '%(name)s'") % {"name": self.headers.get(key, key)})

    def add(self, line: int, key: str, message: str) -> None:
        self.problems.append(Problem(self.at(line, key), message))

    def check(self) -> None:
        if self.problems:
            raise DocumentErrors(capped(sorted(self.problems, key=_problem_order), self.source))

    # -- CSV --------------------------------------------------------------------------------------------------------

    def decode(self, data: bytes) -> str:
        try:
            return decode_text(data, source=self.source)
        except DocumentErrors as exc:
            where = self._bad_byte_place(data)
            if where is None or len(exc.problems) != 1:
                raise
            raise DocumentErrors([Problem(where, exc.problems[0].message)]) from None

    def _bad_byte_place(self, data: bytes) -> str | None:
        """Line and column of the first byte that is not UTF-8 (the cell is found with surrogate escapes)."""
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="surrogateescape")
        try:
            delimiter, header = self._header(text)
            for line, cells in _records(text, delimiter):
                for index, cell in enumerate(cells):
                    if re.search("[\udc80-\udcff]", cell):
                        key = header[index] if index < len(header) else None
                        return self.at(line, key) if key else place(self.source, line, column=index + 1)
        except (DocumentErrors, _CsvError):
            return None
        return None

    def _header(self, text: str) -> tuple[str, list[str | None]]:
        first = text.split("\n", 1)[0]
        best: tuple[int, str, list[str]] = (0, ",", [])
        for delimiter in DELIMITERS:
            cells = next(csv.reader([first], delimiter=delimiter), [])
            known = sum(1 for cell in cells if _header_key(cell) in _HEADER_KEYS)
            if known > best[0]:
                best = (known, delimiter, cells)
        known, delimiter, cells = best
        expected = ", ".join(HEADERS.values())
        if known < 2:
            raise DocumentErrors(
                [
                    Problem(
                        place(self.source, 1),
                        _(
                            "the first line must be the header row of a Moodle competency framework file, "
                            "with the columns %(columns)s"
                        )
                        % {"columns": expected},
                    )
                ]
            )
        header: list[str | None] = []
        for index, cell in enumerate(cells):
            key = _HEADER_KEYS.get(_header_key(cell))
            if key is None:
                if cell.strip() or any(c.strip() for c in cells[index:]):
                    name = _("column '%(name)s'") % {"name": cell.strip()} if cell.strip() else ""
                    self.problems.append(
                        Problem(
                            place(self.source, 1, name, column=None if name else index + 1),
                            _("unknown column; a Moodle competency framework file has the columns %(columns)s")
                            % {"columns": expected},
                        )
                    )
            elif key in header:
                self.add(1, key, _("the column appears twice in the header row"))
            else:
                self.headers[key] = cell.strip()
            header.append(key)
        for key, title in COLUMNS:
            if key not in header:
                self.problems.append(
                    Problem(
                        place(self.source, 1, _("column '%(name)s'") % {"name": title}),
                        _(
                            "is missing from the header row; a Moodle competency framework file has the columns "
                            "%(columns)s"
                        )
                        % {"columns": expected},
                    )
                )
        self.check()
        return delimiter, header

    def rows(self, text: str) -> list[_Row]:
        delimiter, header = self._header(text)
        rows: list[_Row] = []
        records = _records(text, delimiter)
        try:
            next(records)  # the header
            for line, cells in records:
                if not any(cell.strip() for cell in cells):
                    continue
                row = self._row(line, cells, header)
                if row is not None:
                    rows.append(row)
        except _CsvError as exc:
            index = _broken_cell(text, exc.line, delimiter)
            key = header[index] if index < len(header) else None
            where = self.at(exc.line, key) if key else place(self.source, exc.line, column=index + 1)
            self.problems.append(Problem(where, exc.message))
        self.check()
        return rows

    def _row(self, line: int, cells: list[str], header: list[str | None]) -> _Row | None:
        if len(cells) < len(header):
            missing = next(key for key in header[len(cells) :] if key)
            self.add(
                line,
                missing,
                _(
                    "is missing: the row has %(found)d of the %(expected)d columns; is the file cut off, or is a "
                    "delimiter missing?"
                )
                % {"found": len(cells), "expected": len(header)},
            )
            return None
        if len(cells) > len(header):
            culprit = _unquoted_delimiter(cells, header)
            where = self.at(line, culprit) if culprit else place(self.source, line, column=len(header) + 1)
            self.problems.append(
                Problem(
                    where,
                    _(
                        "the row has %(found)d values but the header has %(expected)d columns; a value that contains "
                        "the delimiter must be in double quotes"
                    )
                    % {"found": len(cells), "expected": len(header)},
                )
            )
            return None
        values = {key: cell.strip() for key, cell in zip(header, cells, strict=False) if key}
        flag = values["isframework"].lower()
        if flag not in ("", "0", "1", "true", "false", "yes", "no"):
            self.add(line, "isframework", _("must be 1 for the framework row and empty (or 0) for competencies"))
        return _Row(line, values, is_framework=flag in ("1", "true", "yes"))

    # -- checks of single cells -------------------------------------------------------------------------------------

    def json(self, row: _Row, key: str) -> Any:
        try:
            return json.loads(row[key])
        except json.JSONDecodeError as exc:
            self.add(
                row.line,
                key,
                _("is not valid JSON: %(error)s (character %(position)d)")
                % {"error": exc.msg, "position": exc.pos + 1},
            )
            return None

    def scale(self, row: _Row) -> tuple[list[str], list[int], int | None, str]:
        """Scale items, proficient item positions, the default position and the scale id of a row."""
        values = [value.strip() for value in row["scalevalues"].split(",")]
        for number, value in enumerate(values, start=1):
            if not value:
                self.add(row.line, "scalevalues", _("scale item %(position)d is empty") % {"position": number})
            elif values.index(value) != number - 1:
                self.add(row.line, "scalevalues", _("the scale item %(name)r appears twice") % {"name": value})
        if not row["scaleconfig"]:
            self.add(
                row.line,
                "scaleconfig",
                _('is missing; give it as [{"scaleid": ""}, {"id": 1, "scaledefault": 1, "proficient": 1}, …]'),
            )
            return values, [], None, ""
        configuration = self.json(row, "scaleconfig")
        if configuration is None:
            return values, [], None, ""
        if (
            not isinstance(configuration, list)
            or not configuration
            or not isinstance(configuration[0], dict)
            or "scaleid" not in configuration[0]
        ):
            self.add(row.line, "scaleconfig", _('must be a JSON list that starts with {"scaleid": …}'))
            return values, [], None, ""
        proficient: list[int] = []
        defaults: list[int] = []
        known = len(self.problems)
        for entry in configuration[1:]:
            position: Any = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(position, str) and position.isdigit():
                position = int(position)
            if not isinstance(position, int) or isinstance(position, bool):
                self.add(
                    row.line, "scaleconfig", _('every entry after the first needs an "id": the number of a scale item')
                )
                continue
            if not 1 <= position <= len(values):
                self.add(
                    row.line,
                    "scaleconfig",
                    _("refers to scale value %(position)d, but 'Scale values' has %(count)d items (%(values)s)")
                    % {"position": position, "count": len(values), "values": ", ".join(values)},
                )
                continue
            if _truthy(entry.get("proficient")):
                proficient.append(position)
            if _truthy(entry.get("scaledefault")):
                defaults.append(position)
        if len(self.problems) > known:
            return values, [], None, ""
        if not proficient:
            self.add(row.line, "scaleconfig", _('no scale value is marked "proficient": 1; Moodle needs at least one'))
        if len(defaults) != 1:
            self.add(
                row.line,
                "scaleconfig",
                _('exactly one scale value must be marked "scaledefault": 1 (found %(count)d)')
                % {"count": len(defaults)},
            )
        return values, sorted(set(proficient)), defaults[0] if defaults else None, str(configuration[0]["scaleid"])

    def description_format(self, row: _Row) -> str:
        value = row["format"] or "1"
        if value not in DESCRIPTION_FORMATS:
            self.add(
                row.line,
                "format",
                _("must be 1 (HTML), 0 (Moodle auto-format), 2 (plain text) or 4 (Markdown), not %(value)r")
                % {"value": value},
            )
            return "1"
        return value

    def title(self, row: _Row, blocks: dict[str, _Node], block: str) -> dict[str, str]:
        node = blocks.get(block)
        texts = _texts(node, exact=True) if node is not None else _short_name_texts(row["shortname"])
        key = "description" if node is not None else "shortname"
        if not texts:
            self.add(row.line, key, _("is empty; every framework and competency needs a short name"))
        elif not texts.get("en"):
            self.add(
                row.line,
                key,
                _("has no English text (found %(languages)s); give an English multilang span")
                % {"languages": ", ".join(texts)},
            )
        self.languages |= set(texts)
        return texts

    def alignments(self, row: _Row, node: _Node | None) -> list[dict[str, Any]]:
        if node is None:
            return []
        alignments = []
        for item in node.all("li"):
            target = item.attrs.get("data-target", "")
            relation = item.attrs.get("data-relation", AlignmentRelation.RELATED)
            alignment: dict[str, Any] = {"target": target}
            if target == AlignmentTarget.ECF:
                alignment["code"] = item.attrs.get("data-code", "")
                level = item.attrs.get("data-level")
                if level is not None:
                    if not level.isdigit() or not 1 <= int(level) <= 5:
                        self.add(row.line, "description", _("e-CF level %(level)r must be 1 to 5") % {"level": level})
                        continue
                    alignment["level"] = int(level)
                if not alignment["code"]:
                    self.add(row.line, "description", _("an e-CF alignment needs a data-code"))
                    continue
            elif target in (AlignmentTarget.ESCO_SKILL, AlignmentTarget.ESCO_OCCUPATION):
                alignment["uri"] = item.attrs.get("data-uri", "")
                kind = "skill" if target == AlignmentTarget.ESCO_SKILL else "occupation"
                if not ESCO_URI_RE.match(alignment["uri"]) or f"/esco/{kind}/" not in alignment["uri"]:
                    self.add(
                        row.line,
                        "description",
                        _("not an ESCO %(kind)s URI: %(uri)r") % {"kind": kind, "uri": alignment["uri"]},
                    )
                    continue
            else:
                self.add(
                    row.line,
                    "description",
                    _("alignment target %(target)r must be one of %(targets)s")
                    % {"target": target, "targets": ", ".join(AlignmentTarget.values)},
                )
                continue
            if relation not in AlignmentRelation.values:
                self.add(
                    row.line,
                    "description",
                    _("alignment relation %(relation)r must be one of %(relations)s")
                    % {"relation": relation, "relations": ", ".join(AlignmentRelation.values)},
                )
                continue
            if item.attrs.get("data-label"):
                alignment["label"] = item.attrs["data-label"]
            alignment["relation"] = relation
            alignments.append(alignment)
        return alignments


class _CsvError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """``(line where the record starts, cells)`` for every record; :class:`_CsvError` for broken quoting."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = str(exc)
            if "unexpected end of data" in message:
                message = _("a quoted value is never closed: the file ends inside it; is the file cut off?")
            elif "field larger than field limit" in message:
                message = _("a value is longer than %(limit)d characters") % {"limit": csv.field_size_limit()}
            elif "expected after" in message:
                message = _("a closing double quote must be followed by the delimiter or the end of the line")
            raise _CsvError(previous + 1, message) from None
        yield previous + 1, cells
        previous = reader.line_num


def _broken_cell(text: str, line: int, delimiter: str) -> int:
    """Index of the cell where the quoting of the record starting on ``line`` breaks."""
    lines = io.StringIO(text, newline="").readlines()
    record = "".join(lines[line - 1 :])
    index, quoted, at_start, position = 0, False, True, 0
    while position < len(record):
        char = record[position]
        if quoted:
            if char == '"':
                if record[position + 1 : position + 2] == '"':
                    position += 2
                    continue
                quoted = False
                if record[position + 1 : position + 2] not in (delimiter, "\n", "\r", ""):
                    return index
            position += 1
            continue
        if char == '"' and at_start:
            quoted, at_start = True, False
        elif char == delimiter:
            index, at_start = index + 1, True
        elif char in "\r\n":
            return index
        else:
            at_start = False
        position += 1
    return index


def _unquoted_delimiter(cells: list[str], header: list[str | None]) -> str | None:
    """The text column that most likely holds an unquoted delimiter: joining its cell with the surplus cells
    gives a row whose 'Description format' and 'Is framework' make sense."""
    surplus = len(cells) - len(header)
    for key in ("shortname", "description"):
        if key not in header:
            continue
        index = header.index(key)
        joined = [*cells[: index + 1], *cells[index + 1 + surplus :]]
        values = dict(zip(header, joined, strict=False))
        if values.get("format", "").strip() in ("", *DESCRIPTION_FORMATS) and values.get(
            "isframework", ""
        ).strip().lower() in ("", "0", "1"):
            return key
    return None


def _truthy(value: Any) -> bool:
    return value not in (None, False, 0, "", "0")


def _problem_order(problem: Problem) -> tuple[int, str]:
    match = re.search(r": line (\d+)", problem.where)
    return (int(match.group(1)) if match else 0, problem.where)


@dataclass
class _Parsed:
    document: dict[str, Any]
    #: The CSV line of each item's document path (``()`` is the framework row).
    paths: dict[Path, int]


def _parse(data: bytes, *, source: str) -> _Parsed:
    reader = _Reader(source)
    rows = reader.rows(reader.decode(data))
    frameworks = [row for row in rows if row.is_framework]
    competencies = [row for row in rows if not row.is_framework]
    if not frameworks:
        reader.add(1, "isframework", _("no row is marked as the framework (1 in 'Is framework'); one row must be"))
    for row in frameworks[1:]:
        reader.add(
            row.line,
            "isframework",
            _("a second framework row (the first is on line %(line)d); a file holds one framework")
            % {"line": frameworks[0].line},
        )
    reader.check()
    framework = frameworks[0]

    by_id: dict[str, _Row] = {}
    exported: dict[str, _Row] = {}
    for row in competencies:
        idnumber = row["idnumber"]
        if not idnumber:
            reader.add(row.line, "idnumber", _("is empty; every competency needs an ID number"))
            continue
        if not CODE_RE.match(idnumber):
            reader.add(
                row.line,
                "idnumber",
                _(
                    "%(code)r cannot be used as a code: use letters, digits, '.', '_' or '-', at most 40 characters, "
                    "starting with a letter or digit"
                )
                % {"code": idnumber},
            )
        if idnumber in by_id:
            reader.add(
                row.line,
                "idnumber",
                _("duplicate ID number %(code)r (first used on line %(line)d)")
                % {"code": idnumber, "line": by_id[idnumber].line},
            )
            continue
        by_id[idnumber] = row
        if row["exportid"]:
            if row["exportid"] in exported:
                reader.add(
                    row.line,
                    "exportid",
                    _("duplicate exported ID %(id)r (first used on line %(line)d)")
                    % {"id": row["exportid"], "line": exported[row["exportid"]].line},
                )
            exported.setdefault(row["exportid"], row)
        if row["taxonomy"]:
            reader.add(row.line, "taxonomy", _("only the framework row has taxonomies; leave it empty on competencies"))
    for row in by_id.values():
        for code in _related(row):
            if code == row["idnumber"]:
                reader.add(row.line, "related", _("a competency cannot be cross-referenced to itself"))
            elif code not in by_id:
                reader.add(row.line, "related", _("no row has the ID number %(code)r") % {"code": code})
    for key in ("parent", "ruletype", "ruleoutcome", "ruleconfig", "related"):
        if framework[key] and not (key == "ruleconfig" and framework[key] == "null"):
            reader.add(framework.line, key, _("must be empty on the framework row"))

    # The tree, in file order, whatever the order of the rows.
    roots: list[_Row] = []
    for row in by_id.values():
        parent = row["parent"]
        if not parent:
            roots.append(row)
        elif parent in by_id:
            by_id[parent].children.append(row)
        elif parent == framework["idnumber"]:
            reader.add(
                row.line,
                "parent",
                _("%(parent)r is the framework's ID number; leave 'Parent ID number' empty for top-level competencies")
                % {"parent": parent},
            )
        else:
            reader.add(row.line, "parent", _("no row has the ID number %(parent)r") % {"parent": parent})
    reached: set[str] = set()
    stack = [(row, 1) for row in reversed(roots)]
    order: list[_Row] = []
    while stack:
        row, depth = stack.pop()
        row.depth = depth
        reached.add(row["idnumber"])
        order.append(row)
        stack += [(child, depth + 1) for child in reversed(row.children)]
    reported: set[str] = set()
    for row in by_id.values():
        if row["idnumber"] in reached or row["idnumber"] in reported or row["parent"] not in by_id:
            continue
        chain: list[str] = []
        current: str = row["idnumber"]
        while current in by_id and current not in chain and current not in reached and current not in reported:
            chain.append(current)
            current = by_id[current]["parent"]
        reported |= set(chain)
        if current in chain:
            cycle = chain[chain.index(current) :]
            first = min(cycle, key=lambda code: by_id[code].line)
            start = cycle.index(first)
            loop = [*cycle[start:], *cycle[:start], first]
            reader.add(
                by_id[first].line,
                "parent",
                _("the parents form a cycle: %(cycle)s; one of them must have another parent or none")
                % {"cycle": " → ".join(loop)},
            )
    reader.check()

    for row in order:
        if row.depth <= 2 and not row.children:
            message = (
                _(
                    "%(code)r is a top-level competency (a unit) without child competencies; a unit needs elements "
                    "and every element performance criteria (three levels)"
                )
                if row.depth == 1
                else _(
                    "%(code)r is a second-level competency (an element) without child competencies; every element "
                    "needs at least one performance criterion below it"
                )
            )
            reader.add(row.line, "idnumber", message % {"code": row["idnumber"]})
    if not roots:
        reader.add(framework.line, "idnumber", _("the framework has no competencies"))

    document = _framework_document(reader, framework)
    paths: dict[Path, int] = {(): framework.line}
    units = []
    for unit_row in roots:
        elements = []
        for element_row in unit_row.children:
            criteria = []
            below: list[tuple[_Row, str | None]] = [(child, None) for child in reversed(element_row.children)]
            while below:
                criterion_row, folded_under = below.pop()
                criterion = _competency(reader, criterion_row, "criterion", exported)
                if folded_under is not None:
                    criterion.setdefault("extra", {}).setdefault("moodle", {}).update(
                        {"parent": folded_under, "depth": criterion_row.depth}
                    )
                criteria.append(criterion)
                below += [(child, criterion_row["idnumber"]) for child in reversed(criterion_row.children)]
            element = _competency(reader, element_row, "element", exported)
            element["criteria"] = criteria
            elements.append(element)
        unit = _competency(reader, unit_row, "unit", exported)
        unit["elements"] = elements
        units.append(unit)
    document["units"] = units
    for u, unit in enumerate(units):
        paths[("units", u)] = by_id[unit["code"]].line
        for e, element in enumerate(unit["elements"]):
            paths[("units", u, "elements", e)] = by_id[element["code"]].line
            for c, criterion in enumerate(element["criteria"]):
                paths[("units", u, "elements", e, "criteria", c)] = by_id[criterion["code"]].line
    if "languages" not in document:
        document["languages"] = [code for code in settings.LANGUAGE_CODES if code in reader.languages]
    reader.check()
    return _Parsed(document, paths)


def _framework_document(reader: _Reader, row: _Row) -> dict[str, Any]:
    description_format = reader.description_format(row)
    parts = _split_description(row["description"], description_format)
    title = reader.title(row, parts.blocks, "title")
    moodle: dict[str, Any] = {}
    idnumber = row["idnumber"]
    slug = _slug_of(idnumber)
    if not slug:
        reader.add(
            row.line,
            "idnumber",
            _("the framework's slug is made from its ID number, which needs ASCII letters or digits (found %(id)r)")
            % {"id": idnumber},
        )
    elif slug != idnumber:
        moodle["idnumber"] = idnumber
    document: dict[str, Any] = {"slug": slug, "version": DEFAULT_VERSION, "status": "draft", "title": title}
    description = _item_description(reader, row, parts, description_format, moodle)
    if description:
        document["description"] = description

    metadata = parts.blocks.get("framework")
    if metadata is not None:
        fields = {key: node for node in metadata.all("dd") for key in node.classes}
        if "s4c-version" in fields:
            document["version"] = _text(fields["s4c-version"], None, exact=True)
            if not document["version"]:
                reader.add(row.line, "description", _("the version in the framework description is empty"))
        if "s4c-languages" in fields:
            languages = [code.strip() for code in _text(fields["s4c-languages"], None, exact=True).split(",")]
            document["languages"] = [code for code in languages if code in settings.LANGUAGE_CODES] or ["en"]
        if "s4c-licence" in fields:
            document["licence"] = _text(fields["s4c-licence"], None, exact=True)
        if "s4c-attribution" in fields and (attribution := _texts(fields["s4c-attribution"], exact=True)):
            document["attribution"] = attribution

    values, proficient, default, scale_id = reader.scale(row) if row["scalevalues"] else ([], [], None, "")
    if not row["scalevalues"]:
        reader.add(
            row.line, "scalevalues", _("the framework row needs its scale items, e.g. 'Not yet competent,Competent'")
        )
    levels = _scale_levels(parts.blocks.get("scale"), values)
    scale: dict[str, Any] = {"slug": "scale", "title": {"en": f"Competency scale: {title.get('en', '')}"}}
    table = parts.blocks.get("scale")
    if table is not None and levels is not None:
        scale["slug"] = table.attrs.get("data-slug") or "scale"
        caption = table.first("caption")
        if caption is not None and (scale_title := _texts(caption, exact=True)):
            scale["title"] = scale_title
    else:
        levels = [{"value": position, "name": {"en": value}} for position, value in enumerate(values, start=1)]
    scale["levels"] = levels
    level_values = [level["value"] for level in levels]
    if proficient and default is not None:
        chosen = ([level_values[p - 1] for p in proficient], level_values[default - 1])
        if chosen != _default_proficiency(level_values) or scale_id:
            scale["extra"] = {"moodle": {"scaleid": scale_id, "proficient": chosen[0], "default": chosen[1]}}
    document["scale"] = scale
    document["roles"] = []

    taxonomies = [term.strip() for term in row["taxonomy"].split(",")] if row["taxonomy"] else []
    for term in taxonomies:
        if term and term not in TAXONOMIES:
            reader.add(
                row.line,
                "taxonomy",
                _("unknown taxonomy %(term)r; use one of %(terms)s") % {"term": term, "terms": ", ".join(TAXONOMIES)},
            )
    if taxonomies != DEFAULT_TAXONOMIES:
        moodle["taxonomies"] = taxonomies
    if row["exportid"]:
        moodle["exported_id"] = row["exportid"]
    if moodle:
        document["extra"] = {"moodle": moodle}
    return document


def _slug_of(idnumber: str) -> str:
    """The framework slug of a Moodle framework ID number (``SOF-DT-2024`` → ``sof-dt-2024``)."""
    if SLUG_RE.match(idnumber) and len(idnumber) <= 80:
        return idnumber
    return slugify(idnumber)[:80].strip("-")


def _scale_levels(table: _Node | None, values: list[str]) -> list[dict[str, Any]] | None:
    """The levels described by our scale table, if it matches the scale items of the row exactly."""
    if table is None:
        return None
    levels = []
    for row in table.all("tr"):
        name, description = row.first("th"), row.first("td")
        value = row.attrs.get("data-value", "")
        if name is None or not value.isdigit() or int(value) < 1:
            return None
        level: dict[str, Any] = {"value": int(value), "name": _texts(name, exact=True)}
        if description is not None and (texts := _texts(description, exact=True)):
            level["description"] = texts
        for key in ("eqf", "ecf"):
            number = row.attrs.get(f"data-{key}", "")
            if number.isdigit():
                level[f"{key}_level"] = int(number)
        levels.append(level)
    names = [level["name"].get("en") for level in levels]
    if names != values or len({level["value"] for level in levels}) != len(levels):
        return None
    return levels


def _item_description(
    reader: _Reader, row: _Row, parts: _Description, description_format: str, moodle: dict[str, Any]
) -> dict[str, str]:
    """The description (our block, else Moodle's own text); Moodle's own HTML is kept in ``moodle``."""
    if parts.free:
        moodle["description"] = parts.free
        if description_format != "1":
            moodle["description_format"] = description_format
    block = parts.blocks.get("description")
    description = _texts(block, exact=True) if block is not None else _free_texts(parts.free, description_format)
    reader.languages |= set(description)
    return description


def _competency(reader: _Reader, row: _Row, kind: str, exported: dict[str, _Row]) -> dict[str, Any]:
    description_format = reader.description_format(row)
    parts = _split_description(row["description"], description_format)
    moodle: dict[str, Any] = {}
    title = reader.title(row, parts.blocks, "text" if kind == "criterion" else "title")
    item: dict[str, Any] = {"code": row["idnumber"], ("text" if kind == "criterion" else "title"): title}
    description = _item_description(reader, row, parts, description_format, moodle)
    if description and kind != "criterion":
        item["description"] = description
    if kind == "element":
        for key, _heading in KSA_BLOCKS:
            node = parts.blocks.get(key)
            statements = [_texts(li, exact=True) for li in node.all("li")] if node is not None else []
            if statements := [text for text in statements if text]:
                item[key] = statements
                for text in statements:
                    reader.languages |= set(text)
    if alignments := reader.alignments(row, parts.blocks.get("alignments")):
        item["alignments"] = alignments
    if row["shortname"] and row["shortname"] != _shorten(title.get("en", "")):
        moodle["shortname"] = row["shortname"]

    if row["scalevalues"] or row["scaleconfig"]:
        if not row["scalevalues"]:
            reader.add(row.line, "scalevalues", _("is empty, but the row has a scale configuration"))
        else:
            reader.scale(row)
            moodle["scale"] = {"values": row["scalevalues"], "configuration": row["scaleconfig"]}
    rule = _rule(reader, row, exported)
    if rule:
        moodle["rule"] = rule
    if related := _related(row):
        moodle["related"] = related
    if row["exportid"]:
        moodle["exported_id"] = row["exportid"]
    if moodle:
        item["extra"] = {"moodle": moodle}
    return item


def _related(row: _Row) -> list[str]:
    """Cross-referenced ID numbers; Moodle writes a comma inside an ID number as ``%2C``."""
    return [code.strip().replace("%2C", ",") for code in row["related"].split(",") if code.strip()]


def _rule(reader: _Reader, row: _Row, exported: dict[str, _Row]) -> dict[str, str]:
    rule_type, outcome, config = row["ruletype"], row["ruleoutcome"], row["ruleconfig"]
    if rule_type and rule_type.lstrip("\\") not in RULE_TYPES:
        reader.add(
            row.line,
            "ruletype",
            _("unknown rule type %(type)r; Moodle has %(types)s")
            % {"type": rule_type, "types": " and ".join(RULE_TYPES)},
        )
    if outcome and outcome not in RULE_OUTCOMES:
        reader.add(
            row.line,
            "ruleoutcome",
            _(
                "must be 0 (do nothing), 1 (attach evidence), 2 (complete the competency) or 3 (recommend it), "
                "not %(value)r"
            )
            % {"value": outcome},
        )
    empty_config = config in ("", "null")
    parsed = None if empty_config else reader.json(row, "ruleconfig")
    if rule_type.lstrip("\\") == RULE_POINTS:
        if empty_config:
            reader.add(row.line, "ruleconfig", _("the points rule needs a rule config with the points of each child"))
        elif parsed is not None:
            _check_points(reader, row, parsed, exported)
    if not rule_type and (outcome in ("", "0")) and config in ("", "null"):
        return {}
    return {"type": rule_type, "outcome": outcome, "config": config}


def _check_points(reader: _Reader, row: _Row, config: Any, exported: dict[str, _Row]) -> None:
    competencies = config.get("competencies") if isinstance(config, dict) else None
    base = config.get("base") if isinstance(config, dict) else None
    if not isinstance(base, dict) or "points" not in base or not isinstance(competencies, list) or not competencies:
        reader.add(
            row.line,
            "ruleconfig",
            _(
                'the points rule config must look like {"base": {"points": 2}, '
                '"competencies": [{"id": …, "points": 1, "required": 0}]}'
            ),
        )
        return
    for entry in competencies:
        exported_id = str(entry.get("id", "")) if isinstance(entry, dict) else ""
        target = exported.get(exported_id)
        if target is None:
            reader.add(
                row.line,
                "ruleconfig",
                _("refers to the exported ID %(id)r, which no row has in 'Exported ID (optional)'")
                % {"id": exported_id},
            )
        elif target["parent"] != row["idnumber"]:
            reader.add(
                row.line,
                "ruleconfig",
                _(
                    "exported ID %(id)r is %(code)r, which is not a child of this competency; the points rule counts "
                    "children only"
                )
                % {"id": exported_id, "code": target["idnumber"]},
            )


def read(data: bytes, *, source: str) -> dict[str, Any]:
    """The native document of a Moodle competency framework CSV file (raises :class:`DocumentErrors`)."""
    return _parse(data, source=source).document


def relocate(data: bytes, *, source: str, problems: list[Problem]) -> list[Problem]:
    """Give problems found after reading (document validation, ESCO and e-CF checks) their CSV line and column."""
    parsed = _parse(data, source=source)
    relocated = locations.relocate(problems, source=source, document=parsed.document, lines=parsed.paths)
    result = []
    for problem in relocated:
        match = re.match(rf"^{re.escape(source)}: (line \d+), (\S.*)$", problem.where)
        if match is None:
            result.append(problem)
            continue
        path = match.group(2)
        leaf = re.sub(r"\[\d+\]", "", path).split(".")[-1]
        key = "description"
        if leaf in ("code", "slug"):
            key = "idnumber"
        elif path.startswith("scale"):
            key = "scalevalues"
        elif leaf in ("title", "text") and "alignments" not in path:
            key = "shortname"
        column = _("column '%(name)s'") % {"name": HEADERS[key]}
        result.append(Problem(f"{source}: {match.group(1)}, {column}, {path}", problem.message))
    return result

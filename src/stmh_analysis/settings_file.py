"""settings.yaml (and the other reference YAML files) read so that a mistake is explained in Dutch:
the file, the section, the line, what was written and what to write instead.

An amount in settings.yaml is read as the command line reads `--budget`: `2000000`, `2.000.000`
and `'€ 2 mln'` mean the same in both places (parameters.parse_euros).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_MISSING = object()

# libyaml's loader when PyYAML has it: the same safe loading, ten times faster (the reference is
# read by every kernel of a run)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# PyYAML's own descriptions of the commonest slips, in the words of the analyst who made them
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "een dubbele punt waar die niet kan staan; zet een tekst "
     "met ':' tussen aanhalingstekens"),
    ("did not find expected '-'", "de inspringing klopt niet met de regels erboven"),
    ("cannot start any token", "een teken waarmee een waarde niet kan beginnen, zoals @ of `; zet "
     "de waarde tussen aanhalingstekens"),
    ("could not find expected ':'", "een naam zonder dubbele punt erachter"),
    ("expected <block end>", "de inspringing klopt niet met de regels erboven"),
    ("did not find expected key", "de inspringing klopt niet met de regels erboven"),
    ("found unexpected end of stream", "een aanhalingsteken dat niet wordt gesloten"),
    ("while scanning a quoted scalar", "een aanhalingsteken dat niet wordt gesloten"),
    ("found undefined alias", "een '*' aan het begin van een waarde; zet die tussen aanhalingstekens"),
    ("found duplicate anchor", "een '&' aan het begin van een waarde; zet die tussen aanhalingstekens"),
)  # fmt: skip


class SettingsError(ValueError):
    """A reference file says something that cannot be used; the message says where and what to do."""


def yaml_error_words(exc: yaml.YAMLError, filename: str, text: str = "") -> str:
    """A YAML syntax error as a sentence: the file, the line and column, and the likely slip."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"{filename}, regel {mark.line + 1}, kolom {mark.column + 1}" if mark else filename
    said = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}"
    slip = next((words for english, words in _YAML_PROBLEMS if english in said), "")
    if mark and "\t" in (text.splitlines()[mark.line : mark.line + 1] or [""])[0]:
        slip = "een tab; spring in met spaties"
    return (
        f"{where}: geen geldige YAML"
        + (f" ({slip})" if slip else "")
        + (". Vergelijk met de regels erboven of met de versie in git")
    )


def line_of(text: str, section: str, key: str = "") -> int | None:
    """The line (from 1) where `section:` (or `key:` inside it) is written, if it can be found."""
    found = _node(text, section, key)
    return found[0].start_mark.line + 1 if found else None


def written_as(text: str, section: str, key: str) -> str | None:
    """The value of `section: key:` as written in the file (YAML reads 500.000 as 500.0)."""
    found = _node(text, section, key)
    return found[1].value if found and isinstance(found[1], yaml.ScalarNode) else None


def _node(text: str, section: str, key: str = "") -> tuple[Any, Any] | None:
    """The (name, value) nodes of `section:` or of `key:` inside it."""
    try:
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return None
    node = root
    for name in (section, key) if key else (section,):
        if not isinstance(node, yaml.MappingNode):
            return None
        found = next(((k, v) for k, v in node.value if k.value == name), None)
        if found is None:
            return None
        name_node, node = found
    return name_node, node


@dataclass(frozen=True)
class SettingsFile:
    """One parsed settings file, read value by value; its text is read again only to say where
    a mistake is or how an amount was written."""

    data: dict[str, Any]
    path: Path

    @property
    def filename(self) -> str:
        return self.path.name

    @functools.cached_property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def where(self, section: str, key: str = "") -> str:
        line = line_of(self.text, section, key) or line_of(self.text, section)
        place = f"{section} → {key}" if key else section
        return f"{self.filename}, {place}" + (f" (regel {line})" if line else "")

    def section(self, name: str, required: bool = True) -> dict[str, Any]:
        value = self.data.get(name)
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise SettingsError(
                f"{self.filename}: de sectie '{name}:' ontbreekt of heeft geen regels eronder "
                "(namen met een waarde, ingesprongen met spaties)"
            )
        return value

    def value(self, section: str, key: str, default: Any = _MISSING) -> Any:
        value = self.section(section, required=default is _MISSING).get(key, default)
        if value is _MISSING:
            raise SettingsError(
                f"{self.where(section)}: '{key}:' ontbreekt; schrijf die regel ingesprongen onder "
                f"'{section}:'"
            )
        return value

    def euros(self, section: str, key: str, default: Any = _MISSING) -> float:
        """An amount, read as the command line reads one: 2000000, 2.000.000 or '€ 2 mln'."""
        from stmh_analysis.parameters import parse_euros

        value = self.value(section, key, default)
        if isinstance(value, float):  # 500.000 is € 500.000 here, as on the command line
            value = written_as(self.text, section, key) or value
        try:
            return parse_euros(value, key)
        except ValueError:
            raise SettingsError(
                f"{self.where(section, key)}: {value!r} is geen bedrag in euro's; schrijf "
                "bijvoorbeeld 2000000, 2.000.000 of '€ 2 mln'"
            ) from None

    def number(self, section: str, key: str, default: Any = _MISSING) -> float:
        value = self.value(section, key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            text = str(value).strip().replace(",", ".")
            try:
                return float(text)
            except ValueError:
                raise SettingsError(
                    f"{self.where(section, key)}: {value!r} is geen getal; schrijf bijvoorbeeld "
                    "0,9 als 0.9"
                ) from None
        return float(value)

    def year(self, section: str, key: str) -> int:
        value = self.value(section, key)
        if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
            raise SettingsError(
                f"{self.where(section, key)}: {value!r} is geen jaartal; schrijf bijvoorbeeld 2024"
            )
        return value

"""Strict YAML reading: one document, no anchors or aliases, no duplicate keys, no yes/no booleans.

PyYAML's C parser builds the node tree; we construct plain Python values from it ourselves
so that every problem carries the file and line, and so that the surprises of YAML 1.1
(``no`` meaning False, ``*alias`` bombs, a repeated key silently winning) are errors.
Sequences become tuples so that frozen, strict pydantic models accept them as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # the C parser is far faster; fall back only where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml ships in PyYAML's wheels
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32  # our files nest 4-5 levels; anything deeper is a mistake or an attack
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9]+([eE][-+]?[0-9]+)?$")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, located so an editor can go straight to it."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class YamlError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class YamlDoc:
    """A parsed file: its value, plus the node tree kept to find lines for later errors."""

    path: Path
    value: Any
    node: yaml.Node | None

    def line_of(self, loc: tuple[int | str, ...]) -> int | None:
        """1-based line of the value at a pydantic-style location, or the nearest parent."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                found = next((v for k, v in node.value if k.value == part), None)
                if found is None:
                    key = next((k for k, _ in node.value if k.value == part), None)
                    return key.start_mark.line + 1 if key is not None else line
                node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return line
                node = node.value[part]
            else:
                return line
            line = node.start_mark.line + 1
        return line


def read_yaml(path: Path, *, display: str | None = None) -> YamlDoc:
    """Parse one YAML file strictly; raise YamlError naming file, line and problem."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlError(Problem(name, None, f"cannot read file: {exc.strerror}")) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise YamlError(Problem(name, None, f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(Problem(name, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})")) from exc
    return parse_yaml(text, name, path)


def parse_yaml(text: str, name: str, path: Path | None = None) -> YamlDoc:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        bad_line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlError(Problem(name, bad_line, f"control character (code {code}) is not allowed in YAML text")) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlError(Problem(name, line, f"YAML syntax: {exc.problem or exc.context}")) from exc
    except yaml.YAMLError as exc:
        raise YamlError(Problem(name, None, f"YAML error: {exc}")) from exc
    finally:
        loader.dispose()
    value = _Builder(name).build(node) if node is not None else None
    return YamlDoc(path or Path(name), value, node)


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, message: str) -> YamlError:
        return YamlError(Problem(self.name, node.start_mark.line + 1, message))

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        # The composer hands back the same node object wherever an alias points at it, scalars
        # included (a: &x foo / b: *x), so every node is remembered, not only collections.
        if id(node) in self.seen:
            raise self.fail(node, "anchors and aliases (&, *) are not allowed; write the value out")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:  # checked before recursing: 3,000 levels used to end in RecursionError
            raise self.fail(node, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if node.tag not in (_SEQ, _MAP):
            raise self.fail(node, f"tag {node.tag} is not allowed")
        if isinstance(node, yaml.SequenceNode):
            return tuple(self.build(item, depth + 1) for item in node.value)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth)
        raise self.fail(node, "unsupported YAML node")  # pragma: no cover

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys (<<) are not allowed")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be plain text")
            key = key_node.value
            if key in out:
                raise self.fail(key_node, f"duplicate key '{key}'")
            out[key] = self.build(value_node, depth + 1)
        return out

    def scalar(self, node: yaml.ScalarNode) -> Any:
        value = node.value
        if node.tag == _STR or node.style in ("'", '"', "|", ">"):
            if node.tag not in (_STR, "!"):
                raise self.fail(node, f"tag {node.tag} is not allowed")
            return value
        if node.tag not in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
                            "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            if node.tag.startswith("tag:yaml.org,2002:timestamp"):
                return value  # dates stay text; the models parse what they need
            raise self.fail(node, f"tag {node.tag} is not allowed")
        low = value.lower()
        if low in ("", "~", "null"):
            return None
        if low in ("true", "false"):
            return low == "true"
        if low in _YAML11_BOOLS:
            raise self.fail(node, f"'{value}' is ambiguous in YAML; write true or false, or quote it")
        if _INT.match(value):
            return int(value.replace("_", ""))
        if _FLOAT.match(value):
            return float(value.replace("_", ""))
        return value

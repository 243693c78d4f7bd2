"""Split records into YAML front matter and Markdown body; load strictly, dump deterministically."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from .errors import DossierError

FENCE = "---"


# YAML 1.1 reads yes/no/on/off as booleans (a rubrique or a name could silently change type), 012 as
# the octal number 10, 1_000 as 1000, 1:30 as 90; and an impossible date such as 2024-02-31 would
# raise a bare ValueError. Here only true/false are booleans, integers are plain decimals, and dates
# stay text: the record validator reads them, with a message that names the field.
_DROPPED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int"}
_RESOLVERS = {first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
              for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _strict(base):
    """Make a strict loader class on top of a PyYAML safe loader (C or pure Python)."""
    cls = type(f"Strict{base.__name__}", (base,), {"yaml_implicit_resolvers": {k: list(v) for k, v in _RESOLVERS.items()}})
    cls.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
    cls.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
    cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    return cls


class RecordDumper(yaml.SafeDumper):
    """Safe dumper that writes dates unquoted (they are read back as text and validated)."""


RecordDumper.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping sets the same key twice (PyYAML would silently keep the last value)."""

    def __init__(self, key, first_line: int, mark):
        super().__init__(None, None, f"duplicate key '{key}'", mark)
        self.key, self.first_line = key, first_line  # first_line: 0-based, in the YAML text


def _construct_mapping(loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise DuplicateKeyError(key, seen[key], key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


# libyaml's C parser when PyYAML has it (its wheels do): many times faster than the pure-Python one,
# which still reads invalid YAML so that error messages are the same on every machine.
PythonStrictLoader = _strict(yaml.SafeLoader)
StrictLoader = _strict(yaml.CSafeLoader) if getattr(yaml, "__with_libyaml__", False) else PythonStrictLoader


@dataclass(frozen=True)
class Document:
    """A record file split in two: its front matter data and its Markdown body."""

    data: dict
    key_lines: dict  # key path tuple, e.g. ('author', 'name') -> line number in the file
    body: str
    body_line: int  # line number in the file where the body starts


def load_yaml(text: str, path=None, line_offset: int = 0) -> tuple[Any, dict]:
    """Parse YAML strictly; return the data and the file line of each top-level key."""
    simple = _simple_yaml(text, line_offset)
    if simple is not None:
        return simple
    try:
        return _load(StrictLoader, text, path, line_offset)
    except DossierError:
        if StrictLoader is PythonStrictLoader:
            raise
        return _load(PythonStrictLoader, text, path, line_offset)  # the same error, in the usual words


def _load(loader_class, text: str, path, line_offset: int) -> tuple[Any, dict]:
    loader = loader_class(text)
    try:  # parse once: the node tree gives the key lines, and the data is constructed from it
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except DuplicateKeyError as exc:
        raise DossierError(f"duplicate key '{exc.key}' (first set on line {exc.first_line + 1 + line_offset})",
                           path, exc.problem_mark.line + 1 + line_offset) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        raise DossierError(f"invalid YAML: {_yaml_message(exc)}", path, line) from None
    except yaml.YAMLError as exc:
        raise DossierError(f"invalid YAML: {exc}", path, line_offset + 1 or None) from None
    finally:
        loader.dispose()
    key_lines: dict = {}
    _collect_lines(node, (), key_lines, line_offset)
    return data, key_lines


# ---------------------------------------------------------------- the YAML records are written in

# Records are written by dump() below: block mappings and sequences, one scalar per line. Read line
# by line here, they take 0.06 ms, against 0.17 ms through libyaml and PyYAML's constructor (1.1 s
# of CPU saved in a first build at 10,000 questions). The reader takes only what it is sure to read as YAML
# does: keys that are plain words read as text, values that are plain scalars resolved by the loader's own
# resolvers (on one line or folded over several), quoted strings on one line without escapes, empty
# [] and {}. At anything else (a comment, an anchor, a tab, a blank line, a duplicate key, an error)
# it gives up and YAML reads the text.

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?$")
_LONGEST_KEY = 1000  # YAML refuses a key of more than 1,024 characters
_DEEPEST = 50  # YAML's reader recurses: far deeper, it fails where this would not
_STARTS_NOT_PLAIN = set("-?:,[]{}#&*!|>'\"%@`")  # indicators: a plain scalar does not start with one
_NOT_SIMPLE = re.compile("[\t\r\x85\u2028\u2029\ufeff]|" + yaml.reader.Reader.NON_PRINTABLE.pattern)
_STR, _NULL, _BOOL, _INT = (f"tag:yaml.org,2002:{name}" for name in ("str", "null", "bool", "int"))


class _NotSimple(Exception):
    """The text is not in the simple form _SimpleReader reads."""


def _simple_yaml(text: str, offset: int) -> tuple[dict, dict] | None:
    """(data, key lines) as _load gives them, or None when the text is not simply a mapping of the
    records' own form."""
    if not text or _NOT_SIMPLE.search(text):
        return None
    lines = []
    for number, line in enumerate(text.split("\n")):
        content = line.lstrip(" ")
        if not content or content[-1] == " ":
            return None
        lines.append((number, len(line) - len(content), content))
    reader = _SimpleReader(lines, offset)
    try:
        if lines[0][1] != 0:
            raise _NotSimple
        data = reader.mapping(0, ())
        if reader.at != len(lines):
            raise _NotSimple
    except _NotSimple:
        return None
    return data, reader.key_lines


class _SimpleReader:
    def __init__(self, lines: list, offset: int):
        self.lines, self.offset, self.at, self.key_lines = lines, offset, 0, {}

    def mapping(self, indent: int, path: tuple, first: tuple | None = None) -> dict:
        """The block mapping whose keys are at `indent` (its first key already read: `first`)."""
        data: dict = {}
        while True:
            if first is not None:
                (number, content), first = first, None
            elif self.at == len(self.lines) or self.lines[self.at][1] < indent:
                return data
            else:
                number, at_indent, content = self.lines[self.at]
                if at_indent > indent:
                    raise _NotSimple  # a mapping where none can be
                self.at += 1
            match = _KEY.match(content)
            if not match or match[1] in data or len(match[1]) > _LONGEST_KEY or len(path) > _DEEPEST \
                    or _plain(match[1]) != match[1]:  # a key YAML reads as null or a boolean
                raise _NotSimple
            key, rest = match[1], match[2]
            self.key_lines[path + (key,)] = number + 1 + self.offset
            data[key] = self.nested(indent, path + (key,)) if rest is None else self.inline(rest, indent)

    def inline(self, text: str, indent: int):
        """A value on its key's (or dash's) line, in a block at `indent`, and the lines below it
        that continue it (dump folds plain text longer than a line: it reads back with spaces)."""
        more = []
        while self.at < len(self.lines) and self.lines[self.at][1] > indent:
            more.append(self.lines[self.at][2])
            self.at += 1
        if not more:
            return _scalar(text)
        if text[0] in "'\"":
            raise _NotSimple
        return _plain(" ".join([text, *more]))

    def nested(self, indent: int, path: tuple):
        """The value of a key with nothing after its colon: a block below it, or null."""
        if self.at < len(self.lines):
            _, at_indent, content = self.lines[self.at]
            if content.startswith("- ") and at_indent >= indent:
                return self.sequence(at_indent, path)
            if at_indent > indent:
                return self.mapping(at_indent, path)
        return None

    def sequence(self, indent: int, path: tuple) -> list:
        items: list = []
        while self.at < len(self.lines):
            number, at_indent, content = self.lines[self.at]
            if at_indent != indent or not content.startswith("- "):
                if at_indent > indent:
                    raise _NotSimple
                break
            self.at += 1
            item, rest = path + (len(items),), content[2:]
            self.key_lines[item] = number + 1 + self.offset
            if rest[0] == " " or rest.startswith("- "):
                raise _NotSimple
            items.append(self.mapping(indent + 2, item, (number, rest)) if _KEY.match(rest) else self.inline(rest, indent))
        return items


def _scalar(text: str):
    """A value written on its key's line, as the strict loader reads it."""
    if text in ("[]", "{}"):
        return [] if text == "[]" else {}
    first = text[0]
    if first == '"':
        if len(text) < 2 or text[-1] != '"' or "\\" in text or '"' in text[1:-1]:
            raise _NotSimple
        return text[1:-1]
    if first == "'":
        if len(text) < 2 or text[-1] != "'" or "'" in text[1:-1].replace("''", ""):
            raise _NotSimple
        return text[1:-1].replace("''", "'")
    return _plain(text)


@lru_cache(maxsize=1 << 14)  # names, ministries, dates, null: the same values from record to record
def _plain(text: str):
    first = text[0]
    if ": " in text or " #" in text or text[-1] == ":" or (first in _STARTS_NOT_PLAIN and first not in "-"):
        raise _NotSimple
    tag = next((tag for tag, pattern in StrictLoader.yaml_implicit_resolvers.get(first, [])
                if pattern.match(text)), _STR)
    if tag == _STR and first != "-":
        return text
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return text.lower() == "true"
    if tag == _INT:
        return int(text)
    raise _NotSimple  # a float, a merge key, a plain scalar starting with '-' that is not a number


def _collect_lines(node, prefix: tuple, out: dict, offset: int) -> None:
    """Map each key path, e.g. ('author', 'name') or ('sources', 0, 'file'), to its line."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = prefix + (key_node.value,)
            out[path] = key_node.start_mark.line + 1 + offset
            _collect_lines(value_node, path, out, offset)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[prefix + (i,)] = item.start_mark.line + 1 + offset
            _collect_lines(item, prefix + (i,), out, offset)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    return "; ".join(parts) if parts else str(exc)


def split(text: str, path=None) -> Document:
    """Split a record into front matter and body, locating YAML errors in the file."""
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise DossierError("a record must start with a '---' line (YAML front matter)", path, 1)
    for i in range(1, len(lines)):
        if lines[i].rstrip() == FENCE:
            break
    else:
        raise DossierError("front matter is not closed by a '---' line", path, 1)
    data, key_lines = load_yaml("\n".join(lines[1:i]), path, line_offset=1)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DossierError("front matter must be a mapping of 'key: value' lines", path, 2)
    body = "\n".join(lines[i + 1 :]).strip("\n")
    return Document(data, key_lines, body, i + 2)


def dump(data: dict, body: str) -> str:
    """Write a record: front matter in the given key order, then the body; stable byte for byte."""
    front = yaml.dump(data, Dumper=RecordDumper, sort_keys=False, allow_unicode=True, width=100,
                      default_flow_style=False)
    body = body.strip("\n")
    return f"{FENCE}\n{front}{FENCE}\n" + (f"\n{body}\n" if body else "")

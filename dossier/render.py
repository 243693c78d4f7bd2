"""The Jinja environment (strict, autoescaped), its filters, and the one way Markdown becomes HTML."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import types
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.compiler
import jinja2.runtime
import nh3
import pyromark
from jinja2.utils import internalcode
from markupsafe import Markup, escape
from markupsafe import _escape_inner  # what escape() wraps in a Markup (C; the string itself when nothing is escaped)

from .events import latest_events
from .feeds import atom_date, entry_id
from .passages import highlight
from .text import format_french_date, slugify

# What sanitised Markdown may contain: the usual prose and table elements, nothing active.
ALLOWED_TAGS = {
    "p", "br", "em", "strong", "i", "b", "u", "sup", "sub", "small", "a", "abbr", "q", "cite",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "hr", "h2", "h3", "h4", "h5", "h6",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "code", "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"colspan", "rowspan", "scope"},
                      "td": {"colspan", "rowspan"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
NBSP, NNBSP = "\u00a0", "\u202f"


# Records are CommonMark with GitHub's pipe tables, converted by pulldown-cmark (Rust, through
# pyromark): 0.04 ms a question with sanitising, against 0.73 ms with Python-Markdown, for the same HTML
# on every shipped, imported and generated record but white space between tags (bench/README.md).
# Raw HTML (the importers' tables) passes to nh3, which keeps only what is allowed.
_PYROMARK_OPTIONS = pyromark.Options.ENABLE_TABLES


@lru_cache(maxsize=64)  # a question's texts are converted for its open data, then for its page: once
def sanitised_html(text: str | None) -> Markup:
    """Render record Markdown to sanitised HTML, text as written (for open data)."""
    if not text:
        return Markup("")
    converted = pyromark.html(text, options=_PYROMARK_OPTIONS)
    return Markup(nh3.clean(converted, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_SCHEMES,
                            link_rel="noopener noreferrer nofollow").rstrip("\n"))


def render_markdown(text: str | None) -> Markup:
    """Render record Markdown for display: sanitised HTML with French typography."""
    return french_typography(sanitised_html(text))


_TAG_SPLIT = re.compile(r"(<[^>]*>)")
_AFTER = r"(?=[\s)\]»,.]|$)"
_BEFORE_PUNCT = re.compile(r"(?<=[^\s;!?])[ \u00a0]*([;!?]+)" + _AFTER)  # 'Pourquoi ?' and 'Pourquoi?'
_BEFORE_COLON = re.compile(r"(?<=\S) +:" + _AFTER)
_NUMERO = re.compile(r"\bn°[ ]+(?=\d)")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")


def french_typography(value) -> Markup:
    """Apply French typography to text (escaped first) or to HTML (text between tags only)."""
    if isinstance(value, str) and len(value) <= _SHORT:
        return _short_typography(value, hasattr(value, "__html__"))
    return _typography_of(str(value if isinstance(value, Markup) else escape(value)))


_SHORT = 200  # names, titles, ministries: few and repeated on many pages, so remembered


@lru_cache(maxsize=16384)
def _short_typography(value: str, is_markup: bool) -> Markup:  # is_markup: part of the key, as 'a&b' differs
    return _typography_of(str(escape(value)))


def _typography_of(markup: str) -> Markup:
    parts = _TAG_SPLIT.split(markup)
    for i in range(0, len(parts), 2):
        if _TOUCHED.search(parts[i]) is None:  # most runs between tags ('\n' between blocks): as they are
            continue
        # After an inline tag ('<em>mot</em> ?'), the run starts mid-sentence: mark that with a stand-in
        # character so the rules see a word before the space.
        parts[i] = _typography("\x00" + parts[i])[1:] if i else _typography(parts[i])
    return Markup("".join(parts))


_TOUCHED = re.compile("[&<>\"';!?:«»°]")  # what the rules change, or unescaping and escaping again


def _typography(html_text: str) -> str:
    """Apply the rules to one run of escaped text: unescape, apply, escape again (entities are safe)."""
    text = html.unescape(html_text).replace("'", "’")
    # Each rule runs where its sign is: a regular expression scans the whole run, 'in' far faster.
    if ";" in text or "!" in text or "?" in text:
        text = _BEFORE_PUNCT.sub(NNBSP + r"\1", text)
    if ":" in text:
        text = _BEFORE_COLON.sub(NBSP + ":", text)
    if "«" in text:
        text = _OPEN_QUOTE.sub("«" + NBSP, text)
    if "n°" in text:
        text = _NUMERO.sub("n°" + NBSP, text)
    if "»" in text:
        text = _CLOSE_QUOTE.sub(NBSP + "»", text)
    return str(escape(text))


_ORDINAL = re.compile(r"\b(\d+)(er|re|e)\b")


def ordinals(value) -> Markup:
    """Jinja filter: set French ordinal suffixes as superscripts, '2e' -> '2<sup>e</sup>'."""
    markup = str(value if isinstance(value, Markup) else escape(value))
    parts = _TAG_SPLIT.split(markup)
    for i in range(0, len(parts), 2):
        parts[i] = _ORDINAL.sub(r"\1<sup>\2</sup>", parts[i])
    return Markup("".join(parts))


def date_fr(value: dt.date | None) -> str:
    """Jinja filter: a date the French way, '21 mai 2024'."""
    return format_french_date(value) if value else ""


def plural(count: int, one: str, many: str) -> str:
    """Jinja filter helper: '1 question', '2 questions', '0 question' (French: 0 and 1 are singular)."""
    return f"{count}{NBSP}{one if count < 2 else many}"


_SCHEME = re.compile(r"^[a-z]+:")


def percent(value: float) -> str:
    """Jinja filter: 0.425 -> '42,5 %' (French decimal comma, narrow no-break space)."""
    text = f"{value * 100:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text}{NNBSP}%"


def relative_url(page_url: str, target: str) -> str:
    """Link from one page to another as a relative URL, so the site works under any address.

    Both are clean paths from the site root ('/questions/16-qe-1/', '/static/style.css').
    """
    if _SCHEME.match(target):
        return target
    path, _, fragment = target.partition("#")
    here = page_url.split("/")[1:-1]  # folders of the page: '/a/b/' and '/a/b/x.xml' -> ['a', 'b']
    there = path.split("/")[1:]  # folders then file name ('' for a folder)
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    rel = "../" * (len(here) - common) + "/".join(there[common:])
    return (rel or "./") + (f"#{fragment}" if fragment else "")


def _relative_to(page_url: str):
    """relative_url(page_url, target) as a function of the target, the page's folders split once.
    Most links leave the page's first folder (a question page to a deputy, a topic, another
    question's feed): those are the way up and the target's path."""
    here = page_url.split("/")[1:-1]
    first, up = (here[0] if here else None), "../" * len(here)

    def url(target: str) -> str:
        if first is None or target[:1] != "/" or "#" in target or target.startswith(first, 1):
            return relative_url(page_url, target)
        return up + target[1:]
    return url


def page_functions(site, page, base_path: str) -> dict:
    """The functions templates call that depend on the page being rendered, bound to it:
    url(target), its link to another page of the site (relative, or from the site's root path for
    pages served at any address, such as 404.html); absolute_url(target), the address under the
    site's base URL (None without one); question_html(view), a question's text with the passages
    it shares highlighted.

    Bound once a page rather than declared as Jinja context functions: Jinja gives those a copy
    of the whole context at each call made from a loop or a block that sets a variable (40 links
    on a question page)."""
    if page.absolute_links:
        url = functools.partial(_from_root, base_path)
    else:
        url = _relative_to(page.url)
    return {"url": url, "absolute_url": functools.partial(_absolute_url, site.config.base_url),
            "question_html": functools.partial(_shared_passages, site.questions)}


def _from_root(base_path: str, target: str) -> str:
    return base_path + target.lstrip("/")


def _shared_passages(questions, view) -> Markup:
    """The question's text as HTML, passages it shares with its related questions highlighted."""
    others = [questions[uid].record.question_text for uid in view.related]
    return highlight(render_markdown(view.record.question_text), others)


def _absolute_url(base_url: str | None, target: str) -> str | None:
    return _from_root(base_url, target) if base_url else None


class _Context(jinja2.runtime.Context):
    """Jinja's context, but a call from a template to a callable that takes no context, environment
    or evaluation context (a page function, a macro, a method such as date.isoformat) goes straight
    to it. Jinja's own call asks each callable twice whether it wants one, by attributes the
    callable lacks: 40 % of the cost of a call, ~50 calls a question page and 3 an item of a list."""

    @internalcode
    def call(__self, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        target = __obj.__func__ if type(__obj) is types.MethodType else __obj  # a method: as its function
        kind = type(target)
        if kind in _BUILT_IN or (kind in _OWN_ATTRIBUTES and _PASS_ARG not in target.__dict__):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:  # as Jinja's own
                return __self.environment.undefined("value was undefined because a callable raised a"
                                                    " StopIteration exception")
        return super().call(__obj, *args, **kwargs)


_PASS_ARG = "jinja_pass_arg"  # what jinja2.pass_context and its kin set on a callable
# Callables that cannot carry it: functions and methods of built-in types.
_BUILT_IN = frozenset({types.BuiltinFunctionType, types.MethodWrapperType})
# Callables whose types do not carry it, and that carry it in their own attributes when it is set.
_OWN_ATTRIBUTES = frozenset({types.FunctionType, functools.partial, jinja2.runtime.Macro})


def _escaped(value) -> str:
    """markupsafe.escape(value), but a plain string: how the templates write out each {{ value }}.
    Wrapping it in a Markup, as Jinja does, copied the string into a new object ~200 times a
    question page, each thrown away as soon as written (12 % of the rendering processes' time).
    Where output is gathered (a macro, a {% set %} block), Jinja wraps the whole in a Markup."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        markup = value.__html__()
        return markup if type(markup) is str or type(markup) is Markup else str(Markup(markup))
    return _escape_inner(str(value))


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's, but what a template writes out is escaped by _escaped."""

    def visit_Template(self, node, frame=None):
        self.writeline(f"from {__name__} import _escaped")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node, frame, finalize):
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("_escaped(")
            if finalize.src is not None:
                self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


def make_environment(templates_dir: Path, reload: bool = False, compiled: Path | None = None) -> jinja2.Environment:
    """Build the strict, autoescaping Jinja environment with the site's filters. With `reload` (the
    preview's, kept between builds), a template is compiled again when its file changes; else each
    is read once (checking the files at every page cost three stat calls a page). With a
    `compiled` folder, templates compiled by an earlier build are taken from there when their
    source is the same (Jinja's bytecode cache: compiling those of a question page takes 0.1 s);
    the folder must be the code's own (the compiled code depends on the options set here)."""
    if compiled is not None:
        compiled.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled is not None else None,
        auto_reload=reload,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.context_class = _Context
    env.code_generator_class = _CodeGenerator
    env.filters.update(date_fr=date_fr, markdown=render_markdown, typo=french_typography, plural=plural,
                       ordinals=ordinals, slug=slugify, percent=percent,
                       zip=zip)
    env.globals.update(entry_id=entry_id, atom_date=atom_date, latest_events=latest_events)  # and page_functions
    return env

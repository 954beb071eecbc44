"""One message catalogue (issue 15 item 2): every interface text's English and zh-CN in one gettext PO file
(nengtan/locale/zh_CN/LC_MESSAGES/nengtan.po, read by nengtan.i18n), complete in Chinese, each text's fields the same
in both languages, and every surface reading it: the names of codes, the refusals, the service's errors, the command
line and the web pages."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import polib
import pytest
import typer

from nengtan import i18n, labels, messages, reasons
from nengtan.cli import options_zh, say
from nengtan.cli.help_zh import APP_HELP, HELP, SUB_HELP

PATTERN_CONTEXTS = ("reason", "error", "cli.parse", "cli.parse.value")
STATIC = Path(i18n.__file__).parent / "web" / "static"


def _po() -> polib.POFile:
    return polib.pofile(str(i18n.CATALOGUE), wrapwidth=0)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_catalogue_is_complete_in_chinese_and_has_each_text_once() -> None:
    po = _po()
    assert len(po) > 1000 and po.metadata["Language"] == "zh_CN"
    assert po.percent_translated() == 100 and not po.fuzzy_entries() and not po.obsolete_entries()
    keys = [(e.msgctxt, e.msgid) for e in po]
    assert len(keys) == len(set(keys))
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    for e in po:
        assert e.msgctxt, e.msgid  # every text says what it is
        assert e.msgid.strip() and e.msgstr.strip(), e.msgctxt
        assert cjk.search(e.msgstr) or e.msgctxt == "web:lang", (e.msgctxt, e.msgstr)  # (the switch names English)


NAMES_ITS_TERM = {("cli:form205.raw", "raw-material use"), ("web:lang", "中文"), ("web:muTitle", "(亩均)")}
"""English texts that name a Chinese term beside their own words (the help of commands and options may too)."""


def test_the_english_beside_the_chinese_is_english() -> None:
    """The English of an entry has no Chinese (units per 万元 are "per 10⁴ CNY"), but where a help text names the
    Chinese term it explains."""
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    mixed = [(e.msgctxt, e.msgid) for e in _po() if cjk.search(e.msgid)
             and not e.msgctxt.startswith(("cli.command", "cli.option", "cli.app"))]
    assert [(c, m) for c, m in mixed if not any(c == ctx and part in m for ctx, part in NAMES_ITS_TERM)] == []


def _field_problems(po: polib.POFile) -> list[str]:
    """Entries whose Chinese does not take the fields its English has."""
    problems = []
    for e in po:
        if e.msgctxt in PATTERN_CONTEXTS:
            groups = set(re.compile(e.msgid).groupindex)  # the English is a pattern: the Chinese takes its groups
            derived = {f"{g}_zh" for g in groups}  # (a group said in Chinese: nengtan.messages' where_zh, who_zh)
            ok = _fields(e.msgstr) <= groups | derived
        elif "python-brace-format" in e.flags:  # (elsewhere a brace is the text's own: "{METER} codes")
            ok = _fields(e.msgid) == _fields(e.msgstr)
        else:
            ok = not _fields(e.msgid) or e.msgctxt in ("cli.option", "web:virtualFormula")  # a field is flagged
        if not ok:
            problems.append(f"{e.msgctxt}: {e.msgid}")
    return problems


def test_a_text_has_the_same_fields_in_both_languages() -> None:
    po = _po()
    assert _field_problems(po) == []
    # say(key, **fields) and tr(english, sense, **fields) take their own first arguments by those names
    assert not [e.msgctxt for e in po if e.msgctxt.startswith("cli:") and {"key"} & _fields(e.msgid)]
    assert not [e.msgid for e in po if e.msgctxt.startswith("cli.word") and {"english", "sense"} & _fields(e.msgid)]


def test_a_field_dropped_or_misnamed_in_a_translation_is_caught() -> None:
    """The check above on the catalogue with entries broken (so it is seen to fail)."""
    po = _po()
    message = next(e for e in po if e.msgctxt == "cli:inventory.title")
    message.msgstr = message.msgstr.replace("{period}", "")
    reason = next(e for e in po if e.msgctxt == "reason" and "(?P<p>" in e.msgid)
    reason.msgstr = reason.msgstr.replace("{p}", "{period}")
    assert sorted(_field_problems(po)) == [f"cli:inventory.title: {message.msgid}", f"reason: {reason.msgid}"]


def test_every_surface_reads_the_catalogue() -> None:
    """The tables and dictionaries the surfaces use are the catalogue's entries, not copies."""
    assert labels.CARRIERS["natural_gas"] == ("天然气", "Natural gas")
    assert i18n.label_table("carriers") == labels.CARRIERS
    assert len(reasons.CATALOGUE) == len(i18n.entries("reason"))
    assert messages.NOUNS["enterprise"] == "企业" and tuple(i18n.entries("error")) == messages.PATTERNS
    assert messages.VALIDATION["int_parsing"] == "须为整数" and messages.FIELDS["year"] == "年份"
    assert say.MESSAGES["wrote"] == ("wrote {path}", "已写出 {path}")
    assert i18n.chinese("cli.option") == options_zh.OPTION_HELP and options_zh.USAGE == "用法："
    assert HELP["inventory"] and SUB_HELP["report inventory"] and APP_HELP.startswith("能碳")
    assert not (STATIC / "i18n.js").exists()  # the pages' words are served from the catalogue (/i18n.js)


def test_each_command_s_english_beside_its_chinese_is_its_help_today() -> None:
    """The catalogue's English of a command is the command's own summary, so a translator sees what it says now."""
    from nengtan.cli.main import app

    root = typer.main.get_command(app)

    def summary(path: str) -> str:
        command = root
        for part in path.split():
            command = command.commands[part]  # type: ignore[attr-defined]
        return (command.help or command.short_help or "").strip().split("\n")[0].strip()

    stale = {path: (en, summary(path)) for path, (en, _) in i18n.keyed("cli.command").items() if en != summary(path)}
    assert not stale


def test_every_word_a_page_asks_for_is_in_the_catalogue() -> None:
    words = i18n.page_words()
    assert words["zh"].keys() == words["en"].keys() and words["zh"]["cockpit"] == "园区驾驶舱"
    asked = {k for f in STATIC.glob("*.js") for k in re.findall(r'NT\.t\("([A-Za-z0-9_-]+)"\)', f.read_text())}
    assert len(asked) > 150
    assert not asked - words["zh"].keys()


def test_a_context_the_catalogue_lacks_is_an_error_not_an_empty_table() -> None:
    with pytest.raises(KeyError, match="no entry of context"):
        i18n.entries("no-such-context")
    with pytest.raises(KeyError, match="no entry of context"):
        i18n.label_table("no_such_table")


def test_every_word_the_command_line_asks_for_is_in_the_catalogue() -> None:
    """``tr("English")`` in the CLI's source (gettext's ``_()``) has its Chinese in the catalogue, and no heading is
    written with its Chinese beside it in the code (``pick("English", "中文")``: two literals)."""
    cli = Path(i18n.__file__).parent / "cli"
    asked, inline = set(), []
    for source in cli.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            literals = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "tr" and literals and isinstance(node.args[0], ast.Constant):
                sense = literals[1] if len(literals) > 1 else ""
                asked.add(("cli.word" + (f".{sense}" if sense else ""), literals[0]))
            if node.func.id == "pick" and len(literals) == 2:
                inline.append(f"{source.name}:{node.lineno}")
    assert len(asked) > 30 and not inline  # (words from a loop over literals are asked for by the zh runs of the CLI)
    index = {(e.msgctxt, e.msgid) for e in _po()}
    assert not asked - index


def test_every_command_line_mistake_is_said_from_the_catalogue() -> None:
    """A CLI mistake is ``UserError.said("<key>", **fields)`` with its entry ``cli.error:<key>``; none is written with
    its Chinese beside it in the code (``UserError("English", "中文")``), and every entry is used."""
    from nengtan.cli.common import UserError

    cli = Path(i18n.__file__).parent / "cli"
    said, inline = set(), []
    for source in cli.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Attribute) and node.func.attr == "said" and node.args:
                said.add(node.args[0].value)  # type: ignore[attr-defined]
            if isinstance(node.func, ast.Name) and node.func.id == "UserError" and len(node.args) == 2:
                inline.append(f"{source.name}:{node.lineno}")
    assert inline == [] and len(said) > 40
    assert said == set(i18n.keyed("cli.error"))
    error = UserError.said("common.format_is_not_table", fmt="xml")
    assert str(error) == "--format 'xml' is not table or json" and error.zh == "--format 'xml' 须为 table 或 json"


def _chinese_literals(tree: ast.Module) -> list[int]:
    """Lines of string literals holding Chinese characters that are not docstrings."""
    docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    return [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docs and re.search(r"[\u4e00-\u9fff]", n.value)]


def test_the_reports_words_are_the_catalogue_s() -> None:
    """The workbooks' and PDFs' texts (nengtan.reports and the meeting pack) are ``zh("English")`` or
    ``both("English")`` with their entry in context ``report``, every entry is used, and no Chinese is written in
    their code; ``both`` prints the Chinese with the English beside it."""
    from nengtan.reports.words import both, zh

    package = Path(i18n.__file__).parent
    reports = [*(package / "reports").glob("*.py"), package / "engine" / "meetingpack.py"]
    writers = [p for p in package.rglob("*.py") if "from nengtan.reports.words import" in p.read_text(encoding="utf-8")]
    assert len(writers) > 15  # (the reports, and the CLI and API where they title a workbook or a PDF)
    asked, inline = set(), []
    for source in {*reports, *writers}:
        tree = ast.parse(source.read_text(encoding="utf-8"))
        if source in reports:
            inline += [f"{source.name}:{line}" for line in _chinese_literals(tree)]
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("zh", "both")
                    and node.args and isinstance(node.args[0], ast.Constant)):
                asked.add(node.args[0].value)
    assert inline == []
    report = {e.msgid for e in _po() if e.msgctxt == "report"}
    assert len(asked) > 300 and asked == report
    assert both("Summary") == "汇总 Summary" and zh("Top {top} emitters", top=15) == "排放前 15 位企业"


def test_every_statistic_item_is_named_in_the_catalogue() -> None:
    """The statistic items (nengtan.statistics.items, units only) are named by the label table ``statistic_items``,
    Chinese and English: an item added without its name fails here, not as a bare key on the evaluation page."""
    from nengtan.statistics.items import ITEMS

    assert set(ITEMS) <= set(labels.STATISTIC_ITEMS)
    assert labels.STATISTIC_ITEMS["tax"] == ("实缴税金", "tax paid")


VOCABULARY = "what the importers accept or the units a figure is in (万元, 吨标煤 …), not text said to a user"
CITATION = "the title or clause of a Chinese document cited by its own words"
TERM = "an English help text naming the Chinese term it explains (its Chinese is the catalogue's)"
DEMO = "the demo's own data: enterprise names, places, the actors' notes"
CHINESE_ALLOWED = {
    "accounting/inventory.py": TERM, "api/app.py": TERM, "api/deps.py": TERM, "api/routers/entries.py": TERM,
    "api/routers/targets.py": VOCABULARY, "cli/assets.py": TERM,
    "cli/certification.py": TERM, "cli/energybudget.py": TERM, "cli/evaluate.py": TERM, "cli/greenassets.py": TERM,
    "cli/main.py": VOCABULARY, "cli/notify.py": TERM, "cli/operations.py": VOCABULARY, "cli/ratings.py": TERM,
    "cli/targets.py": VOCABULARY, "demo.py": DEMO, "demo_assets.py": DEMO, "demo_chain.py": DEMO,
    "demo_evaluation.py": DEMO, "demo_green.py": DEMO, "demo_operations.py": DEMO, "demo_province.py": DEMO,
    "demo_regions.py": DEMO, "engine/cockpit.py": VOCABULARY, "engine/esg.py": CITATION,
    "engine/evaluation.py": CITATION, "evaluation/hj274.py": VOCABULARY, "evaluation/zero_carbon.py": CITATION,
    "factors/provinces.py": VOCABULARY, "footprint/background.py": VOCABULARY, "greenpower/gec.py": CITATION,
    "greenpower/market.py": VOCABULARY, "ingest/bulk.py": VOCABULARY, "ingest/files.py": VOCABULARY,
    "ingest/form205.py": VOCABULARY, "ingest/rows.py": VOCABULARY, "ingest/tables.py": VOCABULARY,
    "ratings/points.py": VOCABULARY, "statistics/items.py": VOCABULARY, "targets/assessment.py": VOCABULARY,
    "targets/targets.py": VOCABULARY, "units.py": VOCABULARY, "upward/format.py": CITATION,
}
"""The modules that may still hold Chinese in their code, and why; every other text said to a user is the
catalogue's."""


def test_chinese_is_said_from_the_catalogue_not_from_the_code() -> None:
    """No module outside CHINESE_ALLOWED writes Chinese in a string literal (docstrings apart): the domain's notes, the
    reports' words and the surfaces' messages come from the catalogue with their English beside them. A module that
    no longer needs its place on the list loses it, so the list only shrinks."""
    package = Path(i18n.__file__).parent
    holding = {str(p.relative_to(package)) for p in package.rglob("*.py")
               if _chinese_literals(ast.parse(p.read_text(encoding="utf-8")))}
    assert holding - set(CHINESE_ALLOWED) == set()
    assert set(CHINESE_ALLOWED) - holding == set()


def _note_helpers(tree: ast.Module) -> set[str]:
    """A module's functions that say a note by its key: those that write ``f"note.<area>:{key}"``, and those that pass
    their ``key`` on to one of them."""
    defs = [d for d in ast.walk(tree) if isinstance(d, ast.FunctionDef)]
    helpers = {d.name for d in defs if any(isinstance(n, ast.JoinedStr) and ast.unparse(n).startswith("f'note.")
                                           for n in ast.walk(d))}
    while True:
        more = {d.name for d in defs if d.name not in helpers and any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in helpers and n.args
            and isinstance(n.args[0], ast.Name) and n.args[0].id == "key" for n in ast.walk(d))}
        if not more:
            return helpers
        helpers |= more


def test_every_domain_note_asked_for_is_in_the_catalogue_and_every_note_is_asked_for() -> None:
    """``pair("note.<area>:<key>", …)`` — directly, or through a module's helper that prefixes its keys
    (``f"note.<area>:{key}"``) — names an entry of the catalogue, and every ``note.*`` entry is asked for somewhere."""
    package = Path(i18n.__file__).parent
    asked: set[str] = set()
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        tree = ast.parse(text)
        prefixes = set(re.findall(r'f"(note\.\w+):\{key\}"', text))
        helpers = _note_helpers(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
                continue
            arg = node.args[0]  # a literal, or one of two (``"…:high" if high else "…:low"``)
            for first in [a.value for a in ((arg.body, arg.orelse) if isinstance(arg, ast.IfExp) else (arg,))
                          if isinstance(a, ast.Constant) and isinstance(a.value, str)]:
                if node.func.id == "pair" and first.startswith("note."):
                    asked.add(first)
                elif node.func.id in helpers:
                    asked |= {f"{prefix}:{first}" for prefix in prefixes}
                elif node.func.id == "keyed" and first.startswith("note."):
                    asked |= {f"{first}:{key}" for key in i18n.keyed(first)}
                elif node.func.id == "text" and first.startswith("note."):
                    asked.add(first)  # a table looked up by its English (each entry's use: the module's own test)
    notes = {e.msgctxt for e in _po() if (e.msgctxt or "").startswith("note.")}
    assert len(notes) > 100
    assert asked & notes == notes  # every note is asked for
    assert {a for a in asked if a.split(":")[0] in {n.split(":")[0] for n in notes}} <= notes

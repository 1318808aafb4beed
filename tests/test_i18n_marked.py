"""House rule 7 (docs/developers.md): every user-visible Chinese string of a template is marked for translation.

A template line that still holds Chinese text once `{% translate %}` / `{% blocktranslate %}` blocks,
`_("…")` filter arguments and comments are taken out fails this test, naming the file and the line.
"""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

HAN = re.compile(r"[\u4e00-\u9fff]")
BLOCK = re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S)
TRANSLATE = re.compile(r"""{%\s*trans(?:late)?\s+("[^"]*"|'[^']*')[^%]*%}""", re.S)
FILTER_ARG = re.compile(r"""_\(\s*("[^"]*"|'[^']*')\s*\)""")
COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|<!--.*?-->", re.S)
SCRIPT_STYLE = re.compile(r"<style\b.*?</style>", re.S)

# (template path relative to templates/, exact stripped line) — each entry says why it may stay.
ALLOWED: set[tuple[str, str]] = set()

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def unmarked(text: str) -> list[tuple[int, str]]:
    """Lines with Chinese outside translation marks; line numbers of the original text."""

    def blank(match):  # keep the newlines so line numbers stay right
        return "\n" * match.group(0).count("\n")

    for pattern in (COMMENT, SCRIPT_STYLE, BLOCK, TRANSLATE, FILTER_ARG):
        text = pattern.sub(blank, text)
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if HAN.search(line)]


def test_the_scanner_finds_unmarked_text_and_accepts_marked_text():
    assert unmarked("<p>{% translate \"接单\" %}</p>\n<p>接单</p>") == [(2, "<p>接单</p>")]
    assert unmarked('{% blocktranslate with n=x %}剩 {{ n }}\n分钟{% endblocktranslate %}{{ a|yesno:_("是,否") }}') == []
    assert unmarked("{# 说明 #}<b title=\"{% translate '删除' %}\">x</b>") == []
    assert unmarked("<button>{{ label }} 提交</button>") == [(1, "<button>{{ label }} 提交</button>")]


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_there_are_templates_to_check():
    assert len(_templates()) > 30


def test_every_template_string_is_marked_for_translation():
    problems = []
    for path in _templates():
        rel = str(path.relative_to(TEMPLATES))
        for n, line in unmarked(path.read_text(encoding="utf-8")):
            if (rel, line) not in ALLOWED:
                problems.append(f"{rel}:{n}: {line[:120]}")
    assert not problems, "Chinese text not marked for translation:\n" + "\n".join(problems)


@pytest.mark.parametrize("code, english", [("accept", "Accept")])
def test_the_phones_step_buttons_follow_the_language_of_the_request(code, english):
    """The labels are lazy: built at import in Chinese, shown in the user's language (rule 7: "接单")."""
    from dispatch.views import STEP_LABELS

    with translation.override("en"):
        assert str(STEP_LABELS[code]) == english
    with translation.override("zh-hans"):
        assert str(STEP_LABELS[code]) == "接单"


def test_penalty_clause_names_come_from_marked_labels_not_stored_data():
    """Rule 7: clause names on the penalty pages are translatable labels (the parameter's `offence` is data)."""
    from django.utils.functional import Promise

    from servicedesk.param_specs import SPECS
    from servicedesk.templatetags.labels import clause_name

    assert all(isinstance(SPECS[f"penalty.P{i}"].label, Promise) for i in range(1, 12))
    assert clause_name("P1") == "不服从协调员派单" and clause_name("P10") == "严重违反职业道德"
    for path in ("penalties/_penalty_head.html", "penalties/review.html"):
        text = (TEMPLATES / path).read_text(encoding="utf-8")
        assert ".offence" not in text and "clause_name" in text

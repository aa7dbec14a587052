"""What README.md and docs/*.md cite exists: the repository paths they name, the
environment variables of README's configuration table, and the options of the
`manage.py` commands they show. A newcomer follows these literally."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A cited path starts at one of the repository's top-level folders.
TOP = ("bench/", "docs/", "editor/", "scripts/", "static/", "studio_clone/", "templates/", "tests/")
PLACEHOLDER = re.compile(r"[<>*…]|\bNAME\b|\bN\b")


def cited_paths() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        for token in re.findall(r"`([^`\s]+)`", doc.read_text()):
            path = token.split("#")[0].rstrip(".,:;")
            cited = (doc.name, path)
            if path.startswith(TOP) and not PLACEHOLDER.search(path) and cited not in found:
                found.append(cited)
    return found


def test_the_docs_cite_repository_paths():
    # The check below must have something to look at.
    assert len(cited_paths()) > 50


@pytest.mark.parametrize(("doc", "path"), cited_paths())
def test_every_repository_path_the_docs_cite_exists(doc, path):
    assert (ROOT / path).exists(), f"{doc} cites {path}, which is not in the repository"


def readme_table_variables() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names = []
    for line in section.splitlines():
        if line.startswith("| `"):
            names += re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])
    return names


def test_the_readme_table_lists_variables():
    assert {"SECRET_KEY", "DATABASE_URL", "HTTPS", "LIQUID_TIMEZONE"} <= set(
        readme_table_variables()
    )


@pytest.mark.parametrize("name", readme_table_variables())
def test_every_variable_in_the_readme_table_is_read(name):
    sources = [*ROOT.glob("studio_clone/*.py"), *ROOT.glob("editor/**/*.py")]
    code = "".join(path.read_text() for path in sources)
    script = (ROOT / "scripts" / "run").read_text()
    assert f'"{name}"' in code or "${" + name + ":" in script, f"nothing reads {name}"


def shown_commands() -> list[tuple[str, str]]:
    """(doc, command line) for every `manage.py NAME …` in a code block or code span."""
    found = []
    for doc in DOCS:
        text = doc.read_text()
        blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
        lines = [line for block in blocks for line in block.splitlines()]
        prose = re.sub(r"```.*?```", "", text, flags=re.S)
        lines += [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", prose)]
        for line in lines:
            if "manage.py " in line:
                shown = (doc.name, line.split("manage.py ", 1)[1].split(" #")[0].strip())
                if shown not in found:
                    found.append(shown)
    return found


def option_names(parser) -> set[str]:
    names = set()
    for action in parser._actions:
        names.update(action.option_strings)
    return names


def subparser(parser, name):
    for action in parser._actions:
        if getattr(action, "choices", None) and name in action.choices:
            return action.choices[name]
    return None


def test_the_docs_show_commands():
    assert {"add_member", "create_api_key", "run_flow", "worker", "flowtest", "twilio"} <= {
        line.split()[0] for _, line in shown_commands()
    }


@pytest.mark.parametrize(("doc", "line"), shown_commands())
def test_every_command_and_option_the_docs_show_exists(doc, line):
    words = shlex.split(line.replace("[", " ").replace("]", " ").replace("|", " "))
    name = words[0]
    commands = get_commands()
    assert name in commands, f"{doc}: no command {name}"
    parser = load_command_class(commands[name], name).create_parser("manage.py", name)
    sub = subparser(parser, words[1]) if len(words) > 1 else None
    known = option_names(sub or parser)
    for word in words[1:]:
        option = word.split("=")[0]
        if option.startswith("--"):
            assert option in known, f"{doc}: manage.py {name} has no {option}"

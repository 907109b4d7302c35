"""jinja2 templates: ours (templates/, shipped as salesbook.templates) and a company's.

A `模板` folder beside the workbook holding files of the same names wins over ours, file by
file; `export(dir)` writes our defaults there to start from. Autoescape is on; a template
error (syntax, unknown key, bad filter) becomes a WorkbookError naming the file and line.
"""
from __future__ import annotations

import functools
import shutil
import traceback
from pathlib import Path

import jinja2

from ...domain.money import fen_of, money_text
from ...errors import WorkbookError
from .words import word

COMPANY_FOLDER = "模板"
LIST_LIMIT = 30          # rows of a list in the e-mail body; the attachments hold all
PDF_LIST_LIMIT = 100     # rows of a list in the PDF; the XLSX holds all


def default_dir() -> Path:
    """Our templates: salesbook/templates when installed, templates/ in a checkout."""
    pkg = Path(__file__).resolve().parents[2]
    for candidate in (pkg / "templates", pkg.parent / "templates"):
        if (candidate / "base.html").exists():
            return candidate
    raise FileNotFoundError(f"report templates not found beside {pkg}")


def template_names() -> list[str]:
    return sorted(p.name for p in default_dir().iterdir()
                  if p.is_file() and p.suffix in (".html", ".css") and not p.name.startswith("."))


def company_dir(book: Path) -> Path:
    return Path(book).resolve().parent / COMPANY_FOLDER


def export(target: Path, *, force: bool = False) -> list[Path]:
    """Copy our templates into `target` (created); existing files are kept unless force."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in template_names():
        dest = target / name
        if dest.exists() and not force:
            continue
        shutil.copyfile(default_dir() / name, dest)
        written.append(dest)
    return written


# --- filters -------------------------------------------------------------------

def money(value) -> str:
    """Yuan number → '12,345.60' ('—' for none)."""
    if value is None:
        return "—"
    return money_text(fen_of(value))


def pct(value, places: int = 1) -> str:
    """Fraction → '85.2%' ('—' for none)."""
    if value is None:
        return "—"
    text = f"{value * 100:.{places}f}"
    return text + "%"


def signed(value, kind: str = "int") -> str:
    """A change: '+3', '−2', '0'; money changes with two decimals."""
    if value is None:
        return "—"
    if kind == "money":
        body = money(abs(value))
    else:
        body = f"{abs(value):,.0f}" if float(value).is_integer() else f"{abs(value):,.1f}"
    if value > 0:
        return "+" + body
    if value < 0:
        return "−" + body
    return "0"


def num(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@functools.lru_cache(maxsize=16)
def environment(company: Path | None) -> jinja2.Environment:
    """One Environment per company folder (templates are compiled once per process)."""
    loaders = []
    if company is not None and company.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(company)))
    loaders.append(jinja2.FileSystemLoader(str(default_dir())))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters.update(money=money, pct=pct, signed=signed, num=num)
    env.globals.update(LIST_LIMIT=LIST_LIMIT, PDF_LIST_LIMIT=PDF_LIST_LIMIT)
    return env


def render(name: str, variables: dict, *, company: Path | None) -> str:
    env = environment(company)
    lang = variables.get("lang", "zh")
    try:
        template = env.get_template(name)
        return template.render(**variables, t=lambda zh: word(zh, lang))
    except jinja2.TemplateSyntaxError as exc:
        raise _error(exc.filename or name, exc.lineno, exc.message or str(exc)) from None
    except jinja2.TemplateNotFound as exc:
        raise WorkbookError(f"找不到报表模板「{exc.name}」: 请检查 {COMPANY_FOLDER} 文件夹里的文件名",
                            f"Report template '{exc.name}' not found: check the file names in {COMPANY_FOLDER}") from None
    except Exception as exc:  # an error raised while rendering: find the template frame
        filename, line = _template_frame(exc, name, env)
        raise _error(filename, line, f"{type(exc).__name__}: {exc}") from None


def _template_frame(exc: BaseException, name: str, env) -> tuple[str, int | None]:
    frames = traceback.extract_tb(exc.__traceback__)
    for fr in reversed(frames):
        if fr.filename.endswith((".html", ".css")):
            return fr.filename, fr.lineno
    try:
        return env.get_template(name).filename or name, None
    except Exception:
        return name, None


def _error(filename: str, line: int | None, why: str) -> WorkbookError:
    at = f"第 {line} 行" if line else ""
    at_en = f" line {line}" if line else ""
    return WorkbookError(
        f"报表模板「{filename}」{at}有错误: {why}。请改正模板(或删除它以使用默认模板)后重试。",
        f"Report template {filename}{at_en}: {why}. Fix the template (or delete it to use the default).")

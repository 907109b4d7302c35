"""One e-mail message from one rendered report, as the bytes that go on the wire.

Layout (what mail clients expect of a report with charts and files):

    multipart/mixed
      multipart/alternative
        text/plain                      the HTML's text (clients without HTML)
        multipart/related
          text/html                     the report's HTML, images as cid: references
          image/png …                   one inline part per chart
      application/pdf, …xlsx            the report's files, Chinese names kept

Built with the compat32 classes so the attachment headers are written exactly as set:
`name="=?utf-8?b?…?="` / `filename="=?utf-8?b?…?="` is what QQ Mail and Outlook show,
and `filename*=utf-8''…` (RFC 2231) is what standards-following clients read.
"""
from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
from dataclasses import dataclass
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from urllib.parse import quote, unquote

from .htmltext import html_to_text
from .manifest import Report

BODY_LIMIT = 100 * 1024          # Gmail clips HTML bodies past ~102 KB
ATTACHED = ("pdf", "xlsx")       # the report files that travel with the message
_SUBTYPE = {"pdf": "pdf", "xlsx": "vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
KIND_WORDS = {"daily": ("销售日报", "Sales daily"), "weekly": ("销售周报", "Sales weekly"),
              "monthly": ("销售月报", "Sales monthly"), "statement": ("工资条", "Pay statement")}
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.I | re.S)
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\r\n\t]+')


class ComposeError(Exception):
    """A report that cannot become a message (a file it names is missing); zh + en."""

    def __init__(self, zh: str, en: str):
        super().__init__(zh)
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class Body:
    """The recipient-independent part of a report's message (built once per report)."""

    html: str
    text: str
    images: tuple[tuple[str, str, bytes], ...]          # (cid, file name, bytes)
    attachments: tuple[tuple[str, str, bytes], ...]     # (fmt, display name, bytes)
    fingerprint: str                                    # sha256 of what the report says

    @property
    def html_size(self) -> int:
        return len(self.html.encode("utf-8"))


def subject(report: Report, scope_name: str, company: str, lang: str) -> str:
    """【销售周报】2026-W42 一组 · 公司名称"""
    zh, en = KIND_WORDS[report.kind]
    head = f"[{en}]" if lang == "en" else f"【{zh}】"
    text = f"{head}{' ' if lang == 'en' else ''}{report.period} {scope_name}".rstrip()
    return f"{text} · {company}" if company else text


def scope_name(report: Report, names: dict[str, str], lang: str) -> str:
    if report.scope == "department":
        return "Sales department" if lang == "en" else "销售部"
    if report.scope == "person" and report.key:
        return names.get(report.key, report.key)
    return report.key or ""


def body(report: Report, display_stem: str) -> Body:
    """Read the report's files: HTML with its images made cid: parts, the text, the files."""
    html_path = report.file("html")
    if html_path is None or not html_path.exists():
        raise ComposeError(f"报表「{report.title or report.identity}」的 HTML 文件不存在: {html_path}",
                           f"The HTML of report '{report.title or report.identity}' is missing: {html_path}")
    html = email_safe_html(html_path.read_text("utf-8"))
    html, images = _cid_images(html, html_path.parent, report)
    attachments = []
    for fmt in ATTACHED:
        path = report.file(fmt)
        if path is None:
            continue
        if not path.exists():
            raise ComposeError(f"报表「{report.title or report.identity}」的附件不存在: {path}",
                               f"An attachment of report '{report.title or report.identity}' is missing: {path}")
        attachments.append((fmt, f"{display_stem}.{fmt}", path.read_bytes()))
    return Body(html, html_to_text(html), tuple(images), tuple(attachments), _fingerprint(report, html))


def _fingerprint(report: Report, html: str) -> str:
    """What the report says: its context JSON (the data the templates saw), else its HTML.
    Not the PDF/XLSX bytes, which carry creation times and differ on every render."""
    path = report.file("json")
    data = path.read_bytes() if path is not None and path.exists() else html.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def email_safe_html(html: str) -> str:
    """No scripts; any <style> block inlined into style="" attributes (mail clients drop
    <style> or scope it unpredictably). The report step already delivers inlined HTML."""
    html = _SCRIPT.sub("", html)
    if re.search(r"<style\b", html, re.I):
        import css_inline

        html = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False).inline(html)
    return html


def _cid_images(html: str, base: Path, report: Report) -> tuple[str, list[tuple[str, str, bytes]]]:
    images: dict[str, tuple[str, str, bytes]] = {}

    def swap(m: re.Match) -> str:
        src = m.group(3).strip()
        low = src.lower()
        if low.startswith(("cid:", "http:", "https:")):
            return m.group(0)
        if low.startswith("data:"):
            name, data = _data_uri(src)
        else:
            path = (base / unquote(src)).resolve()
            if not path.is_file():
                raise ComposeError(
                    f"报表「{report.title or report.identity}」引用的图片不存在: {src}(在 {base} 里找)",
                    f"Report '{report.title or report.identity}' shows an image that is missing: {src}")
            name, data = path.name, path.read_bytes()
        if src not in images:
            cid = f"{hashlib.sha1(data).hexdigest()[:16]}.{len(images)}@salesbook"
            images[src] = (cid, name, data)
        return f"{m.group(1)}{m.group(2)}cid:{images[src][0]}{m.group(2)}"

    return _IMG_SRC.sub(swap, html), list(images.values())


def _data_uri(src: str) -> tuple[str, bytes]:
    head, _, payload = src.partition(",")
    ext = mimetypes.guess_extension(head[5:].split(";")[0]) or ".png"
    data = base64.b64decode(payload) if ";base64" in head else unquote(payload).encode("utf-8")
    return f"image{ext}", data


def display_stem(report: Report, subject_text: str) -> str:
    """Attachment names people recognise: the report's title (else the subject's core)."""
    stem = report.title or subject_text.split(" · ")[0]
    return _UNSAFE_NAME.sub(" ", stem).strip() or report.kind


def message(body: Body, *, subject_text: str, sender: str, sender_name: str, to: str, to_name: str,
            report: Report, now_ts: float | None = None) -> tuple[bytes, str]:
    """The whole message for one recipient, CRLF line ends; and its Message-ID."""
    related = MIMEMultipart("related", type="text/html")
    related.attach(MIMEText(body.html, "html", "utf-8"))
    for cid, name, data in body.images:
        maintype, subtype = (mimetypes.guess_type(name)[0] or "image/png").split("/")
        img = MIMEImage(data, _subtype=subtype)
        img["Content-ID"] = f"<{cid}>"
        img["Content-Disposition"] = f'inline; filename="{_ascii_name(name)}"'
        related.attach(img)
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText(body.text, "plain", "utf-8"))
    alternative.attach(related)
    root = MIMEMultipart("mixed")
    root.attach(alternative)
    for fmt, name, data in body.attachments:
        part = MIMEApplication(data, _subtype=_SUBTYPE[fmt])
        del part["Content-Type"]
        part["Content-Type"] = f'application/{_SUBTYPE[fmt]}; name="{_encoded_word(name)}"'
        part["Content-Disposition"] = (f'attachment; filename="{_encoded_word(name)}"; '
                                       f"filename*=utf-8''{quote(name, safe='')}")
        root.attach(part)
    message_id = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    if sender:   # an outbox draft without 发件人邮箱 gets its From from the account that sends it
        root["From"] = formataddr((sender_name, sender), charset="utf-8") if sender_name else sender
    root["To"] = formataddr((to_name, to), charset="utf-8") if to_name else to
    root["Subject"] = Header(subject_text, "utf-8")
    root["Date"] = formatdate(now_ts, localtime=True)
    root["Message-ID"] = message_id
    root["Auto-Submitted"] = "auto-generated"   # no out-of-office replies to the sender
    root["X-Salesbook-Report"] = quote(report.identity, safe="|-")
    data = root.as_bytes(policy=_WIRE)
    return data, message_id


def _encoded_word(name: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(name.encode("utf-8")).decode("ascii") + "?="


def _ascii_name(name: str) -> str:
    return name if name.isascii() else "image" + Path(name).suffix


def _wire_policy():
    from email import policy

    # compat32 writes headers as set (no refolding of the attachment names); CRLF on the wire
    return policy.compat32.clone(linesep="\r\n", max_line_length=78)


_WIRE = _wire_policy()

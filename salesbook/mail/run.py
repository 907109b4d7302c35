"""发送报表: plan the messages of a period, then send them exactly once.

`plan()` reads the workbook (参数 and 人员 only), finds or generates the period's reports,
routes them (audience.py), composes every message and checks it (guard.py), and looks each
one up in the send log; nothing leaves the machine. `send()` does the same under the
folder's lock and then delivers the due messages over one connection (or into an outbox).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import WorkbookError
from . import guard, manifest, sendlog
from .audience import Recipient, Staff, route
from .compose import BODY_LIMIT, Body, ComposeError, body as make_body, display_stem, message, scope_name, subject
from ..domain.calendar import Period
from .manifest import Report
from .transport import MailFailure, Outbox, Server, Smtp

KIND_ORDER = {k: i for i, k in enumerate(("statement", "daily", "weekly", "monthly"))}
SCOPE_ORDER = {"person": 0, "team": 1, "department": 2}
MAIL_SETTINGS = ("发件人邮箱", "SMTP服务器", "SMTP端口", "SMTP加密", "SMTP用户名", "报表抄送")
OUTBOX_DIR = "发件箱"

DUE, ALREADY, BLOCKED = "due", "already", "blocked"


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


@dataclass
class Letter:
    """One message to one address."""

    report: Report
    recipient: Recipient
    subject: str
    status: str                          # due / already / blocked
    body: Body | None = None
    data: bytes = b""
    message_id: str = ""
    previous: sendlog.Entry | None = None
    problem: tuple[str, str] | None = None   # why blocked (zh, en)

    @property
    def size(self) -> int:
        return len(self.data)

    def who(self) -> str:
        r = self.recipient
        return f"{r.name} <{r.address}>" if r.name else r.address


@dataclass
class Plan:
    book: Path
    period: Period
    kinds: tuple[str, ...]
    folder: Path
    settings: object
    letters: list[Letter] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)       # warnings for the summary
    failures: list[tuple[str, str]] = field(default_factory=list)    # reports that cannot go out
    setting_errors: list[tuple[str, str]] = field(default_factory=list)
    generated: tuple[str, ...] = ()
    foreign_log_lines: int = 0

    def due(self) -> list[Letter]:
        return [x for x in self.letters if x.status == DUE]


@dataclass
class Summary:
    lines: list[str]
    exit_code: int
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    outbox: Path | None = None


def choose_period(kind: str, date: dt.date | None, week: str | None, month: str | None,
                  today: dt.date) -> Period:
    return manifest.choose_period(date, week, month, kind, today)


def plan(book: Path, *, kind: str = "all", date: dt.date | None = None, week: str | None = None,
         month: str | None = None, out: Path | None = None, resend: bool = False, lang: str = "zh",
         today: dt.date | None = None) -> Plan:
    """Every message of the period, composed and checked; nothing is sent or written
    (except reports generated when missing)."""
    today = today or dt.date.today()
    book = Path(book)
    period = choose_period(kind, date, week, month, today)
    folder = manifest.report_folder(book, period, out)
    return _plan(book, period, manifest.kinds_of(period, kind), folder, resend, lang, today)


def _plan(book: Path, period: Period, kinds: tuple[str, ...], folder: Path, resend: bool, lang: str,
          today: dt.date) -> Plan:
    settings, staff, setting_errors = _read_book(book)
    reports, generated = manifest.load(book, period, kinds, folder, lang, today)
    p = Plan(book, period, kinds, folder, settings, setting_errors=setting_errors, generated=generated)
    history = sendlog.SendLog(folder).history()
    names = staff.names()
    for report in sorted(reports, key=lambda r: (KIND_ORDER.get(r.kind, 9), SCOPE_ORDER.get(r.scope, 9),
                                                 r.key or "")):
        if report.empty:
            p.notes.append((f"「{report.title or report.identity}」没有内容, 不发送",
                            f"'{report.title or report.identity}' has nothing in it; not sent"))
            continue
        routing = route(report, staff, settings.report_cc)
        p.notes += routing.unreachable
        p.failures += routing.refused
        if not routing.recipients:
            continue
        subj = subject(report, scope_name(report, names, lang), settings.company_name, lang)
        try:
            body = make_body(report, display_stem(report, subj))
        except ComposeError as exc:
            p.failures.append((exc.zh, exc.en))
            continue
        if body.html_size > BODY_LIMIT:
            p.notes.append((f"「{subj}」的正文有 {body.html_size // 1024} KB, 超过 100 KB, Gmail 等会截断显示(附件完整)",
                            f"The body of '{subj}' is {body.html_size // 1024} KB, over 100 KB: Gmail clips it"))
        for rcpt in routing.recipients:
            p.letters.append(_letter(report, rcpt, subj, body, settings, history, resend))
    p.foreign_log_lines = history.foreign_ignored()
    if "daily" in kinds:
        p.notes += _quiet_people(reports, staff, period)
    return p


def _letter(report: Report, rcpt: Recipient, subj: str, body: Body, settings, history, resend: bool) -> Letter:
    letter = Letter(report, rcpt, subj, DUE, body)
    if not (report.kind == "daily" and rcpt.own):
        found = _mobiles(body)
        if found:
            letter.status = BLOCKED
            shown = "、".join(sorted({guard.masked(n) for n in found}))
            letter.problem = (f"内容里有未打码的手机号({shown}), 为保护客户隐私没有发出。除本人日报外, 发出的报表必须打码"
                              f"(如 138****5678); 请重新生成报表, 仍有问题请联系负责 salesbook 的同事",
                              f"It contains unmasked mobile numbers ({shown}); not sent to protect customers' privacy")
            return letter
    letter.data, letter.message_id = message(
        body, subject_text=subj, sender=settings.sender_email,
        sender_name=settings.company_name, to=rcpt.address, to_name=rcpt.name, report=report)
    previous = history.find(report.identity, rcpt.address, body.fingerprint)
    if previous is not None and not resend:
        letter.status, letter.previous = ALREADY, previous
    return letter


def _mobiles(body: Body) -> list[str]:
    found = guard.mobiles_in_text(body.html) + guard.mobiles_in_text(body.text)
    for fmt, _, data in body.attachments:
        if fmt == "xlsx":
            found += guard.mobiles_in_xlsx(data)
    return found


def _quiet_people(reports: list[Report], staff: Staff, period: Period) -> list[tuple[str, str]]:
    """Active people without a daily report that day: they had no activity (said, not sent)."""
    with_report = {r.key for r in reports if r.kind == "daily"}
    quiet = [p for p in staff.active() if p.staff_id not in with_report]
    if not quiet:
        return []
    names = "、".join(p.name for p in quiet[:10]) + (" 等" if len(quiet) > 10 else "")
    return [(f"{len(quiet)} 位在职人员 {period.label} 没有日报(当天没有拜访、新客户、合同、回款或跟进计划), 不发送: {names}",
             f"{len(quiet)} active people have no daily report for {period.label} (no activity); nothing sent")]


def _read_book(book: Path):
    from ..reader import load
    from ..settings import read_settings

    if not book.exists():
        raise WorkbookError(f"找不到工作簿: {book}", f"Workbook not found: {book}")
    data = load(book, sheets=("settings", "staff"))
    settings, findings = read_settings(data.tables["settings"])
    table = data.tables["settings"]
    key_of_row = dict(zip(table["_row"].astype(int), table["key"]))
    errors = [(f"「参数」表第 {f.row} 行: {f.problem}。{f.suggestion}", f"Settings row {f.row}: {f.text('en')[0]}")
              for f in findings if f.level == "错误" and key_of_row.get(f.row) in MAIL_SETTINGS]
    return settings, Staff(data.tables["staff"]), errors


# --- sending -------------------------------------------------------------------

def send(book: Path, *, kind: str = "all", date: dt.date | None = None, week: str | None = None,
         month: str | None = None, out: Path | None = None, outbox: Path | None = None,
         resend: bool = False, lang: str = "zh", today: dt.date | None = None,
         progress: Callable[[int, int, str], None] | None = None, tls_context=None,
         timeout: float | None = None, lock_wait: float = 600.0) -> Summary:
    """Send the period's due messages; returns the summary (lines + exit code 0/1/2).
    `progress(i, n, text)` is called before each message (status bar, progress bar)."""
    today = today or dt.date.today()
    book = Path(book)
    period = choose_period(kind, date, week, month, today)
    folder = manifest.report_folder(book, period, out)
    waiting = lambda: progress and progress(0, 0, _t(lang, "另一个发送正在进行, 等待它结束…",
                                                      "Another send is running; waiting…"))
    with sendlog.Lock(folder, wait=lock_wait, on_wait=waiting):
        p = _plan(book, period, manifest.kinds_of(period, kind), folder, resend, lang, today)
        return _deliver(p, outbox, lang, progress, tls_context, timeout)


def _deliver(p: Plan, outbox: Path | None, lang: str, progress, tls_context, timeout) -> Summary:
    settings = p.settings
    use_outbox = outbox is not None or not settings.smtp_host
    due = p.due()
    if use_outbox:
        transport = Outbox(outbox or p.folder / OUTBOX_DIR)
    else:
        if p.setting_errors:
            zh = "; ".join(z for z, _ in p.setting_errors)
            en = "; ".join(e for _, e in p.setting_errors)
            raise WorkbookError(f"邮件设置有误, 没有发送: {zh}", f"The mail settings are invalid; nothing sent: {en}")
        server = Server.from_settings(settings)
        password = None
        if server.user and due:
            from .password import lookup, missing

            password = lookup(server.user, server.host)
            if password is None:
                raise missing(server.user, server.host)
        kwargs = {"tls_context": tls_context} | ({"timeout": timeout} if timeout else {})
        transport = Smtp(server, password, **kwargs)
    log = sendlog.SendLog(p.folder)
    sent, failed, fatal = [], [], None
    written: list[Path] = []
    if due:
        try:
            transport.open()
        except MailFailure as exc:
            fatal = exc
    if fatal is None:
        try:
            for i, letter in enumerate(due, 1):
                if progress:
                    progress(i, len(due), f"{letter.subject} → {letter.recipient.address}")
                try:
                    if isinstance(transport, Outbox):
                        # X-Unsent: Outlook opens the file as a draft, ready to send
                        written.append(transport.write(_eml_name(letter), b"X-Unsent: 1\r\n" + letter.data))
                        status = sendlog.OUTBOX
                    else:
                        transport.send(settings.sender_email, letter.recipient.address, letter.data)
                        status = sendlog.SENT
                except MailFailure as exc:
                    failed.append((letter, exc))
                    _record(log, _entry(letter, sendlog.FAILED, log, exc.zh))
                    if exc.fatal:
                        fatal = exc
                        failed += [(rest, exc) for rest in due[i:]]
                        break
                    continue
                _record(log, _entry(letter, status, log))
                sent.append(letter)
        finally:
            transport.close()
    else:
        failed = [(letter, fatal) for letter in due]
    return _summary(p, sent, failed, fatal, written, transport, lang)


def _record(log: sendlog.SendLog, line: sendlog.Entry) -> None:
    try:
        log.append(line)
    except OSError as exc:
        raise WorkbookError(
            f"写不进发送记录 {log.path}({exc.strerror or exc})。刚才给 {line.recipient} 的邮件"
            f"{'已经发出' if line.status == sendlog.SENT else '没有发出'}; 其余的没有发送。请检查磁盘空间和文件夹权限后再运行。",
            f"Cannot write the send log {log.path} ({exc}). The message to {line.recipient} "
            f"{'was sent' if line.status == sendlog.SENT else 'was not sent'}; the rest were not sent.") from None


def _entry(letter: Letter, status: str, log: sendlog.SendLog, detail: str = "") -> sendlog.Entry:
    return sendlog.entry(letter.report.identity, letter.recipient.address, status, letter.message_id,
                         log.here, letter.body.fingerprint if letter.body else "", detail)


def _eml_name(letter: Letter) -> str:
    stem = re.sub(r'[\\/:*?"<>|\s]+', " ", letter.subject).strip()
    return f"{stem} - {letter.recipient.address}.eml"


def _summary(p: Plan, sent, failed, fatal, written, transport, lang) -> Summary:
    skipped = [x for x in p.letters if x.status == ALREADY]
    blocked = [x for x in p.letters if x.status == BLOCKED]
    n_failed = len(failed) + len(blocked) + len(p.failures)
    lines = [_t(lang, f"发送报表 {p.period.label}({_kinds_text(p.kinds, lang)}), 报表目录 {p.folder}",
                f"Sending reports {p.period.label} ({_kinds_text(p.kinds, lang)}) from {p.folder}")]
    lines += _generated_lines(p, lang)
    outbox = transport.folder if isinstance(transport, Outbox) else None
    if outbox is not None:
        lines.append(_t(lang, f"已发送 0 封: {len(sent)} 封邮件保存为 .eml 文件到 {outbox}"
                              f"(没有真的发出{'; 没有设置 SMTP服务器' if not p.settings.smtp_host else ''}; "
                              f"可用 Outlook 或 Foxmail 打开), 已发送过跳过 {len(skipped)} 封, 失败 {n_failed} 封。",
                        f"Sent 0: {len(sent)} messages written as .eml files to {outbox} (not sent; open them in "
                        f"Outlook or Foxmail), skipped {len(skipped)} already sent, failed {n_failed}."))
        if not p.settings.sender_email:
            lines.append(_t(lang, "提醒: 「参数」表没有填写「发件人邮箱」, 这些邮件没有发件人; 打开后用自己的邮箱账户发送即可。",
                            "Note: no 发件人邮箱 in Settings, so the files have no sender; open and send them from "
                            "your own mail account."))
    else:
        lines.append(_t(lang, f"已发送 {len(sent)} 封, 已发送过跳过 {len(skipped)} 封(重发请加 --resend), 失败 {n_failed} 封。",
                        f"Sent {len(sent)}, skipped {len(skipped)} already sent (use --resend to send again), "
                        f"failed {n_failed}."))
    if fatal is not None:
        lines.append(_t(lang, f"错误: {fatal.zh}", f"Error: {fatal.en}"))
    for letter, exc in failed:
        if exc is not fatal:
            lines.append(_t(lang, f"失败: {letter.who()}「{letter.subject}」: {exc.zh}",
                            f"Failed: {letter.who()} '{letter.subject}': {exc.en}"))
    if fatal is not None and failed:
        lines.append(_t(lang, f"未发出 {len(failed)} 封(没有记为已发送, 问题解决后重新运行即可)。",
                        f"{len(failed)} messages not sent (not marked as sent; run again once fixed)."))
    for letter in blocked:
        lines.append(_t(lang, f"未发送: {letter.who()}「{letter.subject}」: {letter.problem[0]}",
                        f"Not sent: {letter.who()} '{letter.subject}': {letter.problem[1]}"))
    lines += [_t(lang, f"未发送: {zh}", f"Not sent: {en}") for zh, en in p.failures]
    lines += [_t(lang, f"提醒: {zh}", f"Note: {en}") for zh, en in _unique(p.notes)]
    if p.foreign_log_lines:
        lines.append(_t(lang, f"提醒: 发送记录里有 {p.foreign_log_lines} 条来自另一个文件夹、内容不同的记录, 不算本目录已发送。",
                        f"Note: {p.foreign_log_lines} log lines come from another folder with other content and "
                        f"were not counted as sent here."))
    if fatal is not None and not sent:
        code = 2
    elif n_failed:
        code = 1
    else:
        code = 0
    return Summary(lines, code, len(sent), len(skipped), n_failed, outbox)


def _generated_lines(p: Plan, lang: str) -> list[str]:
    if not p.generated:
        return []
    return [_t(lang, f"先生成了缺少的报表: {_kinds_text(p.generated, lang)}", f"Generated the missing reports first: "
               f"{_kinds_text(p.generated, lang)}")]


_KIND_TEXT = {"daily": ("日报", "daily"), "weekly": ("周报", "weekly"), "monthly": ("月报", "monthly"),
              "statement": ("工资条", "statements")}


def _kinds_text(kinds, lang: str) -> str:
    words = [_KIND_TEXT[k][lang == "en"] for k in kinds]
    return ", ".join(words) if lang == "en" else "、".join(words)


def _unique(items):
    return list(dict.fromkeys(items))


# --- the dry-run list ---------------------------------------------------------------

def plan_lines(p: Plan, lang: str = "zh", outbox: Path | None = None) -> list[str]:
    due, already = p.due(), [x for x in p.letters if x.status == ALREADY]
    blocked = [x for x in p.letters if x.status == BLOCKED]
    total = sum(x.size for x in due)
    if outbox is not None:
        where = _t(lang, f"发件箱 {outbox}(.eml 文件)", f"the outbox {outbox} (.eml files)")
    elif not p.settings.smtp_host:
        where = _t(lang, "发件箱(.eml 文件, 没有设置 SMTP服务器)", "an outbox (.eml files; no SMTP server set)")
    else:
        where = p.settings.smtp_host
    lines = [_t(lang, f"{p.period.label}({_kinds_text(p.kinds, lang)}): 将发送 {len(due)} 封邮件, 共 {_size(total)}, 经 {where}",
                f"{p.period.label} ({_kinds_text(p.kinds, lang)}): {len(due)} messages to send, {_size(total)} in all, "
                f"via {where}")]
    lines += _generated_lines(p, lang)
    for letter in due:
        lines.append(_letter_line(letter, lang))
    if already:
        lines.append(_t(lang, f"已发送过、不再发送 {len(already)} 封(重发请加 --resend):",
                        f"{len(already)} already sent, not sent again (use --resend):"))
        for letter in already:
            lines.append(f"  {letter.who()}  {letter.subject}  ({letter.previous.time})")
    for letter in blocked:
        lines.append(_t(lang, f"不会发送: {letter.who()}「{letter.subject}」: {letter.problem[0]}",
                        f"Will not send: {letter.who()} '{letter.subject}': {letter.problem[1]}"))
    lines += [_t(lang, f"不会发送: {zh}", f"Will not send: {en}") for zh, en in p.failures]
    lines += [_t(lang, f"设置有误: {zh}", f"Invalid setting: {en}") for zh, en in p.setting_errors]
    lines += [_t(lang, f"提醒: {zh}", f"Note: {en}") for zh, en in _unique(p.notes)]
    return lines


def _letter_line(letter: Letter, lang: str) -> str:
    files = ", ".join(f"{name} ({_size(len(data))})" for _, name, data in letter.body.attachments)
    none = _t(lang, "无", "none")
    return _t(lang, f"  {letter.who()}  {letter.subject}  附件: {files or none}  大小 {_size(letter.size)}",
              f"  {letter.who()}  {letter.subject}  attachments: {files or none}  size {_size(letter.size)}")


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"

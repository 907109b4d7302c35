"""Getting messages out: one SMTP connection for the whole batch, or an outbox folder.

Every failure becomes a `MailFailure` with a plain-Chinese (and English) message that
says what to check. `fatal` failures (cannot connect, TLS, login, the sender refused,
the connection lost twice) stop the batch; the others concern one message only.
"""
from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from ..errors import WorkbookError

TIMEOUT = 30.0       # seconds for connect and for each server answer
DEFAULT_PORT = {"SSL": 465, "STARTTLS": 587, "无": 25}
PROVIDER_HINT = ("QQ 邮箱、163/126 邮箱、企业微信邮箱(腾讯企业邮)等要用「授权码」登录, 不是网页登录密码: "
                 "在邮箱网页版「设置 → 账户」里开启 SMTP 服务并生成授权码。")
PROVIDER_HINT_EN = ("QQ Mail, 163/126 Mail and WeCom (Tencent Exmail) need an app authorisation code "
                    "(授权码), not the web login password: enable SMTP in the mailbox settings and create one.")

UNREACHABLE, TLS, AUTH, SENDER, RECIPIENT, TOO_LARGE, REJECTED, LOST = (
    "unreachable", "tls", "auth", "sender", "recipient", "too_large", "rejected", "lost")


class MailFailure(Exception):
    def __init__(self, kind: str, zh: str, en: str, fatal: bool):
        super().__init__(zh)
        self.kind, self.zh, self.en, self.fatal = kind, zh, en, fatal

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Server:
    """The SMTP settings of 参数, checked and completed (port from the encryption)."""

    host: str
    port: int
    security: str     # SSL / STARTTLS / 无
    user: str
    sender: str

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    @staticmethod
    def from_settings(settings) -> "Server":
        sender = settings.sender_email
        if not sender:
            raise WorkbookError(
                "「参数」表没有填写「发件人邮箱」, 无法发送。请填写发件邮箱(一般与 SMTP用户名 相同)。",
                "The Settings sheet has no 发件人邮箱 (sender address); fill it in (usually the SMTP user).")
        security = settings.smtp_security or ("SSL" if settings.smtp_port in (None, 465) else "STARTTLS")
        port = settings.smtp_port or DEFAULT_PORT[security]
        if (security, port) in (("SSL", 587), ("STARTTLS", 465)):
            right = 465 if security == "SSL" else 587
            raise WorkbookError(
                f"「参数」表的 SMTP加密「{security}」和 SMTP端口「{port}」不匹配: {security} 一般用端口 {right}"
                f"(465 = SSL, 587 = STARTTLS)。请改其中一个。",
                f"SMTP加密 {security} does not go with port {port}: {security} normally uses {right} "
                f"(465 = SSL, 587 = STARTTLS).")
        return Server(settings.smtp_host, int(port), security, settings.smtp_user or "", sender)


class Smtp:
    """One connection, opened once, reused for every message, reopened once if it drops."""

    def __init__(self, server: Server, password: str | None, *, timeout: float = TIMEOUT,
                 tls_context: ssl.SSLContext | None = None):
        self.server = server
        self.password = password
        self.timeout = timeout
        self.context = tls_context or ssl.create_default_context()
        self.conn: smtplib.SMTP | None = None
        self.max_size: int | None = None

    def open(self) -> None:
        s = self.server
        try:
            if s.security == "SSL":
                conn = smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout, context=self.context)
            else:
                conn = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
            conn.ehlo()
            if s.security == "STARTTLS":
                if not conn.has_extn("starttls"):
                    conn.close()
                    raise MailFailure(TLS, f"发信服务器 {s.where} 不支持 STARTTLS 加密。请把 SMTP加密 改成 SSL"
                                           f"(端口 465), 或询问邮箱管理员。",
                                      f"{s.where} does not offer STARTTLS; use SSL (port 465) or ask the mail admin.",
                                      True)
                conn.starttls(context=self.context)
                conn.ehlo()
            size = conn.esmtp_features.get("size", "")
            self.max_size = int(size) if size.isdigit() and int(size) > 0 else None
            if s.user:
                conn.login(s.user, self.password or "")
        except MailFailure:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise MailFailure(AUTH, f"发信服务器拒绝了登录(用户名「{s.user}」): {_said(exc)}。"
                                    f"请检查 SMTP用户名 和密码。{PROVIDER_HINT}"
                                    f"保存新的授权码: salesbook mail set-password, 或设置环境变量 SALESBOOK_SMTP_PASSWORD。",
                              f"The server refused the login of '{s.user}': {_said(exc)}. Check the user and "
                              f"password. {PROVIDER_HINT_EN}", True) from None
        except smtplib.SMTPNotSupportedError:
            raise MailFailure(AUTH, f"发信服务器 {s.where} 不接受登录(没有 AUTH)。如果必须登录, 请改用 SSL 或 "
                                    f"STARTTLS 加密; 如果是免登录的内部服务器, 请清空 SMTP用户名。",
                              f"{s.where} offers no login (AUTH). Use SSL/STARTTLS, or clear SMTP用户名 for a "
                              f"relay without login.", True) from None
        except (ssl.SSLError, ssl.CertificateError) as exc:
            raise MailFailure(TLS, f"与发信服务器 {s.where} 建立加密连接失败({exc.__class__.__name__}: "
                                   f"{getattr(exc, 'reason', None) or exc})。请检查 SMTP加密 与 SMTP端口 是否匹配"
                                   f"(SSL 用 465, STARTTLS 用 587), 以及服务器地址是否写对(证书要与地址一致)。",
                              f"The TLS handshake with {s.where} failed ({exc}). Check that SMTP加密 and the port "
                              f"match (SSL 465, STARTTLS 587) and that the host name is right.", True) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailFailure(UNREACHABLE, f"连接不上发信服务器 {s.where}({_os_reason(exc)})。请检查「参数」表的 "
                                           f"SMTP服务器、SMTP端口, 这台电脑能否上网, 以及防火墙是否放行这个端口。",
                              f"Cannot reach the mail server {s.where} ({_os_reason(exc, 'en')}). Check SMTP服务器 "
                              f"and SMTP端口, the network and the firewall.", True) from None
        self.conn = conn

    def send(self, sender: str, to: str, data: bytes) -> None:
        if self.max_size and len(data) > self.max_size:
            raise _too_large(len(data), self.max_size)
        try:
            self._send(sender, to, data)
        except smtplib.SMTPServerDisconnected:
            # servers close idle or long sessions; one reconnect, then give up on the batch
            self.close()
            self.open()
            try:
                self._send(sender, to, data)
            except smtplib.SMTPServerDisconnected as exc:
                raise _lost(self.server, exc) from None

    def _send(self, sender: str, to: str, data: bytes) -> None:
        try:
            self.conn.sendmail(sender, [to], data)
        except smtplib.SMTPRecipientsRefused as exc:
            code, said = next(iter(exc.recipients.values()))
            raise MailFailure(RECIPIENT, f"服务器拒收收件人 {to}({code} {_text(said)})。请检查「人员」表里这个邮箱是否写对。",
                              f"The server refused the recipient {to} ({code} {_text(said)}). Check the address.",
                              False) from None
        except smtplib.SMTPSenderRefused as exc:
            if exc.smtp_code == 552:
                raise _too_large(len(data), self.max_size, exc) from None
            raise MailFailure(SENDER, f"服务器不接受发件人 {sender}({exc.smtp_code} {_text(exc.smtp_error)})。"
                                      f"多数邮箱要求「发件人邮箱」与「SMTP用户名」是同一个邮箱。",
                              f"The server refused the sender {sender} ({exc.smtp_code} {_text(exc.smtp_error)}). "
                              f"Most providers require the sender to be the SMTP user.", True) from None
        except smtplib.SMTPDataError as exc:
            if exc.smtp_code in (552, 523) or b"size" in (exc.smtp_error or b"").lower():
                raise _too_large(len(data), self.max_size, exc) from None
            raise MailFailure(REJECTED, f"服务器拒收了这封邮件({exc.smtp_code} {_text(exc.smtp_error)})。"
                                        f"{'服务器暂时繁忙或达到发送频率上限, 请稍后重新发送(只会补发未发出的)。' if 400 <= exc.smtp_code < 500 else ''}",
                              f"The server rejected the message ({exc.smtp_code} {_text(exc.smtp_error)}).",
                              False) from None
        except (OSError, smtplib.SMTPResponseException) as exc:
            if isinstance(exc, smtplib.SMTPServerDisconnected):
                raise
            raise _lost(self.server, exc) from None

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (OSError, smtplib.SMTPException):
                self.conn.close()
            self.conn = None


class Outbox:
    """No server (or --outbox): each message becomes an .eml file that Outlook/Foxmail open."""

    def __init__(self, folder: Path):
        self.folder = folder

    def open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)

    def write(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        tmp = path.with_suffix(".eml.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        return path

    def close(self) -> None:
        pass


def _too_large(size: int, limit: int | None, exc=None) -> MailFailure:
    lim = f", 服务器上限 {limit / 1e6:.1f} MB" if limit else ""
    lim_en = f", the server accepts {limit / 1e6:.1f} MB" if limit else ""
    said = f"({exc.smtp_code} {_text(exc.smtp_error)})" if exc is not None else ""
    return MailFailure(TOO_LARGE, f"邮件太大({size / 1e6:.1f} MB{lim}){said}, 没有发出。请减少报表里的图表或明细, 或只发 PDF。",
                       f"The message is too large ({size / 1e6:.1f} MB{lim_en}){said}; not sent.", False)


def _lost(server: Server, exc) -> MailFailure:
    return MailFailure(LOST, f"与发信服务器 {server.where} 的连接中断({_os_reason(exc)}), 剩下的邮件没有发出。"
                             f"稍后重新运行发送即可, 已发出的不会重发。",
                       f"The connection to {server.where} was lost ({_os_reason(exc, 'en')}); the remaining "
                       f"messages were not sent. Run send again later: what went out is not sent twice.", True)


def _said(exc: smtplib.SMTPResponseException) -> str:
    return f"{exc.smtp_code} {_text(exc.smtp_error)}"


def _text(said) -> str:
    return said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)


def _os_reason(exc: BaseException, lang: str = "zh") -> str:
    if isinstance(exc, socket.timeout) or isinstance(exc, TimeoutError):
        return f"等待 {TIMEOUT:.0f} 秒没有响应" if lang != "en" else f"no answer within {TIMEOUT:.0f} s"
    if isinstance(exc, ConnectionRefusedError):
        return "对方拒绝连接, 端口上没有邮件服务" if lang != "en" else "connection refused: nothing listens on that port"
    if isinstance(exc, socket.gaierror):
        return "找不到这个服务器地址" if lang != "en" else "the host name does not resolve"
    return f"{exc.__class__.__name__}: {exc}"

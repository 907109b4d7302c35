"""The SMTP password (授权码): never in the workbook or a file of ours.

Looked up in the environment variable SALESBOOK_SMTP_PASSWORD first, then in the OS
keyring (Windows Credential Manager, macOS Keychain, Secret Service on a Linux desktop)
under the service name below and the account "user@host". A machine without a keyring
(a headless Linux server) gets the "fail" backend, which raises on every call: the
messages then say to use the variable.
"""
from __future__ import annotations

import os

from ..errors import WorkbookError

ENV = "SALESBOOK_SMTP_PASSWORD"
SERVICE = "salesbook-smtp"


def account(user: str, host: str) -> str:
    return f"{user}@{host}"


def lookup(user: str, host: str) -> str | None:
    """The password for this login, or None when it is nowhere."""
    value = os.environ.get(ENV)
    if value:
        return _checked(value)
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            value = keyring.get_password(SERVICE, account(user, host))
        except KeyringError:
            return None
    except ImportError:
        return None
    return _checked(value) if value else None


def store(user: str, host: str, password: str) -> str:
    """Save into the OS keyring; returns the keyring's name. WorkbookError when there is none."""
    _checked(password)
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, account(user, host), password)
    except KeyringError as exc:
        raise WorkbookError(
            f"这台电脑没有可用的密码库(系统钥匙串), 无法保存密码({exc.__class__.__name__})。"
            f"请改用环境变量: 把授权码放进 {ENV}, 例如 Linux/macOS: export {ENV}='授权码'; "
            f"Windows: setx {ENV} 授权码。",
            f"This computer has no usable keyring ({exc.__class__.__name__}). Put the password in the "
            f"environment variable {ENV} instead.")
    return type(keyring.get_keyring()).__name__


def missing(user: str, host: str) -> WorkbookError:
    return WorkbookError(
        f"没有找到 SMTP 用户「{user}」({host})的密码。请运行 salesbook mail set-password 保存授权码, "
        f"或设置环境变量 {ENV}。密码不会保存在工作簿里。",
        f"No password for SMTP user '{user}' ({host}). Run `salesbook mail set-password` or set {ENV}. "
        f"The password is never stored in the workbook.")


def _checked(value: str) -> str:
    if not value.isascii():
        raise WorkbookError(
            "SMTP 密码里有中文或全角字符, 邮件服务器不接受。授权码只含字母和数字, 请重新复制(注意输入法的全角状态)。",
            "The SMTP password contains non-ASCII characters, which SMTP login cannot carry. Copy it again.")
    return value

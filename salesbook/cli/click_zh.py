"""click's own texts (help headings, usage errors) in Chinese, for a Chinese run.

click looks its messages up with gettext (`_` and `ngettext` in its modules); a Chinese
run points those at this table. A message missing here stays English: the test that
runs every usage error of our commands in Chinese catches that.
"""
from __future__ import annotations

SINGULAR = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "Aborted!": "已取消。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数: {param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Missing command.": "缺少命令。",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不需要值。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不对: {message}",
    "Invalid value: {message}": "值不对: {message}",
    "Error: {message}": "错误: {message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "default: {default}": "默认: {default}",
    "Choose from:\n\t{choices}": "可选:\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "integer": "整数",
    "float": "数字",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
}
PLURAL = {
    "Got unexpected extra argument ({args})": "多余的参数 ({args})",
    "Got unexpected extra arguments ({args})": "多余的参数 ({args})",
    "Did you mean {possibility}?": "是不是 {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(是不是其中之一: {possibilities}?)",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
}


def _gettext(message: str) -> str:
    return SINGULAR.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    text = singular if n == 1 else plural
    return PLURAL.get(text, SINGULAR.get(text, text))


def use(lang: str) -> None:
    """Point click's message lookups at Chinese (lang "zh") or back at gettext's own."""
    import gettext

    from click import core, decorators, exceptions, formatting, parser, termui, types

    chinese = lang != "en"
    for module in (core, decorators, exceptions, formatting, parser, termui, types):
        if hasattr(module, "_"):
            module._ = _gettext if chinese else gettext.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext if chinese else gettext.ngettext

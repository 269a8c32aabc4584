"""Indicator expressions: arithmetic over named sources, parsed (never evaluated by ``eval``).

Grammar: numbers, source names written as ``app.name``, ``+ - * /``, unary minus and parentheses.
``validate`` reports every problem at once in the user's language: syntax, unknown sources, anything
else than arithmetic, and a division by a literal zero. ``evaluate`` computes with the values given;
a division by zero at run time gives ``None`` (no data for that period), never an error.
"""

import ast
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_LENGTH = 300
_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)


class ExpressionError(ValueError):
    def __init__(self, messages: list[str]):
        super().__init__("；".join(messages))
        self.messages = messages


def _name_of(node) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def parse(text: str) -> ast.AST:
    text = (text or "").strip()
    if not text:
        raise ExpressionError([_("表达式不能为空。")])
    if len(text) > MAX_LENGTH:
        raise ExpressionError([_("表达式过长（最多 %(n)d 个字符）。") % {"n": MAX_LENGTH}])
    try:
        return ast.parse(text, mode="eval").body
    except SyntaxError:
        raise ExpressionError(
            [_("表达式“%(text)s”的写法有误：只能使用数据源名称、数字、+ - * / 和括号。") % {"text": text}]
        ) from None


def sources_in(node) -> set[str]:
    found = set()
    for child in ast.walk(node):
        if isinstance(child, (ast.Attribute, ast.Name)):
            name = _name_of(child)
            if name and "." in name:
                found.add(name)
    return found


def validate(text: str, known: set[str]) -> set[str]:
    """The sources ``text`` uses; ``ExpressionError`` listing every problem otherwise."""
    node = parse(text)
    problems = []

    def walk(n):
        if isinstance(n, ast.BinOp) and isinstance(n.op, _OPS):
            if isinstance(n.op, ast.Div) and isinstance(n.right, ast.Constant) and n.right.value == 0:
                problems.append(_("表达式除以 0。"))
            walk(n.left)
            walk(n.right)
        elif isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
            walk(n.operand)
        elif isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and not isinstance(n.value, bool):
            pass
        elif isinstance(n, (ast.Attribute, ast.Name)):
            name = _name_of(n)
            if not name or "." not in name:
                problems.append(
                    _("“%(name)s”不是数据源名称（应写作 应用.名称，如 desk.tickets_closed）。") % {"name": name or "?"}
                )
            elif name not in known:
                problems.append(_("未知的数据源“%(name)s”。") % {"name": name})
        else:
            problems.append(_("表达式中只能使用数据源名称、数字、+ - * / 和括号。"))

    walk(node)
    if problems:
        raise ExpressionError(list(dict.fromkeys(problems)))
    return sources_in(node)


def evaluate(text: str, values: dict[str, int | float | Decimal]) -> Decimal | None:
    """The value of ``text`` with ``values`` for its sources; None when it divides by zero."""

    def ev(n) -> Decimal | None:
        if isinstance(n, ast.BinOp):
            left, right = ev(n.left), ev(n.right)
            if left is None or right is None:
                return None
            if isinstance(n.op, ast.Add):
                return left + right
            if isinstance(n.op, ast.Sub):
                return left - right
            if isinstance(n.op, ast.Mult):
                return left * right
            if right == 0:
                return None
            return left / right
        if isinstance(n, ast.UnaryOp):
            value = ev(n.operand)
            return None if value is None else (-value if isinstance(n.op, ast.USub) else value)
        if isinstance(n, ast.Constant):
            return Decimal(str(n.value))
        name = _name_of(n)
        try:
            return Decimal(str(values[name]))
        except (KeyError, InvalidOperation):
            raise ExpressionError([_("缺少数据源“%(name)s”的取值。") % {"name": name}]) from None

    return ev(parse(text))

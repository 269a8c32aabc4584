"""Validators for the identifiers the platform reads: resident ID (GB 11643-1999), unified
social credit code (GB 32100-2015) and mainland mobile numbers.

Each returns the normalised value or raises ``ValidationError`` with a Chinese message naming
what is wrong. Unknown or abolished area codes are accepted on purpose: real cards keep them.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUES = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 11714 organisation code (positions 9–17): weights and alphabet of its own.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_SEPARATORS = re.compile(r"[\s\-－—_]+")


def _normalise(value) -> str:
    """Trim, fold full-width characters (ＡＢＣ１２３ → ABC123) and upper-case."""
    return unicodedata.normalize("NFKC", str(value or "")).strip().upper()


def id_number_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def validate_id_number(value) -> str:
    """Validate a resident ID number (also 港澳台 residence permits and the 2023 foreign permanent ID)."""
    raw = _normalise(value)
    v = _SEPARATORS.sub("", raw)
    if not v:
        raise ValidationError(_("身份证号码不能为空。"), code="empty")
    if len(v) == 15 and v.isdigit():
        raise ValidationError(_("15 位身份证号码已停止使用，请填写 18 位号码。"), code="obsolete")
    if len(v) != 18:
        raise ValidationError(_("身份证号码应为 18 位，当前为 %(n)d 位。") % {"n": len(v)}, code="length")
    if not v[:17].isdigit():
        bad = next(ch for ch in v[:17] if not ch.isdigit())
        raise ValidationError(_("身份证号码前 17 位只能是数字，出现了“%(ch)s”。") % {"ch": bad}, code="character")
    if not (v[17].isdigit() or v[17] == "X"):
        raise ValidationError(_("身份证号码最后一位只能是数字或 X，出现了“%(ch)s”。") % {"ch": v[17]}, code="character")
    birth = birth_date_from_id(v)
    if birth is None:
        raise ValidationError(_("身份证号码中的出生日期 %(d)s 不是有效日期。") % {"d": v[6:14]}, code="date")
    if birth.year < 1800 or birth > datetime.date.today():
        raise ValidationError(_("身份证号码中的出生日期 %(d)s 不合理。") % {"d": birth.isoformat()}, code="date")
    expected = id_number_check_char(v[:17])
    if v[17] != expected:
        raise ValidationError(
            _("身份证号码校验位错误：最后一位应为 %(e)s，填写的是 %(g)s，请核对号码。") % {"e": expected, "g": v[17]},
            code="check",
        )
    return v


def birth_date_from_id(value: str) -> datetime.date | None:
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def gender_from_id(value: str) -> str:
    """``"M"`` or ``"F"``: the 17th digit is odd for men, even for women."""
    return "M" if int(value[16]) % 2 else "F"


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_VALUES[ch] * w for ch, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def organisation_code_is_valid(code9: str) -> bool:
    """GB 11714 check of positions 9–17. A failure is a warning only (old codes exist)."""
    try:
        total = sum(ORG_ALPHABET.index(ch) * w for ch, w in zip(code9[:8], ORG_WEIGHTS))
    except ValueError:
        return False
    check = 11 - total % 11
    expected = {10: "X", 11: "0"}.get(check, str(check))
    return code9[8] == expected


def validate_uscc(value) -> str:
    """Validate a unified social credit code; returns it trimmed and upper-cased."""
    v = _SEPARATORS.sub("", _normalise(value))
    if not v:
        raise ValidationError(_("统一社会信用代码不能为空。"), code="empty")
    if len(v) != 18:
        raise ValidationError(_("统一社会信用代码应为 18 位，当前为 %(n)d 位。") % {"n": len(v)}, code="length")
    bad = [ch for ch in v if ch not in USCC_VALUES]
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符“%(ch)s”（不使用 I、O、S、V、Z）。") % {"ch": bad[0]}, code="character"
        )
    if not v[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第 3–8 位应为行政区划代码（数字）。"), code="area")
    expected = uscc_check_char(v[:17])
    if v[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：最后一位应为 %(e)s，填写的是 %(g)s，请核对代码。")
            % {"e": expected, "g": v[17]},
            code="check",
        )
    return v


_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def validate_mobile(value) -> str:
    v = _SEPARATORS.sub("", _normalise(value)).replace("(", "").replace(")", "")
    if v.startswith("+86"):
        v = v[3:]
    elif v.startswith("0086"):
        v = v[4:]
    elif v.startswith("86") and len(v) == 13:
        v = v[2:]
    if not v:
        raise ValidationError(_("手机号码不能为空。"), code="empty")
    if not _MOBILE.match(v):
        raise ValidationError(_("手机号码格式不正确：应为 1 开头、第二位 3–9 的 11 位数字。"), code="format")
    return v


def compose_id_number(area: str, birth: datetime.date, sequence: int) -> str:
    """A valid ID number from its parts (demo data and tests): sequence 0–999, odd for men."""
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_number_check_char(first17)


def compose_uscc(authority_type: str, area: str, organisation_number: int) -> str:
    """A valid USCC from its parts, e.g. ``compose_uscc("91", "310115", 123)``.

    Positions 9–17 get a GB 11714-valid organisation code built from ``organisation_number``.
    """
    digits = f"{organisation_number % 10**8:08d}"
    total = sum(ORG_ALPHABET.index(ch) * w for ch, w in zip(digits, ORG_WEIGHTS))
    check = 11 - total % 11
    org = digits + {10: "X", 11: "0"}.get(check, str(check))
    first17 = f"{authority_type}{area}{org}"
    return first17 + uscc_check_char(first17)

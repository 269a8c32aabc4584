"""GB/T 4754-2017 sections (门类) and their division (大类) ranges, keyed in from the standard."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

SECTIONS = {
    "A": (_("农、林、牧、渔业"), range(1, 6)),
    "B": (_("采矿业"), range(6, 13)),
    "C": (_("制造业"), range(13, 44)),
    "D": (_("电力、热力、燃气及水生产和供应业"), range(44, 47)),
    "E": (_("建筑业"), range(47, 51)),
    "F": (_("批发和零售业"), range(51, 53)),
    "G": (_("交通运输、仓储和邮政业"), range(53, 61)),
    "H": (_("住宿和餐饮业"), range(61, 63)),
    "I": (_("信息传输、软件和信息技术服务业"), range(63, 66)),
    "J": (_("金融业"), range(66, 70)),
    "K": (_("房地产业"), range(70, 71)),
    "L": (_("租赁和商务服务业"), range(71, 73)),
    "M": (_("科学研究和技术服务业"), range(73, 76)),
    "N": (_("水利、环境和公共设施管理业"), range(76, 80)),
    "O": (_("居民服务、修理和其他服务业"), range(80, 83)),
    "P": (_("教育"), range(83, 84)),
    "Q": (_("卫生和社会工作"), range(84, 86)),
    "R": (_("文化、体育和娱乐业"), range(86, 91)),
    "S": (_("公共管理、社会保障和社会组织"), range(91, 97)),
    "T": (_("国际组织"), range(97, 98)),
}

SECTION_CHOICES = [(code, format_lazy("{} {}", code, label)) for code, (label, _r) in SECTIONS.items()]
DIVISION_CHOICES = [(f"{d:02d}", f"{d:02d}") for _c, (_l, r) in SECTIONS.items() for d in r]


# 小类 (4-digit classes) the platform can name. The standard has ~1,380; no freely licensed table
# was found, so any 4-digit code under a known division is accepted and these few are named.
CLASS_NAMES = {
    "5292": _("互联网零售"),
    "6210": _("正餐服务"),
    "6513": _("应用软件开发"),
}


def class_label(code: str) -> str:
    name = CLASS_NAMES.get(code)
    return f"{code} {name}" if name else code


def is_industry_class(code: str) -> bool:
    """A 4-digit GB/T 4754-2017 class under one of the standard's divisions."""
    return len(code) == 4 and code.isdigit() and section_of_division(code[:2]) is not None


def is_industry_code(code: str) -> bool:
    """A code at any level: a section letter, or a division, group or class (2 to 4 digits)."""
    if len(code) == 1:
        return code in SECTIONS
    return 2 <= len(code) <= 4 and code.isdigit() and section_of_division(code[:2]) is not None


def industry_code_label(code: str) -> str:
    if code in SECTIONS:
        return f"{code} {SECTIONS[code][0]}"
    return class_label(code)


def section_of_division(division: str) -> str | None:
    try:
        number = int(division)
    except (TypeError, ValueError):
        return None
    return next((code for code, (_l, r) in SECTIONS.items() if number in r), None)

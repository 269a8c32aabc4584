"""The ``chuangfu`` console command: every Django management command plus ours."""
import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangfu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["chuangfu", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()

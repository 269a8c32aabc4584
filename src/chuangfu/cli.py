"""The ``chuangfu`` console command: every Django management command plus ours."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangfu.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    # Our commands are documented with dashes (demo-logins, import-registry); modules use underscores.
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["chuangfu", *args])


if __name__ == "__main__":
    main()

"""No ID number or mobile in plain text at rest: the whole platform, run as ``make demo`` runs it.

In a fresh data directory this loads the demo data with the same commands ``make demo`` uses,
serves the site with ``chuangfu serve`` (gunicorn with its access log, and the queue worker),
and then does what puts identifiers into a system: a desk officer imports a people file (dry
run, then the real import, with its report), searches the registry by ID number and has the
intake form look a mobile up; a resident registers with an SMS code (read from the development
SMS backend's log, as a developer would). Then ``chuangfu backup``.

Every file under the data directory, every member of every archive in it (a .tar.gz is opened,
not read as bytes: its headers hold octal numbers that look like digits), and everything the
site and worker wrote to their logs is then searched for every ID number and mobile the
platform holds — the ones typed in here and every one in the registry and in the accounts, read
back through the data key. None may be found.
"""

import gzip
import io
import os
import re
import signal
import socket
import subprocess
import sys
import tarfile
import time
from datetime import date
from pathlib import Path

import pytest
import requests
from openpyxl import Workbook

from chuangfu.core.identifiers import compose_id_number

pytestmark = pytest.mark.slow

CHUANGFU = str(Path(sys.executable).with_name("chuangfu"))
PASSWORD = "Chuangfu2026"  # the demo password (chuangfu demo-logins)
SEED_COMMANDS = [
    ["migrate", "--no-input"],
    ["seed", "--scale", "20", "--if-empty"],
    ["seed-policies", "--match"],
    ["seed-subsidies"],
    ["seed-activities"],
    ["seed-governance"],
    ["seed-ecosystem"],
    ["seed-portal"],
    ["seed-indicators"],
]
IMPORTED = [
    # name, ID number, mobile: people no seed makes (the seed's region codes and mobiles differ)
    ("陆明远", compose_id_number("310115", date(1996, 3, 14), 731), "13917350841"),
    ("沈佳怡", compose_id_number("310115", date(2001, 11, 2), 522), "18621460937"),
    ("顾建国", compose_id_number("310115", date(1979, 7, 23), 415), "15800731266"),
]
REGISTERED_MOBILE = "17717350926"
DUMP_IDENTIFIERS = """
from chuangfu.core.models import User
from chuangfu.registry.models import Person
for p in Person.objects.all():
    print(p.id_number or "", p.mobile or "")
for u in User.objects.exclude(mobile=""):
    print("", u.mobile or "")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def platform(tmp_path):
    """A fresh data directory with the demo loaded, and an environment pointing at it."""
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CHUANGFU_DATA_KEY")}
    env.update(
        CHUANGFU_VAR_DIR=str(var),
        CHUANGFU_SMS_BACKEND="chuangfu.core.notifications.sms.LogSmsBackend",
        DEBUG="0",
        LOG_LEVEL="INFO",
    )
    logs = tmp_path / "logs"
    logs.mkdir()
    with open(logs / "seed.log", "wb") as log:
        for command in SEED_COMMANDS:
            subprocess.run([CHUANGFU, *command], env=env, check=True, stdout=log, stderr=log, timeout=900)
    return var, logs, env


class Site:
    def __init__(self, env: dict, log: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self._log = open(log, "wb")  # noqa: SIM115 — open for the site's whole life, closed in stop()
        self.process = subprocess.Popen(
            [CHUANGFU, "serve", "--port", str(self.port), "--workers", "1"],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/healthz", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.3)
        self.stop()
        raise AssertionError(f"the site did not start:\n{log.read_text(errors='replace')[-3000:]}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()

    def session(self, username: str | None = None) -> requests.Session:
        s = requests.Session()
        s.headers["Referer"] = self.base + "/"
        if username:
            page = s.get(f"{self.base}/accounts/login/")
            response = s.post(
                f"{self.base}/accounts/login/",
                data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(page.text)},
            )
            assert response.ok and "/accounts/login/" not in response.url, response.text[-2000:]
        return s

    def post(self, s: requests.Session, path: str, data: dict, **kwargs) -> requests.Response:
        """A form post as the browser sends it: the CSRF token from the session's cookie."""
        if "csrftoken" not in s.cookies:
            s.get(self.base + path)
        return s.post(self.base + path, data={**data, "csrfmiddlewaretoken": s.cookies["csrftoken"]}, **kwargs)

    def wait_for(self, s: requests.Session, path: str, timeout=120) -> requests.Response:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            response = s.get(self.base + path)
            if response.status_code == 200 and response.url.endswith(path):  # not sent back to the progress page
                return response
            time.sleep(0.5)
        raise AssertionError(f"{path} never became available:\n{self.log_path.read_text(errors='replace')[-3000:]}")


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _people_workbook() -> bytes:
    wb = Workbook()
    wb.active.append(["姓名", "身份证号码", "性别", "手机号码", "户籍", "居住地址", "学历"])
    for name, id_number, mobile in IMPORTED:
        wb.active.append([name, id_number, "男", mobile, "本市户籍", "浦东新区唐镇唐安路8号", "大学本科"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _import_people(site: Site, desk: requests.Session) -> None:
    page = desk.get(f"{site.base}/registry/import/")
    town = re.search(r'<select name="town"[^>]*>\s*<option value="(\d+)"', page.text)
    assert town, page.text[-2000:]
    upload = desk.post(
        f"{site.base}/registry/import/",
        data={"kind": "person", "town": town.group(1), "csrfmiddlewaretoken": _csrf(page.text)},
        files={"file": ("人员名录.xlsx", _people_workbook())},
        allow_redirects=False,
    )
    assert upload.status_code == 302, upload.text[-2000:]
    checked = upload.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    preview = site.wait_for(desk, f"/registry/import/{checked}/preview/")
    assert "import_confirm" in preview.text or f"/registry/import/{checked}/confirm/" in preview.text
    confirm = desk.post(
        f"{site.base}/registry/import/{checked}/confirm/",
        data={"csrfmiddlewaretoken": _csrf(preview.text)},
        allow_redirects=False,
    )
    assert confirm.status_code == 302, confirm.text[-2000:]
    applied = confirm.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    report = site.wait_for(desk, f"/registry/import/{applied}/report/")
    assert report.content[:2] == b"PK"  # the report workbook, downloaded once as a user would


def _look_identifiers_up(site: Site, desk: requests.Session) -> None:
    name, id_number, mobile = IMPORTED[0]
    found = site.post(desk, "/registry/persons/", {"_search": "1", "q": id_number})
    assert found.ok and name in found.text, found.text[-2000:]
    assert id_number not in found.url
    suggestion = site.post(desk, "/desk/new/suggest/", {"requester_mobile": mobile, "id_number": id_number})
    assert suggestion.ok and name in suggestion.text, suggestion.text[-2000:]


def _register_by_sms(site: Site) -> None:
    resident = site.session()
    sent = site.post(resident, "/accounts/register/", {"mobile": REGISTERED_MOBILE})
    assert sent.ok and "/register/verify/" in sent.url, sent.text[-2000:]
    deadline = time.monotonic() + 60
    code = None
    while code is None and time.monotonic() < deadline:
        found = re.findall(r"SMS to 177\*+0926: \D*(\d{6})", site.log_path.read_text(errors="replace"))
        code = found[-1] if found else time.sleep(0.5)
    assert code, "the worker never sent the verification code"
    verified = site.post(resident, "/accounts/register/verify/", {"code": code})
    assert "/register/finish/" in verified.url, verified.text[-2000:]
    finished = site.post(
        resident,
        "/accounts/register/finish/",
        {"display_name": "唐小创", "password1": "Tang-zhen-2026!", "password2": "Tang-zhen-2026!"},
    )
    assert finished.ok and "/accounts/register/" not in finished.url, finished.text[-2000:]


def _identifiers(env: dict) -> set[str]:
    out = subprocess.run(
        [CHUANGFU, "shell", "-c", DUMP_IDENTIFIERS], env=env, check=True, capture_output=True, text=True
    ).stdout
    found = {value for value in out.split() if re.fullmatch(r"1\d{10}|\d{17}[\dX]", value)}
    return found | {REGISTERED_MOBILE} | {i for _, id_number, mobile in IMPORTED for i in (id_number, mobile)}


def _contents(root: Path):
    """(name, bytes) of every file under ``root``, archives opened (members of a .tar.gz, a .gz)."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = str(path.relative_to(root))
        if path.name.endswith((".tar.gz", ".tgz", ".tar")):
            with tarfile.open(path) as archive:
                for member in archive.getmembers():
                    if member.isfile():
                        yield f"{name}:{member.name}", archive.extractfile(member).read()
        elif path.suffix == ".gz":
            yield name, gzip.decompress(path.read_bytes())
        else:
            yield name, path.read_bytes()


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the test runs its own platform on SQLite under a data directory; once per CI run is enough",
)
def test_no_id_number_or_mobile_is_stored_or_logged_in_plain_text(platform, tmp_path):
    var, logs, env = platform
    site = Site(env, logs / "serve.log")
    try:
        desk = site.session("tz_desk")
        _import_people(site, desk)
        _look_identifiers_up(site, desk)
        _register_by_sms(site)
    finally:
        site.stop()
    with open(logs / "backup.log", "wb") as log:
        subprocess.run([CHUANGFU, "backup"], env=env, check=True, stdout=log, stderr=log, timeout=300)
    assert list((var / "backups").glob("*.tar.gz")), "the backup wrote no archive"

    identifiers = _identifiers(env)
    assert {i for _, id_number, mobile in IMPORTED for i in (id_number, mobile)} <= identifiers, (
        "the import did not reach the registry"
    )
    assert len([i for i in identifiers if len(i) == 18]) > 20, "the seed's people are missing from the scan"
    pattern = re.compile(b"|".join(re.escape(i.encode()) for i in sorted(identifiers)))
    leaks = []
    scanned = 0
    for root in (var, logs):
        for name, data in _contents(root):
            scanned += 1
            for match in pattern.finditer(data):
                start = max(match.start() - 60, 0)
                leaks.append(f"{root.name}/{name}: …{data[start : match.end() + 20]!r}")
    assert scanned > 10
    assert not leaks, "identifiers in plain text:\n" + "\n".join(leaks[:40])

"""The common shape of an app and the bound on a module's length (docs/architecture.md, "Inside an
app"; decision 35), held against the file tree so the shape stays when code is added.

Every domain app has the activities app's inner shape: ``models/``, ``services/``, selectors
(``selectors.py``, or a ``selectors/`` package once it outgrows one module), ``views/``,
``urls.py``, ``forms.py``, ``api.py``, ``access.py``, ``templates/<app>/`` and ``tests/<app>/``.
No module under ``src/`` is longer than 600 lines.
"""

from pathlib import Path

from django.conf import settings

import chuangfu

SRC = Path(chuangfu.__file__).parent
TESTS = Path(__file__).resolve().parents[1]

# ``core`` is the floor every app stands on (accounts, scoping, audit, workflow, jobs, files …):
# a toolbox of mechanisms, not an entity with use cases, so it has no services/selectors of its
# own and is not held to the domain apps' shape. (``chuangfu.api`` only assembles the apps'
# routers; it is no installed app.)
PLATFORM_APPS = {"core"}

# Apps without an ``api.py``, each with its reason. Add an API and remove the entry.
NO_API = {
    "portal": "the public site composes the other apps' public selectors; its open data speaks CKAN's "
    "Action API from views/opendata.py, outside the ninja API",
    "indicators": "the assessment is read on the leader's dashboard and in the dossier; no API operation yet",
}

# Directories of tests/ that are no app: the whole API fuzzed by schemathesis.
TESTS_NOT_OF_AN_APP = {"api_fuzz"}

MAX_LINES = 600


def _apps() -> list[str]:
    return [app.split(".", 1)[1] for app in settings.INSTALLED_APPS if app.startswith("chuangfu.")]


def _domain_apps() -> list[str]:
    return [app for app in _apps() if app not in PLATFORM_APPS]


def _shape_problems(app: str) -> list[str]:
    root = SRC / app
    problems = []
    for package in ("models", "services", "views"):
        if not (root / package / "__init__.py").is_file():
            problems.append(f"{app}: no {package}/ package")
        if (root / f"{package}.py").exists():
            problems.append(f"{app}: {package}.py beside (or instead of) the {package}/ package")
    selectors_module, selectors_package = root / "selectors.py", root / "selectors" / "__init__.py"
    if selectors_module.is_file() == selectors_package.is_file():
        problems.append(f"{app}: needs exactly one of selectors.py and a selectors/ package")
    for module in ("apps.py", "access.py", "urls.py", "forms.py"):
        if not (root / module).is_file():
            problems.append(f"{app}: no {module}")
    if not (root / "api.py").is_file() and app not in NO_API:
        problems.append(f"{app}: no api.py (or a reason in NO_API)")
    if (root / "api.py").is_file() and app in NO_API:
        problems.append(f"{app}: has an api.py now; remove it from NO_API")
    if not (root / "templates" / app).is_dir():
        problems.append(f"{app}: no templates/{app}/")
    if not (TESTS / app / "__init__.py").is_file():
        problems.append(f"{app}: no tests/{app}/")
    return problems


def test_every_domain_app_has_the_common_shape():
    problems = [problem for app in _domain_apps() for problem in _shape_problems(app)]
    assert not problems, "Apps out of the common shape (docs/architecture.md):\n" + "\n".join(problems)


def test_the_shape_is_checked_for_every_app_of_ours():
    """A new app in INSTALLED_APPS is a domain app unless it says otherwise here."""
    assert set(_apps()) >= PLATFORM_APPS
    assert {"activities", "desk", "registry", "policies"} <= set(_domain_apps())


def test_tests_mirror_the_apps():
    """tests/<app>/ for every app (core included), and no test directory for an app that is gone."""
    apps = set(_apps())
    directories = {p.name for p in TESTS.iterdir() if (p / "__init__.py").is_file()}
    missing = sorted(apps - directories)
    stray = sorted(directories - apps - TESTS_NOT_OF_AN_APP)
    assert not missing, f"apps without tests/<app>/: {missing}"
    assert not stray, f"test directories of no app: {stray}"


def test_no_module_under_src_is_longer_than_600_lines():
    too_long = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue  # generated
        relative = path.relative_to(SRC).as_posix()
        with path.open(encoding="utf-8") as f:
            lines = sum(1 for _ in f)
        if lines > MAX_LINES:
            too_long.append(f"{relative}: {lines} lines")
    assert not too_long, (
        f"Modules over {MAX_LINES} lines: split them by entity or use case (decision 35):\n" + "\n".join(too_long)
    )

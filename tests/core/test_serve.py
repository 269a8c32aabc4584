"""`chuangfu serve` (what `make demo` runs) serves with DEBUG off and tells messages its address."""

from django.core.management import call_command

from chuangfu.core.management.commands import serve


class FakeProcess:
    started: list = []

    def __init__(self, args, env=None):
        self.args, self.env = args, env
        FakeProcess.started.append(self)
        self.pid = 1

    def wait(self, timeout=None):
        return 0

    def poll(self):
        return 0


def test_serve_runs_gunicorn_and_the_worker_with_debug_off_and_the_public_address(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setattr(serve.subprocess, "Popen", FakeProcess)
    FakeProcess.started = []
    call_command("serve", host="0.0.0.0", port="8123")
    worker, web = FakeProcess.started
    assert worker.args[-1] == "run_huey" and "gunicorn" in web.args[0]
    for process in (worker, web):
        assert process.env["DEBUG"] == "0" and process.env["PUBLIC_BASE_URL"] == "http://0.0.0.0:8123"


def test_an_operator_can_still_ask_for_debug_and_another_address(monkeypatch):
    monkeypatch.setenv("DEBUG", "1")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://cf.example.gov.cn")
    monkeypatch.setattr(serve.subprocess, "Popen", FakeProcess)
    FakeProcess.started = []
    call_command("serve")
    assert {p.env["DEBUG"] for p in FakeProcess.started} == {"1"}
    assert {p.env["PUBLIC_BASE_URL"] for p in FakeProcess.started} == {"https://cf.example.gov.cn"}

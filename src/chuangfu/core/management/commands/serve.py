"""Serve the platform with gunicorn and run the queue worker beside it until interrupted.

Served pages are never Django's debug pages: ``DEBUG`` is off unless the environment says
``DEBUG=1`` (static files come from whitenoise either way), and links in text messages point
at the address served here unless ``PUBLIC_BASE_URL`` says otherwise."""

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动后台任务进程并用 gunicorn 提供服务。 Start the queue worker and serve with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--workers", default="2")

    def handle(self, *args, host, port, workers, **options):
        bindir = os.path.dirname(sys.executable)
        env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "0")}
        env.setdefault("PUBLIC_BASE_URL", f"http://{host}:{port}")
        worker = subprocess.Popen([os.path.join(bindir, "chuangfu"), "run_huey"], env=env)
        self.stdout.write(self.style.SUCCESS(f"后台任务进程已启动 (pid {worker.pid})。 Queue worker started."))
        self.stdout.write(self.style.SUCCESS(f"访问 http://{host}:{port}/  ·  按 Ctrl+C 停止。 Press Ctrl+C to stop."))
        web = subprocess.Popen(
            [
                os.path.join(bindir, "gunicorn"),
                "chuangfu.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
            ],
            env=env,
        )
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for proc in (web, worker):
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in (web, worker):
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()

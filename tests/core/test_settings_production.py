"""Production settings refuse to start unsafe and pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

CHUANGFU = str(Path(sys.executable).with_name("chuangfu"))
REPO = str(Path(__file__).resolve().parents[2])
REAL_SECRET = "k3v9-唐镇-not-the-dev-key-Zq8wXr2pLm5nB7cV1tY6uI0oP4aS9dF3gH8jK2lQ"


def run(tmp_path, *args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "CHUANGFU_DATA_KEY", "ALLOWED_HOSTS", "DEBUG", "CHUANGFU_SMS_BACKEND")
    }
    clean.update({"CHUANGFU_ENV": "production", "CHUANGFU_VAR_DIR": str(tmp_path), "PYTHONPATH": REPO}, **env)
    return subprocess.run([CHUANGFU, *args], env=clean, capture_output=True, text=True, timeout=120)


@pytest.fixture
def production_env():
    return {
        "SECRET_KEY": REAL_SECRET,
        "CHUANGFU_DATA_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "chuangfu.tangzhen.example.cn",
        "CHUANGFU_SMS_BACKEND": "tests.core.sms_gateway.GatewayBackend",
    }


def test_production_refuses_to_start_without_a_secret_key(tmp_path, production_env):
    del production_env["SECRET_KEY"]
    result = run(tmp_path, "check", **production_env)
    assert result.returncode != 0
    assert "生产环境必须设置 SECRET_KEY" in result.stderr
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_the_development_secret_key(tmp_path, production_env):
    from chuangfu import settings

    production_env["SECRET_KEY"] = settings._DEV_SECRET
    result = run(tmp_path, "check", **production_env)
    assert result.returncode != 0 and "生产环境必须设置 SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_the_data_key(tmp_path, production_env):
    del production_env["CHUANGFU_DATA_KEY"]
    result = run(tmp_path, "check", **production_env)
    assert result.returncode != 0 and "CHUANGFU_DATA_KEY must be set in production" in result.stderr
    assert not (tmp_path / "data-key").exists()  # production never invents a key


def test_malformed_data_key_is_refused_at_start(tmp_path, production_env):
    production_env["CHUANGFU_DATA_KEY"] = "not-a-fernet-key"
    result = run(tmp_path, "check", **production_env)
    assert result.returncode != 0 and "CHUANGFU_DATA_KEY 格式不正确" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path, production_env):
    del production_env["ALLOWED_HOSTS"]
    result = run(tmp_path, "check", **production_env)
    assert result.returncode != 0 and "ALLOWED_HOSTS must be set in production" in result.stderr


def test_check_deploy_is_clean_with_real_settings(tmp_path, production_env):
    result = run(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_debug(tmp_path, production_env):
    result = run(tmp_path, "check", DEBUG="1", **production_env)
    assert result.returncode != 0
    assert "生产环境不能开启 DEBUG" in result.stderr and "DEBUG must be off in production" in result.stderr


@pytest.mark.parametrize(
    "backend", ["", "chuangfu.core.notifications.sms.LogSmsBackend", "chuangfu.core.notifications.sms.LocmemSmsBackend"]
)
def test_production_refuses_a_development_sms_backend(tmp_path, production_env, backend):
    production_env["CHUANGFU_SMS_BACKEND"] = backend
    result = run(tmp_path, "check", **production_env)
    assert result.returncode != 0
    assert "CHUANGFU_SMS_BACKEND must name a real SMS gateway in production" in result.stderr


def test_production_refuses_a_development_sms_backend_under_another_name(tmp_path, production_env):
    production_env["CHUANGFU_SMS_BACKEND"] = "tests.core.sms_gateway.RenamedLogBackend"
    result = run(tmp_path, "check", **production_env)
    assert result.returncode != 0 and "chuangfu.E003" in result.stderr


def test_an_sms_backend_that_does_not_import_fails_the_check(tmp_path, production_env):
    production_env["CHUANGFU_SMS_BACKEND"] = "yourgateway.sms.GatewayBackend"
    result = run(tmp_path, "check", **production_env)
    assert result.returncode != 0 and "chuangfu.E001" in result.stderr

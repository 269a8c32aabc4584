"""What `make demo` prints: no word-segmentation line twice, no raw MIME e-mail."""

import logging

import jieba
from django.core.mail import EmailMessage

from chuangfu.core.notifications.email import LogEmailBackend


def test_jieba_speaks_only_through_our_logging_and_only_warnings():
    assert jieba.log_console not in jieba.default_logger.handlers
    assert jieba.default_logger.getEffectiveLevel() == logging.WARNING


def test_a_development_e_mail_is_one_readable_log_line(caplog):
    message = EmailMessage(
        "工单 T1 被督办", "请尽快办理：http://127.0.0.1:8000/desk/tickets/1/", to=["liaison@example.cn"]
    )
    with caplog.at_level(logging.INFO, logger="chuangfu.email"):
        assert LogEmailBackend().send_messages([message]) == 1
    assert [r.getMessage() for r in caplog.records] == [
        "E-mail to liaison@example.cn: 工单 T1 被督办 — 请尽快办理：http://127.0.0.1:8000/desk/tickets/1/"
    ]
    assert "Content-Transfer-Encoding" not in caplog.text and "MIME" not in caplog.text

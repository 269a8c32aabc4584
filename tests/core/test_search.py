"""core.search bounds every search box's text before it reaches a query."""

from chuangfu.core.search import MAX_QUERY_LENGTH, bounded_query


def test_control_characters_never_reach_the_database():
    # PostgreSQL refuses a NUL in a text parameter ("cannot contain NUL (0x00) bytes"): a search
    # for "\x00<script>" was a server error on the public carrier directory.
    assert bounded_query("\x00<script>\x07 唐镇\x1b") == "<script> 唐镇"


def test_the_text_is_folded_collapsed_and_cut():
    assert bounded_query("  ＡＢＣ   孵化器 ") == "ABC 孵化器"
    assert len(bounded_query("x" * 5000)) == MAX_QUERY_LENGTH
